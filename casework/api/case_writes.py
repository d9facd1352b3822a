"""Creating a case and changing its facts through the API: New case's forms (the case
form, the first status, the person on file or the new person) and the case form, checked
together; the writes are the pages' own (casework.cases), so the history rows name the
token's user."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import status as http_status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from casework.api.preconditions import (
    SET_BY_ADVOCASE,
    edited_meanwhile_response,
    if_match_stamp,
    sent_fields_check,
    with_etag,
)
from casework.api.serializers import CaseCreateRequestSerializer, CaseSerializer
from casework.api.writes import (
    OrganisationForm,
    duplicates_response,
    form_data_over,
    forms_check,
    request_object,
)
from casework.audit import restricted_case_views_record
from casework.cases import (
    CASE_EDITABLE_FIELDS,
    case_create_for_new_person,
    case_create_for_person_on_file,
    case_update,
    people_possible_duplicates,
)
from casework.followups import user_today
from casework.forms import CaseForm, InitialStatusForm, NewPersonForm, PersonChoiceForm
from casework.models import Case
from casework.permissions import (
    case_for_user,
    person_is_editable_by,
    user_sees_sensitive_fields,
)
from casework.visibility import people_visible_to
from common.edit_stamps import EditedMeanwhile

NEW_PERSON_NOT_AN_OBJECT = _("Send the new person's fields as one JSON object.")
STATUS_CHANGES_AT = _("The status changes through POST %(path)s.")
DATE_CHANGES_AT = _("It follows the date sent as “%(date)s”: a date, a month or a year.")


def case_stamp_names(*, show_sensitive: bool) -> tuple[str, ...]:
    """The fields of the case form (casework.forms.CaseForm) as the user has it: what the
    case's ETag stamps."""
    hidden = _hidden(show_sensitive)
    return tuple(name for name in CASE_EDITABLE_FIELDS if name not in hidden)


def case_etag(response: Response, *, case: Case, show_sensitive: bool) -> Response:
    return with_etag(response, instance=case, names=case_stamp_names(show_sensitive=show_sensitive))


def _where(pk: int | None) -> Callable[[str], str]:
    """Where a read-only field of the case changes (`pk` None: of a case being recorded)."""

    def where(name: str) -> str:
        if name in ("status", "status_since", "on_trial_in_custody"):
            path = f"/api/v1/cases/{pk if pk is not None else '<id>'}/status/"
            return str(STATUS_CHANGES_AT) % {"path": path}
        if name.endswith("_precision"):
            return str(DATE_CHANGES_AT) % {"date": name.removesuffix("_precision")}
        return str(SET_BY_ADVOCASE)

    return where


def _hidden(show_sensitive: bool) -> tuple[str, ...]:
    return () if show_sensitive else Case.SENSITIVE_FIELDS


def _case_written(pk: int, *, context: dict, status: int) -> Response:
    """The case as just written, read again for its derived fields. Not through
    case_for_user: a restricted case whose team leaves out the writer (a partner's, or one
    handed to a colleague) is written all the same, and a 404 would read as "nothing
    happened" to a script that then sends it again. The writer had the case (or made it);
    from the next request on, it answers 404 like any case out of their sight."""
    case = Case.objects.select_related("person", "detention_place").prefetch_related("charges")
    return Response(CaseSerializer(case.get(pk=pk), context=context).data, status=status)


def _new_person_form(sent: Mapping[str, Any]) -> NewPersonForm:
    fields = sent.get("new_person")
    if fields is None:
        fields = {}
    if not isinstance(fields, Mapping):
        raise ValidationError({"new_person": [NEW_PERSON_NOT_AN_OBJECT]})
    form = NewPersonForm(fields, prefix=None)
    sent_fields_check(sent=fields, writable=form.fields, readable=(), prefix="new_person.")
    return form


