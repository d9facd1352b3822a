"""The one helper behind every "change these fields" write of actors, positions,
campaigns and engagements: set, validate, save with `by` in the history."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import models

from common.history import history_save

M = TypeVar("M", bound=models.Model)


def model_update(*, instance: M, data: dict[str, Any], fields: Iterable[str], by) -> M:
    """Change only `fields` (others in `data` are refused), validate the whole row and
    save it as one history row naming `by`. Text is stripped of surrounding spaces."""
    allowed = set(fields)
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"cannot change {', '.join(sorted(unknown))} here")
    for name, value in data.items():
        setattr(instance, name, value.strip() if isinstance(value, str) else value)
    instance.full_clean()
    history_save(instance=instance, by=by)
    return instance


def fields_set(instance: models.Model, values: dict[str, Any]) -> bool:
    """Give the instance these values, and say whether any of them changed: an import or
    a seed load saves a row only then, so loading the same data again writes nothing."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed
