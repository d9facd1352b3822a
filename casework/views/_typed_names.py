"""The names typed on New case for someone already on file (picked among the people they
matched, or followed from the similar names): which of them New case keeps as the
person's other names (casework.people.person_add_typed_names), and what it says when the
user may not change that person."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from casework.forms import NewPersonForm
from casework.models import Person
from casework.people import person_typed_names_new
from casework.permissions import person_is_editable_by


def typed_names(person_form: NewPersonForm | None) -> dict[str, str] | None:
    """The full and native name typed on New case for the person then picked among those
    they matched (or followed from the similar names)."""
    if person_form is None:
        return None
    person_form.is_valid()  # a name is kept even when another person field is wrong
    cleaned = person_form.cleaned_data
    return {name: cleaned.get(name) or "" for name in ("full_name", "native_name")}


def typed_names_new(
    request: HttpRequest, typed_form: NewPersonForm | None, person: Person | None
) -> list[str]:
    """The names typed for the person given that New case will keep as their other names."""
    typed = typed_names(typed_form)
    if not typed or person is None:
        return []
    if not person_is_editable_by(person=person, user=request.user):
        return []
    return [name for name, _kind in person_typed_names_new(person=person, **typed)]


NAMES_NOT_KEPT = _(
    "The names you typed (%(names)s) were not added to the other names of %(name)s: "
    "their record is kept by %(organisation)s."
)
