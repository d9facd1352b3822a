"""What the API's create and change operations share beyond casework.api.base: the page's
forms checked together (errors named by the request's own field names), a change that
sends only some fields (the rest as the page would show them), and the duplicate-person
answer (409 with the people who may already be on file)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import status as http_status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from casework.api.base import NOT_AN_OBJECT, form_errors_by_field
from casework.api.serializers import PersonBriefSerializer
from casework.cases import PossibleDuplicate
from casework.models import Organisation
from casework.permissions import membership_for_user, organisations_recordable_by
from common.lookups import ID_MAX

# The page's warning (casework.views.cases.POSSIBLE_DUPLICATE), with the API's way out.
POSSIBLE_DUPLICATE = _(
    "This person may already be on file. Send the case with one of the candidates as "
    "“person”, or confirm a new person with “confirm_not_duplicate”: true."
)


def _too_large(value: Any, *, in_list: bool = False) -> bool:
    """A number beyond any id; in a list (only ids come in lists), its digits too. A text
    field's digits are text."""
    if isinstance(value, bool):
        return False
    if in_list and isinstance(value, str) and value.strip().isdecimal():
        value = int(value)
    return isinstance(value, int) and abs(value) > ID_MAX


def _numbers_check(data: Mapping[str, Any], *, prefix: str = "") -> None:
    errors: dict[str, list[str]] = {}
    for name, value in data.items():
        if isinstance(value, Mapping):
            _numbers_check(value, prefix=f"{prefix}{name}.")
            continue
        if (
            any(_too_large(item, in_list=True) for item in value)
            if isinstance(value, list)
            else _too_large(value)
        ):
            errors[f"{prefix}{name}"] = [
                str(MaxValueValidator(ID_MAX).message) % {"limit_value": ID_MAX}
            ]
    if errors:
        raise ValidationError(errors)


def request_object(request: Request) -> Mapping[str, Any]:
    """The request's JSON object, or a 400 saying that it must be one (or naming a number
    too large for any id)."""
    if not isinstance(request.data, Mapping):
        raise ValidationError({"non_field_errors": [NOT_AN_OBJECT]})
    _numbers_check(request.data)
    return request.data


def forms_check(
    *named: tuple[str, forms.BaseForm | None], renames: Mapping[str, str] | None = None
) -> None:
    """Validate every form given (all of them, so every error is told at once); a 400
    naming each field as the request names it: `<name>.<field>` for a form given a name,
    the form's own field name (or its entry in `renames`) for a form given the empty name."""
    errors: dict[str, list[str]] = {}
    for name, form in named:
        if form is None:
            continue
        for field, messages in form_errors_by_field(form).items():
            key = (renames or {}).get(field, field) if field != "__all__" else "non_field_errors"
            if name:
                key = name if field == "__all__" else f"{name}.{field}"
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def form_data_over(form: forms.BaseForm, sent: Mapping[str, Any]) -> dict[str, Any]:
    """An unbound form's values as the page would post them back unchanged, with the fields
    that were sent in their place: a PATCH changes only what it names."""
    data = {name: form[name].value() for name in form.fields}
    data.update({name: value for name, value in sent.items() if name in form.fields})
    return data


def duplicates_response(duplicates: list[PossibleDuplicate], *, context: dict) -> Response:
    """409: the people the name matches, best match first, in the errors' shape plus them."""
    people = [duplicate.person for duplicate in duplicates]
    return Response(
        {
            "errors": [{"field": None, "message": str(POSSIBLE_DUPLICATE)}],
            "candidates": PersonBriefSerializer(people, many=True, context=context).data,
        },
        status=http_status.HTTP_409_CONFLICT,
    )


class OrganisationForm(forms.Form):
    """Whose record a new person or case is: the user's own organisation unless they may
    record for others (casework.permissions.organisations_recordable_by: host staff)."""

    organisation: forms.ModelChoiceField = forms.ModelChoiceField(queryset=None, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = organisations_recordable_by(user)

    def chosen(self) -> Organisation:
        return self.cleaned_data["organisation"] or membership_for_user(self.user).organisation
