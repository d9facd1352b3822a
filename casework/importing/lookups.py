"""Bulk lookups of many values at once, sized for the database: every query of the import's
planning reads all rows' values in a few statements, never one per row."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from django.db import connection

from common.lookups import field_in

__all__ = ["LOOKUP_CHUNK", "chunks", "field_in"]

LOOKUP_CHUNK = 500

Item = TypeVar("Item")


def chunks(items: list[Item], size: int | None = None) -> Iterable[list[Item]]:
    """items in slices one statement can take."""
    # SQLite caps the parameters of one statement; PostgreSQL takes big IN lists happily.
    size = size or (LOOKUP_CHUNK if connection.vendor == "sqlite" else 10 * LOOKUP_CHUNK)
    for start in range(0, len(items), size):
        yield items[start : start + size]
