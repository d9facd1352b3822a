"""What every app's forms share."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def form_errors_apply(form: forms.BaseForm, error: ValidationError) -> None:
    """A write function's ValidationError shown on the form, by field where it names one
    of the form's fields, else above the form."""
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)
