"""What the responsible-person pages share: a write function's errors on its form, and the
one-form page (a name, a position, evidence, a submission) that saves through one function."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

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
    """A page of one form about `back`: on a valid POST, `save(cleaned_data)`, then back to
    it; a ValidationError stays on the form and nothing is written."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(back)
    if request.method == "POST":
        messages.error(request, _("Nothing was saved: please correct the fields marked below."))
    return render(
        request,
        "accountability/small_form.html",
        {"form": form, "back": back, "heading": heading, **(context or {})},
    )
