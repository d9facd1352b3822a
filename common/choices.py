"""A record's label for a field with choices, as `get_<field>_display` gives it, for the
templates that show one per row.

Django's get_<field>_display hashes every (value, label) pair of the field on each call,
and hashing a lazy label translates it: a status field's 15 labels are translated to show
one. On a timeline of 40 entries (three labels each) that was most of the page's
rendering. Here the labels are read into a dict once per field, and only the one shown is
translated, in the language active at the time.
"""

from __future__ import annotations

from functools import cache
from typing import Any, cast

from django.db import models
from django.utils.encoding import force_str


@cache
def _labels(field: models.Field[Any, Any]) -> dict[Any, Any]:
    # Fields whose choices never change after start-up (enumerations): flatchoices is read
    # once; the labels stay lazy, translated when shown.
    return dict(field.flatchoices)


def choice_display(record: models.Model, name: str) -> str:
    """What `record.get_<name>_display()` returns: the value's label, or the value itself
    when it is not among the choices ("" or None included, so `|default:` still applies)."""
    field = cast("models.Field[Any, Any]", record._meta.get_field(name))
    value = getattr(record, field.attname)
    # (None stays None, as Django's gives it for a null value.)
    return cast(str, force_str(_labels(field).get(value, value), strings_only=True))
