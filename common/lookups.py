"""A filter on many values at once, cheap to build: `filter(**field_in("pk", ids))`; and
`__in` on an integer column that finds nothing for an id beyond the database's integers.

Django turns `pk__in=ids` into a placeholder per value, each prepared by the field, and
psycopg then parses thousands of placeholders: for a batch of 2,000 ids that costs more
processor time than the query. On PostgreSQL the values go as one array parameter instead.
Used wherever a bulk writer reads its rows back by thousands of ids (the import's planning,
casework.status.timelines_recompute, casework.conflicts)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db import connection
from django.db.models import IntegerField
from django.db.models.expressions import RawSQL
from django.db.models.lookups import In

# The largest id a database holds (a signed 64-bit integer): a larger number sent as an id
# overflows the driver's integer before any form or filter could say it names nothing.
ID_MAX = 2**63 - 1


def field_in(field: str, values: Collection[Any]) -> dict[str, Any]:
    """filter(**field_in("pk", ids)): on PostgreSQL one array parameter rather than a
    placeholder per value; elsewhere Django's own `__in`. Values are ints or strings."""
    values = list(values)
    if connection.vendor == "postgresql" and values:
        array = "bigint[]" if isinstance(values[0], int) else "text[]"
        return {f"{field}__in": RawSQL(f"SELECT unnest(%s::{array})", [values])}  # noqa: S611
    return {f"{field}__in": values}


class IntegerInWithinRange(In):
    """`__in` on an integer column, leaving out the values the column cannot hold.

    Django's `exact` finds nothing for such a value (its IntegerFieldOverflow), but its `in`
    sends it to the driver, which fails: a multiple choice of ids posted as
    99999999999999999999 (ModelMultipleChoiceField runs `pk__in`) answered 500 where the
    form should say the choice is not one of those offered."""

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().as_sql(compiler, connection)


def integer_in_within_range_install() -> None:
    """Every integer column's `__in` (ids included) becomes IntegerInWithinRange."""
    IntegerField.register_lookup(IntegerInWithinRange)


def id_from(raw: object) -> int | None:
    """The id a query or form value names, or None: ASCII digits only (str.isdigit also
    accepts "²", which int() refuses, a 500) and no larger than a database integer."""
    text = str(raw or "")
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if number <= ID_MAX else None
