"""Build the POST body of an admin add or change page from the page itself, as a browser
would submit it, so tests (and the IDOR sweep) can post every form of every admin with
chosen values, inlines included, without knowing each form by heart."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django import forms

# Value for a field the test does not choose: something the field accepts.
Chooser = Callable[[str, forms.Field], Any]


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def _put(data: dict, form: forms.BaseForm, name: str, value: Any) -> None:
    """Write one field as its widget reads it back (split date-times, checkboxes, lists)."""
    field = form.fields[name]
    key = form.add_prefix(name)
    widget = field.widget
    if value is None:
        return
    if isinstance(field, forms.BooleanField):
        if value:
            data[key] = "on"
        return
    if isinstance(widget, forms.MultiWidget):
        parts = widget.decompress(value)
        for index, part in enumerate(parts):
            data[f"{key}_{index}"] = "" if part is None else _plain(part)
        return
    if isinstance(value, (list, tuple, set)) or isinstance(field, forms.ModelMultipleChoiceField):
        data[key] = [str(_plain(item)) for item in (value or [])]
        return
    data[key] = _plain(value)


def sample_value(field: forms.Field) -> Any:
    """Something a required field of this kind accepts."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        return []
    if isinstance(field, forms.ModelChoiceField):
        first = field.queryset.first()
        return first.pk if first is not None else None
    if isinstance(field, forms.ChoiceField):
        for value, _label in field.choices:
            if value not in ("", None):
                return value
        return None
    if isinstance(field, forms.SplitDateTimeField):
        return datetime.datetime(2024, 1, 1, 12, 0)
    if isinstance(field, forms.DateField):
        return datetime.date(2024, 1, 1)
    if isinstance(field, forms.IntegerField):
        return 1
    if isinstance(field, forms.URLField):
        return "https://example.org/"
    if isinstance(field, forms.EmailField):
        return "someone@example.org"
    if isinstance(field, forms.BooleanField):
        return False
    if isinstance(field, forms.CharField):
        return "x"
    return None


def admin_post_data(response, *, choose: Chooser, add_inline_rows: bool = True) -> dict:
    """The body a browser would post from this admin add/change page: the main form with
    its current values, existing inline rows unchanged, and (add_inline_rows) one new row
    per inline that allows adding. ``choose(name, field)`` may return a value for any
    field of the main form or of a new row (None: keep the current value, or a sample
    value when the field is required and empty)."""
    context = response.context
    form = context["adminform"].form
    data: dict = {}
    for name, field in form.fields.items():
        chosen = choose(name, field)
        value = chosen if chosen is not None else form[name].value()
        if value in (None, "", []) and field.required:
            value = sample_value(field)
        _put(data, form, name, value)
    for inline in context.get("inline_admin_formsets", []):
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for row in formset.initial_forms:
            for name in row.fields:
                _put(data, row, name, row[name].value())
        if not (add_inline_rows and inline.has_add_permission):
            continue
        index = formset.total_form_count()
        new_row = formset._construct_form(index)
        for name, field in new_row.fields.items():
            if name in (getattr(getattr(formset, "fk", None), "name", ""), "id", "DELETE"):
                continue
            chosen = choose(name, field)
            _put(data, new_row, name, chosen if chosen is not None else sample_value(field))
        data[management.add_prefix("TOTAL_FORMS")] = index + 1
    return data


def admin_change_page_post(client, url: str, **values) -> tuple[dict, object]:
    """Open an admin change page and post it back with ``values`` changed (no new inline
    rows): the body posted and the response."""
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    data = admin_post_data(page, choose=lambda name, field: values.get(name), add_inline_rows=False)
    return data, client.post(url, data)
