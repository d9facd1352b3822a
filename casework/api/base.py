"""What the API's views share: the error responses every operation documents, and the
form check that gives the forms' own messages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from casework.api.errors import form_errors
from casework.api.serializers import ErrorsSerializer

NOT_AN_OBJECT = _("Send the fields as one JSON object.")

ERRORS = OpenApiResponse(ErrorsSerializer, description="What was wrong, field by field.")
# Every operation may answer these; writes add 400 (ERRORS_WRITE).
ERRORS_READ: dict[int, Any] = {401: ERRORS, 403: ERRORS, 404: ERRORS, 429: ERRORS}
ERRORS_WRITE: dict[int, Any] = {400: ERRORS, **ERRORS_READ}
ERRORS_LIST: dict[int, Any] = {400: ERRORS, 401: ERRORS, 403: ERRORS, 429: ERRORS}

FormT = type[forms.Form]


def form_cleaned(request: Request, form_class: FormT, **kwargs: Any) -> dict[str, Any]:
    """The request's fields checked by the page's own form: its cleaned data, or a 400 with
    the form's messages."""
    if not isinstance(request.data, Mapping):
        raise ValidationError({"non_field_errors": [NOT_AN_OBJECT]})
    form = form_class(request.data, **kwargs)
    if not form.is_valid():
        raise form_errors(form)
    return form.cleaned_data
