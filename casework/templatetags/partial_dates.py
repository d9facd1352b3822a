"""`{{ case|partial_date:"detained_on" }}`: a date with its precision, as people write it."""

from __future__ import annotations

from django import template

from casework.partial_dates import partial_date_format

register = template.Library()


@register.filter
def partial_date(record: object, name: str) -> str:
    """The record's date `name` with its `<name>_precision`: "in 2018", "March 2019",
    "6 Dec 2026"; "" when there is no date (so `|default:"—"` applies)."""
    if record is None or record == "":
        return ""
    return partial_date_format(
        getattr(record, name, None), getattr(record, f"{name}_precision", None)
    )


@register.filter
def partial_date_iso(record: object, name: str) -> str:
    """The date as HTML's `<time datetime>` takes it: "2018", "2019-03" or "2019-03-06"."""
    value = getattr(record, name, None)
    if value is None:
        return ""
    precision = getattr(record, f"{name}_precision", None)
    if precision == "year":
        return f"{value:%Y}"
    if precision == "month":
        return f"{value:%Y-%m}"
    return str(value.isoformat())