def case_create_from_request(request: Request, *, context: dict) -> Response:
    """201 with the new case; 400 with every form's messages (or naming a field a new case
    does not take); 409 with the people on file a new person's name matches, unless
    `confirm_not_duplicate` is true (New case's warning)."""
    sent = request_object(request)
    user = request.user
    people = people_visible_to(user)
    show_sensitive = user_sees_sensitive_fields(user)
    sent_fields_check(
        sent=sent,
        writable=set(CaseCreateRequestSerializer().fields) - set(_hidden(show_sensitive)),
        readable=CaseSerializer.Meta.fields,
        hidden=_hidden(show_sensitive),
        where=_where(None),
    )
    # Fields left out take the value New case starts with (confidentiality, the status).
    case_form = CaseForm(
        form_data_over(CaseForm(user=user, show_sensitive=show_sensitive), sent),
        user=user,
        show_sensitive=show_sensitive,
    )
    status_form = InitialStatusForm(
        form_data_over(InitialStatusForm(prefix=None), sent), prefix=None, today=user_today(user)
    )
    organisation_form = OrganisationForm(sent, user=user)
    person_form, choice_form = None, None
    if sent.get("person") is not None:
        choice_form = PersonChoiceForm({"person_choice": str(sent["person"])}, people=people)
        # Sent again after a 409 with one of the candidates, the new person's names are kept
        # as that person's other names, as on the page.
        if sent.get("new_person") is not None:
            person_form = _new_person_form(sent)
    else:
        person_form = _new_person_form(sent)
    forms_check(
        ("", case_form),
        ("", status_form),
        ("", organisation_form),
        ("new_person", person_form),
        ("", choice_form),
        renames={"person_choice": "person"},
    )
    if choice_form is None and person_form and sent.get("confirm_not_duplicate") is not True:
        names = [person_form.cleaned_data["full_name"], person_form.cleaned_data["native_name"]]
        duplicates = people_possible_duplicates(people=people, names=names)
        if duplicates:
            return duplicates_response(duplicates, context=context)
    fields = dict(case_form.cleaned_data)
    case_fields = {
        "organisation": organisation_form.chosen(),
        "by": user,
        **status_form.cleaned_data,
        "charges": fields.pop("charges"),
        **fields,
    }
    if choice_form is not None:
        person = choice_form.cleaned_data["person_choice"]
        typed = (
            {name: person_form.cleaned_data[name] for name in ("full_name", "native_name")}
            if person_form is not None and person_is_editable_by(person=person, user=user)
            else None
        )
        case, _added = case_create_for_person_on_file(
            person=person, typed_names=typed, **case_fields
        )
    else:
        assert person_form is not None
        case = case_create_for_new_person(person_fields=person_form.cleaned_data, **case_fields)
    return _case_written(case.pk, context=context, status=http_status.HTTP_201_CREATED)


def case_update_from_request(request: Request, pk: int, *, context: dict) -> Response:
    """200 with the changed case and its ETag; fields left out keep their value (the form
    is given them as the case page's edit form shows them); 400 naming a field it does not
    take (casework.api.preconditions); 412 if If-Match is not the case's ETag any more."""
    case = case_for_user(request.user, pk, for_change=True, select_related=("person",))
    restricted_case_views_record(user=request.user, cases=[case], via=request.path)
    sent = request_object(request)
    show_sensitive = user_sees_sensitive_fields(request.user)
    names = case_stamp_names(show_sensitive=show_sensitive)
    sent_fields_check(
        sent=sent,
        writable=names,
        readable=CaseSerializer.Meta.fields,
        hidden=_hidden(show_sensitive),
        stored=lambda: CaseSerializer(case, context=context).data,
        where=_where(case.pk),
    )
    stamp = if_match_stamp(request, instance=case, names=names)
    if isinstance(stamp, Response):
        return stamp
    shown = CaseForm(instance=case, user=request.user, show_sensitive=show_sensitive)
    form = CaseForm(
        form_data_over(shown, sent),
        instance=case,
        user=request.user,
        show_sensitive=show_sensitive,
    )
    forms_check(("", form))
    fields = dict(form.cleaned_data)
    try:
        case_update(
            case=case, by=request.user, charges=fields.pop("charges"), stamp=stamp, **fields
        )
    except EditedMeanwhile as meanwhile:
        return edited_meanwhile_response(meanwhile)
    response = _case_written(case.pk, context=context, status=http_status.HTTP_200_OK)
    case.refresh_from_db()
    return case_etag(response, case=case, show_sensitive=show_sensitive)
