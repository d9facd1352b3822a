"""What every app's forms share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class StoredLineBreaks(forms.BaseForm):
    """A form whose text areas are saved with plain line breaks, as the records hold them:
    a browser sends a text area's as CR LF, and saved so, a note left as it was would count
    as changed (in the history, and to a colleague's form: common.edit_stamps)."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or self.cleaned_data
        for name, field in self.fields.items():
            value = cleaned.get(name)
            if isinstance(field.widget, forms.Textarea) and isinstance(value, str):
                cleaned[name] = value.replace("\r\n", "\n")
        return cleaned


def form_errors_apply(form: forms.BaseForm, error: ValidationError) -> None:
    """A write function's ValidationError shown on the form, by field where it names one
    of the form's fields, else above the form."""
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


def form_failed(request: HttpRequest) -> None:
    messages.error(request, _("Nothing was saved: please correct the fields marked below."))


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    *,
    save: Callable[[dict[str, Any]], object],
    back: Any,
    success: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """A page of one form about `back`: on a valid POST, `save(cleaned_data)`, then back to
    it; a ValidationError stays on the form and nothing is written."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, success)
            return redirect(back)
    if request.method == "POST":
        form_failed(request)
    return render(request, template, {"form": form, "back": back, **context})


class NotADuplicateForm(forms.Form):
    """The "this is someone else" confirmation of a create page's duplicate warning
    (casework.cases.records_possible_duplicates): shown with the candidates, and only once
    it is ticked is the new record written."""

    not_duplicate = forms.BooleanField(
        label=gettext_lazy("None of these: this is someone else; record them as new"),
        required=False,
    )

    def confirmed(self) -> bool:
        return self.is_valid() and bool(self.cleaned_data["not_duplicate"])
