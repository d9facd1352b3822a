"""The "change these fields" write of actors, positions, campaigns and engagements:
common.history.model_update with the text stripped of surrounding spaces."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import models

from common.history import Actor
from common.history import model_update as common_model_update

M = TypeVar("M", bound=models.Model)


def model_update(*, instance: M, data: dict[str, Any], fields: Iterable[str], by: Actor) -> M:
    stripped = {
        name: value.strip() if isinstance(value, str) else value for name, value in data.items()
    }
    return common_model_update(instance=instance, data=stripped, fields=fields, by=by)


def fields_set(instance: models.Model, values: dict[str, Any]) -> bool:
    """Give the instance these values, and say whether any of them changed: an import or
    a seed load saves a row only then, so loading the same data again writes nothing."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed
