"""What the API's views share: the error responses every operation documents, and the
form check that gives the forms' own messages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from casework.api.preconditions import sent_fields_check
from casework.api.serializers import ErrorsSerializer

NOT_AN_OBJECT = _("Send the fields as one JSON object.")
ONE_VALUE = _("Send one value here, not a list or an object.")
YES_OR_NO = _("Send true or false.")

ERRORS = OpenApiResponse(ErrorsSerializer, description="What was wrong, field by field.")
# Every operation may answer these; writes add 400 (ERRORS_WRITE).
ERRORS_READ: dict[int, Any] = {401: ERRORS, 403: ERRORS, 404: ERRORS, 429: ERRORS}
ERRORS_WRITE: dict[int, Any] = {400: ERRORS, **ERRORS_READ}
ERRORS_LIST: dict[int, Any] = {400: ERRORS, 401: ERRORS, 403: ERRORS, 429: ERRORS}

FormT = type[forms.Form]


# What a yes-or-no field takes besides JSON's true and false: their spelling as text (a
# multipart body's) and what a checkbox posts. A checkbox reads any other text as ticked,
# so "no" and "0" said yes.
YES_NO = {"true": True, "on": True, "1": True, "false": False, "off": False, "0": False}
MULTIPLE = (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)


def _yes_no(value: Any) -> bool | None:
    """The value of a yes-or-no field, or None for one that says neither."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, str):
        return YES_NO.get(value.strip().lower(), False if not value.strip() else None)
    return None


def _one_values_refused(form: forms.BaseForm) -> dict[str, list[str]]:
    """A body's values made what a page posts (a form field expects text), or refused by
    the field's name and taken out of the data: a yes-or-no field takes true or false; in
    JSON, a number becomes its digits (true and false their JSON spelling), and a list or
    an object where one value goes is refused. A date field's parser failed on anything
    but text with a 500, a text field stored a list as its Python spelling, and a yes-or-no
    field read "no" as yes."""
    if not isinstance(form.data, Mapping):
        return {}
    text_only = isinstance(form.data, MultiValueDict)  # a form-encoded or multipart body
    data = form.data.copy() if isinstance(form.data, MultiValueDict) else dict(form.data)
    refused: dict[str, list[str]] = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if key not in data or isinstance(field, MULTIPLE):
            continue  # a list of ids or choices: the field checks it
        value = data.get(key)
        if isinstance(field, forms.BooleanField) and not isinstance(field, forms.NullBooleanField):
            answer = _yes_no(value)
            if answer is None:
                del data[key]
                refused[name] = [str(YES_OR_NO)]
            else:
                data[key] = answer
        elif text_only:
            continue
        elif isinstance(value, list | dict):
            del data[key]
            refused[name] = [str(ONE_VALUE)]
        elif isinstance(value, bool):
            data[key] = "true" if value else "false"
        elif isinstance(value, int | float):
            data[key] = str(value)
    form.data = data
    return refused


def form_errors_by_field(form: forms.BaseForm) -> dict[str, list[str]]:
    """A bound form's messages by field ("__all__" for the form's own); none if it is valid
    and every value sent was one value."""
    refused = _one_values_refused(form)
    if form.is_valid() and not refused:
        return {}
    errors = {
        field: [str(message) for message in messages] for field, messages in form.errors.items()
    }
    return {**errors, **refused}


def form_cleaned(request: Request, form_class: FormT, **kwargs: Any) -> dict[str, Any]:
    """The request's fields checked by the page's own form: its cleaned data, or a 400 with
    the form's messages or naming a field the form does not take."""
    if not isinstance(request.data, Mapping):
        raise ValidationError({"non_field_errors": [NOT_AN_OBJECT]})
    form = form_class(request.data, **kwargs)
    # A field the form does not take is named rather than ignored (a typo read as done).
    sent_fields_check(sent=request.data, writable=form.fields, readable=())
    if errors := form_errors_by_field(form):
        raise ValidationError({field: messages for field, messages in errors.items()})
    return form.cleaned_data
