"""Edit stamps: what the fields of an edit form held when it was opened, one short digest
a field, carried by the page and compared when it is saved. A save over someone else's
change made since is refused, naming the fields, rather than silently putting back what
they had replaced; the refusal carries the stamp of the record as it now stands, so
saving again replaces their change knowingly. Only digests reach the page, never values
(a partner's form leaves the sensitive fields out of its stamp as out of the form)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext

from common.text import quoted


class EditedMeanwhile(ValidationError):
    """The form was opened before someone else changed these of its fields."""

    def __init__(self, *, fields: list[str], stamp: str) -> None:
        super().__init__(gettext("The record was changed by someone else since you opened it."))
        self.fields = fields
        self.stamp = stamp  # as the record now stands: saving again with it overwrites


def edit_stamp(*, instance: models.Model, names: Iterable[str]) -> str:
    """The stamp of these fields of `instance` (a partial date with its precision)."""
    parts = []
    for name in names:
        field = instance._meta.get_field(name)
        value: Any
        if field.many_to_many:
            value = sorted(getattr(instance, name).values_list("pk", flat=True))
        else:
            value = getattr(instance, cast("models.Field[Any, Any]", field).attname)
        precision = f"{name}_precision"
        if hasattr(instance, precision):
            value = (value, getattr(instance, precision))
        digest = hashlib.sha256(repr(value).encode()).hexdigest()[:12]
        parts.append(f"{name}:{digest}")
    return ",".join(parts)


def _stamp_fields(stamp: str) -> dict[str, str]:
    return dict(part.partition(":")[::2] for part in stamp.split(",") if ":" in part)


def edit_stamp_check(*, instance: models.Model, stamp: str, allowed: Iterable[str]) -> None:
    """Raise EditedMeanwhile if any field the stamp names (among `allowed`) changed since
    it was taken. Locks the row for the caller's transaction, so the save that follows
    is over what was compared."""
    seen = {name: digest for name, digest in _stamp_fields(stamp).items() if name in allowed}
    if not seen:
        return
    with transaction.atomic():
        locked = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
        current = edit_stamp(instance=locked, names=seen)
    now = _stamp_fields(current)
    changed = [name for name in seen if now[name] != seen[name]]
    if changed:
        raise EditedMeanwhile(fields=changed, stamp=current)


def edited_meanwhile_message(*, form: forms.BaseForm, fields: list[str]) -> str:
    """What the form says above its fields when EditedMeanwhile refused it."""
    labels = ", ".join(
        quoted(str(form.fields[name].label)) for name in fields if name in form.fields
    )
    return gettext(
        "Someone else changed this since you opened it: %(fields)s. Nothing was saved. "
        "Open it again to see their change, or save again to replace it with yours."
    ) % {"fields": labels}
