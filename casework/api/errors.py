"""Every error in one shape: ``{"errors": [{"field": …, "message": …}]}``, ``field`` null
for what concerns the request as a whole. A record the user may not see answers 404
exactly like an id that does not exist (casework.permissions raises the same Http404)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.serializers import as_serializer_error
from rest_framework.views import APIView, exception_handler

WHOLE_REQUEST_KEYS = {"non_field_errors", "__all__", "detail"}


def errors_flatten(data: Any, field: str | None = None) -> list[dict[str, str | None]]:
    if isinstance(data, dict):
        errors = []
        for key, value in data.items():
            name = field if key in WHOLE_REQUEST_KEYS else (f"{field}.{key}" if field else key)
            errors += errors_flatten(value, name)
        return errors
    if isinstance(data, list):
        return [error for item in data for error in errors_flatten(item, field)]
    return [{"field": field, "message": str(data)}]


def form_errors(form: forms.BaseForm) -> ValidationError:
    """A bound, invalid form's errors (the forms' own messages) as an API error."""
    return ValidationError(
        {field or "non_field_errors": messages for field, messages in form.errors.items()}
    )


def api_exception_handler(exc: Exception, context: dict) -> Any:
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(as_serializer_error(exc))
    response = exception_handler(exc, context)
    if response is not None:
        response.data = {"errors": errors_flatten(response.data)}
    return response


@extend_schema(exclude=True)
class UnknownApiPath(APIView):
    """Any path under /api/v1/ that no route takes (a negative or non-numeric id, a typo):
    the same JSON 404 as a missing id, never the HTML page, whatever the method."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise NotFound
