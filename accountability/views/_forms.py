"""What the responsible-person pages share: a write function's errors on its form, and the
one-form page (a name, a position, evidence, a submission) that saves through one function."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from common import forms as common_forms
from common.forms import form_errors_apply

# One rule for every app's pages (common.forms); the name these pages' views import.
apply_errors = form_errors_apply


def form_page(
    request,
    form,
    *,
    save: Callable[[dict[str, Any]], object],
    back,
    heading: str,
    success: str,
    context: dict[str, Any] | None = None,
):
    return common_forms.form_page(
        request,
        form,
        save=save,
        back=back,
        success=success,
        template="accountability/small_form.html",
        context={"heading": heading, **(context or {})},
    )
