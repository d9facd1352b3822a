"""Bulk lookups of many values at once, sized for the database: every query of the import's
planning reads all rows' values in a few statements, never one per row."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import connection
from django.db.models.expressions import RawSQL

LOOKUP_CHUNK = 500

Item = TypeVar("Item")


def chunks(items: list[Item], size: int | None = None) -> Iterable[list[Item]]:
    """items in slices one statement can take."""
    # SQLite caps the parameters of one statement; PostgreSQL takes big IN lists happily.
    size = size or (LOOKUP_CHUNK if connection.vendor == "sqlite" else 10 * LOOKUP_CHUNK)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def field_in(field: str, values: list[Any]) -> dict[str, Any]:
    """filter(**field_in("pk", ids)): on PostgreSQL one array parameter rather than a
    placeholder per value (the driver's parsing of thousands of placeholders costs more than
    the query)."""
    if connection.vendor == "postgresql" and values:
        array = "bigint[]" if isinstance(values[0], int) else "text[]"
        return {f"{field}__in": RawSQL(f"SELECT unnest(%s::{array})", [list(values)])}  # noqa: S611
    return {f"{field}__in": values}
