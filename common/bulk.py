"""Fast inserts of many rows, for the partner import (casework.importing) and generate_data
(advocacy.synthetic): ids reserved in one statement, rows sent with PostgreSQL's COPY
(executemany on SQLite), values adapted once per column instead of once per model instance.
Used inside the caller's one transaction; history rows go through the same path, so speed
never costs a history row. On PostgreSQL a RowsPipeline sends the inserts from a worker
thread, so the database stores one table's rows while the caller builds the next table's."""

from __future__ import annotations

import datetime
import operator
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from types import TracebackType
from typing import Any, cast

from django.db import connection, models

from common.foreign_keys import ForeignKeysChecked

# A psycopg cursor (COPY), or Django's wrapper of one: typed loosely, psycopg's own types
# are not Django's.
Cursor = Any


def _adapter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How a value must be changed before the driver sends it, or None when it needs not be
    (psycopg sends dates and datetimes itself; SQLite's driver needs strings)."""
    if connection.vendor == "postgresql":
        return None
    operations = connection.ops
    if isinstance(field, models.DateTimeField):
        return operations.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return operations.adapt_datefield_value
    if isinstance(field, models.BooleanField):
        return lambda value: None if value is None else int(value)
    return None


def ids_reserve(*, model: type[models.Model], count: int) -> list[int]:
    """Primary keys for `count` new rows, taken from the table's sequence in one statement."""
    if count == 0:
        return []
    table = model._meta.db_table
    column = _column(model._meta.pk)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The sequence's name is a constant of the query: joined in as a subquery, the
            # planner evaluates pg_get_serial_sequence again for every id (eight times the
            # server time of nextval itself).
            cursor.execute(
                "SELECT nextval(%s::regclass) FROM generate_series(1, %s)",
                [_sequence_name(cursor, table, column), count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: the import holds the write lock (IMMEDIATE transaction), so nobody else can
        # take these ids between this read and the insert.
        cursor.execute(f'SELECT COALESCE(MAX("{column}"), 0) FROM "{table}"')  # noqa: S608
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        sequence = cursor.fetchone()
        start = max(highest, sequence[0] if sequence else 0) + 1
        return list(range(start, start + count))


_SEQUENCES: dict[tuple[str, str, str], str] = {}


def _sequence_name(cursor: Cursor, table: str, column: str) -> str:
    """The sequence that numbers a table's column, asked of the database once per table and
    database."""
    key = (connection.settings_dict["NAME"], table, column)
    name = _SEQUENCES.get(key)
    if name is None:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
        name = _SEQUENCES[key] = cursor.fetchone()[0]
    return name


def _stored_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The concrete fields a row is written with: a generated column (GeneratedField) is
    computed by the database and may not be written."""
    fields = _STORED_FIELDS.get(model)
    if fields is None:
        fields = _STORED_FIELDS[model] = [
            field for field in model._meta.concrete_fields if not field.generated
        ]
    return fields


_STORED_FIELDS: dict[type[models.Model], list[models.Field[Any, Any]]] = {}


def _column(field: models.Field[Any, Any]) -> str:
    """A concrete field's column (None only for fields with no column of their own)."""
    return cast(str, field.column)


def rows_insert(*, model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """Insert rows given as {attname: value}; fields a row leaves out get their default."""
    if not rows:
        return
    statement, columns, values = _insert_prepared(model=model, rows=rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy(cursor.cursor, statement, _column_types(cursor, *columns), values)
        else:
            cursor.executemany(statement, list(values))


class IdPool:
    """Primary keys reserved ahead for the rows an import will insert: building rows takes
    ids from here, never waiting for the connection while a RowsPipeline uses it (a
    shortfall is reserved when asked for; ids left over are never used, a harmless gap).
    On SQLite, where the pipeline waits for nothing and ids are counted from the highest
    one stored, each is reserved when asked for."""

    def __init__(self, counts: dict[type[models.Model], int]) -> None:
        self._ids: dict[type[models.Model], deque[int]] = {}
        self._highest_taken: dict[type[models.Model], int] = {}
        if connection.vendor == "postgresql":
            for model, count in counts.items():
                self._ids[model] = deque(ids_reserve(model=model, count=count))

    def take(self, *, model: type[models.Model], count: int) -> list[int]:
        if connection.vendor != "postgresql":
            if count == 0:
                return []
            # Ids taken but not stored yet (a case's status event, numbered before the case
            # is written) are not counted from the table: the next ones start after them.
            start = max(
                ids_reserve(model=model, count=count)[0], self._highest_taken.get(model, 0) + 1
            )
            self._highest_taken[model] = start + count - 1
            return list(range(start, start + count))
        ids = self._ids.setdefault(model, deque())
        if len(ids) < count:
            ids.extend(ids_reserve(model=model, count=count - len(ids)))
        return [ids.popleft() for _ in range(count)]


def _insert_prepared(
    *, model: type[models.Model], rows: list[dict[str, Any]]
) -> tuple[str, tuple[str, str], Iterable[Sequence[Any]]]:
    """The statement (COPY on PostgreSQL, INSERT elsewhere), (table, column list) and the
    rows' values in column order, made as they are read."""
    now = datetime.datetime.now(tz=datetime.UTC)
    given = set(rows[0])
    fields = [
        field
        for field in _stored_fields(model)
        if field.attname in given or not field.primary_key  # a missing id: the database numbers it
    ]
    defaults = {
        field.attname: _default(field, now=now) for field in fields if field.attname not in given
    }
    names = [field.attname for field in fields]
    take = operator.itemgetter(*names)
    values: Iterable[Any] = (
        (take({**defaults, **row}) for row in rows) if defaults else map(take, rows)
    )
    if len(names) == 1:
        values = ((value,) for value in values)
    adapters = [
        (position, adapt)
        for position, field in enumerate(fields)
        if (adapt := _adapter(field)) is not None
    ]
    if adapters:
        values = (_adapted(value, adapters) for value in values)
    table = connection.ops.quote_name(model._meta.db_table)
    column_list = ", ".join(connection.ops.quote_name(_column(field)) for field in fields)
    if connection.vendor == "postgresql":
        # Binary COPY: psycopg's C dumpers send each value as it is stored, an order of
        # magnitude less work, for this process and for the server, than text.
        statement = f"COPY {table} ({column_list}) FROM STDIN (FORMAT BINARY)"
    else:
        placeholders = ", ".join(["%s"] * len(fields))
        statement = f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})"  # noqa: S608
    return statement, (table, column_list), values


def _adapted(value: Sequence[Any], adapters: list[tuple[int, Callable[[Any], Any]]]) -> list[Any]:
    adapted = list(value)
    for position, adapt in adapters:
        adapted[position] = adapt(adapted[position])
    return adapted


def _copy(
    cursor: Cursor, statement: str, types: list[int], values: Iterable[Sequence[Any]]
) -> None:
    """Send rows with COPY on a psycopg cursor."""
    with cursor.copy(statement) as copy:
        copy.set_types(types)
        for value in values:
            copy.write_row(value)


class RowsPipeline:
    """rows_insert for many tables in turn, the rows sent on PostgreSQL by a worker thread
    over the import's own connection (in its transaction), in the order given: while the
    database stores one table's rows and updates their indexes, this thread builds the next
    table's. Elsewhere each insert runs at once.

        with RowsPipeline() as pipeline:
            pipeline.insert(model=Person, rows=people)
            pipeline.insert(model=PersonNameKey, rows=keys)  # may name the people above

    Leaving the block waits for every insert and raises the first error, so the import's
    transaction rolls back whole. Rows handed over must not change afterwards. Meanwhile
    this thread may still read (ids_reserve): the connection serves one statement at a
    time, between two of the worker's. Foreign keys are checked at commit, as Django
    declares them: checked as each COPY ends instead (SET CONSTRAINTS ALL IMMEDIATE), they
    cost the server more in bench_import than the overlap saved; with `keys` (a started
    common.foreign_keys.ForeignKeysChecked) they are checked once per distinct key after
    the block instead."""

    def __init__(self, *, keys: ForeignKeysChecked | None = None) -> None:
        self._keys = keys
        self._error: BaseException | None = None
        self._cancelled = False
        self._thread: threading.Thread | None = None
        if connection.vendor == "postgresql":
            connection.ensure_connection()
            self._connection = connection.connection  # psycopg's, safe across threads
            self._jobs: queue.SimpleQueue[Callable[[Cursor], None] | None] = queue.SimpleQueue()
            self._thread = threading.Thread(target=self._work, name="import-rows", daemon=True)

    def __enter__(self) -> RowsPipeline:
        if self._thread is not None:
            self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._thread is None:
            return
        if error is not None:
            self._cancelled = True  # the transaction will roll back: send nothing more
        self._jobs.put(None)
        self._thread.join()
        if error is None:
            self._raise_error()

    def _raise_error(self) -> None:
        """The worker's error, as Django raises database errors (IntegrityError …)."""
        if self._error is not None:
            with connection.wrap_database_errors:
                raise self._error

    def _work(self) -> None:
        with self._connection.cursor() as cursor:
            while (job := self._jobs.get()) is not None:
                if self._error is not None or self._cancelled:
                    continue  # the transaction is lost: the rest is not sent
                try:
                    job(cursor)
                except BaseException as error:  # raised in the importing thread on leaving
                    self._error = error

    def insert(self, *, model: type[models.Model], rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        if self._keys is not None:
            self._keys.rows_inserted(model=model, rows=rows)
        if self._thread is None:
            rows_insert(model=model, rows=rows)
            return
        self._raise_error()
        statement, columns, values = _insert_prepared(model=model, rows=rows)
        # The column types too are asked for by the worker: this thread never waits for the
        # connection.
        self._jobs.put(
            lambda cursor: _copy(cursor, statement, _column_types(cursor, *columns), values)
        )

    def call(self, function: Callable[[], None]) -> None:
        """Call function() once every insert handed over before has been written."""
        if self._thread is None:
            function()
        else:
            self._jobs.put(lambda _cursor: function())


_COLUMN_TYPES: dict[tuple[str, str, str], list[int]] = {}


def _column_types(cursor: Cursor, table: str, column_list: str) -> list[int]:
    """The type of each column, as binary COPY needs it, asked of the database once per
    table, columns and database."""
    key = (connection.settings_dict["NAME"], table, column_list)
    types = _COLUMN_TYPES.get(key)
    if types is None:
        cursor.execute(f"SELECT {column_list} FROM {table} WHERE false")  # noqa: S608
        types = _COLUMN_TYPES[key] = [column.type_code for column in cursor.description]
    return types


def rows_update(
    *, objects: Sequence[models.Model], fields: list[str], batch_size: int = 1000
) -> None:
    """Write `fields` of many loaded instances, as QuerySet.bulk_update does (no save(), no
    signals). On PostgreSQL the new values are sent with COPY into a temporary table and
    applied by one UPDATE … FROM: bulk_update's CASE WHEN per row and field costs more to
    build in Python than the whole write."""
    if not objects:
        return
    model = type(objects[0])
    if connection.vendor != "postgresql":
        model._default_manager.bulk_update(objects, fields, batch_size=batch_size)
        return
    meta = model._meta
    # Names of concrete fields (a relation's name, not a reverse relation's).
    changed = [cast("models.Field[Any, Any]", meta.get_field(name)) for name in fields]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    key = quote(_column(meta.pk))
    columns = ", ".join(quote(_column(field)) for field in changed)
    assignments = ", ".join(
        f"{quote(_column(field))} = source.{quote(_column(field))}" for field in changed
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE import_update ON COMMIT DROP AS "  # noqa: S608
            f"SELECT {key}, {columns} FROM {table} WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY import_update ({key}, {columns}) FROM STDIN") as copy:
            for instance in objects:
                copy.write_row(
                    [
                        instance.pk,
                        *(
                            field.get_db_prep_save(getattr(instance, field.attname), connection)
                            for field in changed
                        ),
                    ]
                )
        cursor.execute(
            f"UPDATE {table} AS target SET {assignments} FROM import_update AS source "  # noqa: S608
            f"WHERE target.{key} = source.{key}"
        )
        cursor.execute("DROP TABLE import_update")


def history_rows(
    *,
    model: type[models.Model],
    rows: list[dict[str, Any]],
    user_id: int | None,
    when: datetime.datetime,
    history_type: str = "+",
    history_ids: list[int] | None = None,
    reason: str | None = None,
) -> list[dict[str, Any]]:
    """simple_history's row for each written row: every tracked field, who, when, what (and
    why: the history's change reason)."""
    history_model = history_model_of(model)
    tracked = [field.attname for field in history_model.tracked_fields]
    tracked_names = set(tracked)
    take = operator.itemgetter(*tracked)
    extra = {
        "history_date": when,
        "history_user_id": user_id,
        "history_change_reason": reason,
        "history_type": history_type,
    }
    result: list[dict[str, Any]] = []
    for position, row in enumerate(rows):
        keys = row.keys()
        if keys == tracked_names:
            # A complete row (row_complete) of a model whose fields are all tracked: copied
            # whole, the cheapest way.
            record = {**row, **extra}
        elif tracked_names <= keys:
            values = take(row) if len(tracked) > 1 else (take(row),)
            record = dict(zip(tracked, values, strict=True))
            record.update(extra)
        else:
            record = {name: row.get(name) for name in tracked}
            record.update(extra)
        if history_ids is not None:
            record["history_id"] = history_ids[position]
        result.append(record)
    return result


def history_model_of(model: type[models.Model]) -> Any:
    """simple-history's model of `model`'s history rows (a generated class: the stubs know
    neither the `history` descriptor nor its tracked_fields)."""
    return model.history.model  # type: ignore[attr-defined]


def _constant_defaults(model: type[models.Model]) -> dict[str, Any]:
    defaults: dict[str, Any] = {}
    for field in _stored_fields(model):
        if field.primary_key or _stamped(field):
            continue
        if field.has_default() and callable(field.default):
            continue  # a fresh value per row, filled in by row_complete
        defaults[field.attname] = field.get_default()
    return defaults


def row_complete(
    *, model: type[models.Model], row: dict[str, Any], now: datetime.datetime
) -> dict[str, Any]:
    """The row with every stored field filled in, as the database will hold it, so its
    history row records the same values."""
    constants = _CONSTANT_DEFAULTS.get(model)
    if constants is None:
        constants = _CONSTANT_DEFAULTS[model] = _constant_defaults(model)
    complete = {**constants, **row}
    fields = _stored_fields(model)
    if len(complete) < len(fields):
        for field in fields:
            if field.attname not in complete:
                complete[field.attname] = _default(field, now=now)
    return complete


def _stamped(field: models.Field[Any, Any]) -> bool:
    """Whether a save sets the field to the moment of saving (auto_now, auto_now_add)."""
    return bool(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False))


def _default(field: models.Field[Any, Any], *, now: datetime.datetime) -> Any:
    """The value a save gives a field the row leaves out."""
    return now if _stamped(field) else field.get_default()


_CONSTANT_DEFAULTS: dict[type[models.Model], dict[str, Any]] = {}


def objects_insert(
    *,
    objects: Sequence[models.Model],
    now: datetime.datetime,
    history: bool = True,
    history_user_id: int | None = None,
    history_reason: str | None = None,
) -> list[int]:
    """Insert unsaved model instances of one model with rows_insert: each gets its primary
    key (reserved with ids_reserve) and its auto_now fields set to `now`, as a save would.
    With history, one history row each (when `now`, who history_user_id, why
    history_reason); returns the history rows' ids in the order of objects."""
    if not objects:
        return []
    model = type(objects[0])
    fields = _stored_fields(model)
    stamped = [field.attname for field in fields if _stamped(field)]
    # A relation set to an instance saved since (its id unknown then) takes the id now, as
    # a save does.
    relations = [
        field for field in fields if isinstance(field, models.ForeignKey) and field.many_to_one
    ]
    rows = []
    for instance, pk in zip(objects, ids_reserve(model=model, count=len(objects)), strict=True):
        instance.pk = pk
        for name in stamped:
            setattr(instance, name, now)
        for field in relations:
            if getattr(instance, field.attname) is None and field.is_cached(instance):
                related = field.get_cached_value(instance)
                if related is not None:
                    setattr(instance, field.attname, related.pk)
        rows.append({field.attname: getattr(instance, field.attname) for field in fields})
    rows_insert(model=model, rows=rows)
    if not history:
        return []
    history_model = history_model_of(model)
    history_ids = ids_reserve(model=history_model, count=len(rows))
    rows_insert(
        model=history_model,
        rows=history_rows(
            model=model,
            rows=rows,
            user_id=history_user_id,
            when=now,
            history_ids=history_ids,
            reason=history_reason,
        ),
    )
    return history_ids
