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

from casework.api.serializers import ErrorsSerializer

NOT_AN_OBJECT = _("Send the fields as one JSON object.")
ONE_VALUE = _("Send one value here, not a list or an object.")

ERRORS = OpenApiResponse(ErrorsSerializer, description="What was wrong, field by field.")
# Every operation may answer these; writes add 400 (ERRORS_WRITE).
ERRORS_READ: dict[int, Any] = {401: ERRORS, 403: ERRORS, 404: ERRORS, 429: ERRORS}
ERRORS_WRITE: dict[int, Any] = {400: ERRORS, **ERRORS_READ}
ERRORS_LIST: dict[int, Any] = {400: ERRORS, 401: ERRORS, 403: ERRORS, 429: ERRORS}

FormT = type[forms.Form]


def _one_values_refused(form: forms.BaseForm) -> dict[str, list[str]]:
    """A JSON body's values made what a page posts (a form field expects text): a number
    becomes its digits (true and false their JSON spelling), and a list or an object where one value goes is taken out of the
    data and refused, by the field's name. A date field's parser failed on anything but
    text with a 500; a text field stored a list as its Python spelling."""
    if isinstance(form.data, MultiValueDict) or not isinstance(form.data, Mapping):
        return {}  # a form-encoded body holds text only
    data, refused = dict(form.data), {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        value = data.get(key)
        if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            continue  # a list of ids or choices: the field checks it
        if isinstance(value, list | dict):
            del data[key]
            refused[name] = [str(ONE_VALUE)]
        elif isinstance(value, bool) and not isinstance(field, forms.BooleanField):
            data[key] = "true" if value else "false"
        elif isinstance(value, int | float) and not isinstance(value, bool):
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
    the form's messages."""
    if not isinstance(request.data, Mapping):
        raise ValidationError({"non_field_errors": [NOT_AN_OBJECT]})
    form = form_class(request.data, **kwargs)
    if errors := form_errors_by_field(form):
        raise ValidationError({field: messages for field, messages in errors.items()})
    return form.cleaned_data
