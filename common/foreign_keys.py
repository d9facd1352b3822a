"""Foreign keys of bulk-inserted rows checked once per distinct key, in one statement per
constraint, instead of once per row.

PostgreSQL checks a foreign key with a trigger per inserted row: at commit, for the partner
import's 50,000 rows, about a million lookups with a row lock each (the name keys alone
check their person seven times over), a third of the server's time (bench_import). With
`session_replication_role = replica` the server fires no trigger while the rows are
copied in; `ForeignKeysChecked.finish` then does what those triggers would have done, per
distinct value: every key the rows name must be present in the table it references, and
the rows there that other transactions can see are locked FOR KEY SHARE, as the triggers
lock them, so none can be deleted before the import commits. Rows this transaction
inserted itself need no lock: no other transaction can see them.

Only on PostgreSQL, and only when the database user may set the parameter (a superuser,
or one granted SET on it, PostgreSQL 15+): otherwise the triggers check as usual. The
setting is SET LOCAL, so it ends with the transaction (or savepoint) whatever happens;
`finish` puts it back before anything else is written, so updates and deletes later in
the transaction fire their triggers as always. The tables written this way must have no
triggers of their own (they have none: Django declares none)."""

from __future__ import annotations

import operator
from collections import defaultdict
from typing import Any

from django.db import IntegrityError, connection, models


def _constrained_keys(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    """The model's foreign keys that the database enforces."""
    return [
        field
        for field in model._meta.concrete_fields
        # db_constraint: False for a key the database does not enforce (history rows' own)
        if isinstance(field, models.ForeignKey) and getattr(field, "db_constraint", True)
    ]


def _role_settable() -> bool:
    """Whether this connection's user may set session_replication_role."""
    with connection.cursor() as cursor:
        if connection.pg_version >= 150000:  # type: ignore[attr-defined]
            cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
        else:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return bool(row and row[0])


class ForeignKeysChecked:
    """Collects the keys of the rows inserted between start() and finish() (rows_inserted,
    called before the rows are sent), and checks them in bulk in finish(). Inactive (the
    triggers check) where the database cannot do this: then both calls do nothing.

        keys = ForeignKeysChecked()
        keys.start()
        ...  # rows_inserted(model=..., rows=...) for each insert, e.g. by a RowsPipeline
        keys.finish()  # raises IntegrityError for a key that references nothing"""

    def __init__(self) -> None:
        self.active = False
        self._keys: dict[models.ForeignKey[Any, Any], set[Any]] = defaultdict(set)
        self._inserted: dict[type[models.Model], set[Any]] = defaultdict(set)

    def start(self) -> None:
        if connection.vendor != "postgresql" or not connection.in_atomic_block:
            return
        if not _role_settable():
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('session_replication_role')")
            if cursor.fetchone()[0] != "origin":
                return  # a role someone else chose: left alone, the triggers check
            cursor.execute("SET LOCAL session_replication_role = replica")
        self.active = True

    def rows_inserted(self, *, model: type[models.Model], rows: list[dict[str, Any]]) -> None:
        if not self.active or not rows:
            return
        for field in _constrained_keys(model):
            keys = self._keys[field]
            try:
                keys.update(map(operator.itemgetter(field.attname), rows))
            except KeyError:  # rows that leave the key out: None, the database's default
                keys.update(row.get(field.attname) for row in rows)
        pk = model._meta.pk.attname
        if pk in rows[0]:
            self._inserted[model].update(row[pk] for row in rows)

    def finish(self) -> None:
        """Fire triggers again, then check (and lock) every key collected."""
        if not self.active:
            return
        self.active = False
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = origin")
            for field, keys in self._keys.items():
                keys.discard(None)
                if keys:
                    _keys_check(cursor, field=field, keys=keys, inserted=self._inserted)
        self._keys.clear()
        self._inserted.clear()


def _keys_check(
    cursor: Any,
    *,
    field: models.ForeignKey[Any, Any],
    keys: set[Any],
    inserted: dict[type[models.Model], set[Any]],
) -> None:
    target = field.target_field
    parent = target.model
    quote = connection.ops.quote_name
    table, column = quote(parent._meta.db_table), quote(str(target.column))
    ours = keys & inserted.get(parent, set()) if target.primary_key else set()
    theirs = keys - ours
    found = 0
    if ours:
        cursor.execute(
            f"SELECT count(*) FROM {table} WHERE {column} = ANY(%s)",  # noqa: S608
            [sorted(ours)],
        )
        found += cursor.fetchone()[0]
    if theirs:
        # Locked as the trigger locks them: none can be deleted before this one commits.
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {column} = ANY(%s) "  # noqa: S608
            f"FOR KEY SHARE) AS locked",
            [sorted(theirs)],
        )
        found += cursor.fetchone()[0]
    if found != len(keys):
        child = field.model._meta.db_table
        raise IntegrityError(
            f"{child}.{field.column} violates its foreign key constraint: {len(keys) - found} "
            f"of its values are not present in {parent._meta.db_table}"
        )
