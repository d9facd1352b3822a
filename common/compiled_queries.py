"""Queries that every request sends, compiled once per database connection.

Some queries have the same shape on every request and differ only in one value (the
account read with its membership, by id). Django builds and compiles such a query afresh
each time: its clauses resolved against the models, its joins and columns worked out,
the SQL written, several times the cost of running it on SQLite. Here the queryset is
built and compiled once per connection with a stand-in for the value; later calls send
the same SQL with the value in the stand-in's place and make the instances from the rows
exactly as QuerySet iteration does (Django's converters, select_related's populators).

The compiled query is kept on the connection object: a connection belongs to one thread,
and a test database or an override of the settings that changes the SQL comes with a
new connection or none of these queries (they read no setting).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLCompiler

ModelT = TypeVar("ModelT", bound=Model)

# Stands in for the value while the query is compiled: no row has this id, and it is
# within a 32-bit integer column's range (PostgreSQL's lookups drop a value outside it).
STAND_IN = -1_987_654_323

# The compiled queries a connection keeps at most (then it starts afresh).
COMPILED_AT_MOST = 4096


class _Compiled:
    def __init__(self, compiler: SQLCompiler, sql: str, params: list[Any], slot: int) -> None:
        self.compiler, self.sql, self.params, self.slot = compiler, sql, params, slot
        self.maker: _Maker | None = None


class _Maker:
    """What QuerySet iteration works out afresh for every query to make instances from its
    rows: the columns' converters, the model's fields, select_related's populators. They
    depend on the compiled query and the connection only, so they are worked out once."""

    def __init__(self, compiler: SQLCompiler, alias: str) -> None:
        select, klass_info = compiler.select, compiler.klass_info
        if klass_info is None or compiler.annotation_col_map:
            raise ValueError("a query of model instances without annotations is needed")
        fields = [column[0] for column in select[0 : compiler.col_count]]
        if compiler.has_composite_fields(fields):
            raise ValueError("a query without composite fields is needed")
        self.converters = compiler.get_converters(fields)
        self.model = klass_info["model"]
        self.start = klass_info["select_fields"][0]
        self.end = klass_info["select_fields"][-1] + 1
        self.field_names = [column[0].target.attname for column in select[self.start : self.end]]
        # Django 5.2's signature; the stubs describe a later one.
        self.populators = get_related_populators(klass_info, select, alias)  # type: ignore[call-arg]


def instances_compiled_once(
    *,
    name: str | tuple[object, ...],
    model: type[ModelT],
    queryset_for: Callable[[Any], QuerySet[ModelT]],
    value: Any,
) -> list[ModelT]:
    """The instances of queryset_for(value), a queryset of model, its query compiled once
    per connection under name. queryset_for must put the value into the query once, as a
    parameter (a filter on a key, say), and give a query of the same shape whatever the
    value, with no annotations."""
    connection = connections[router.db_for_read(model)]
    compiled_queries: dict[str | tuple[object, ...], _Compiled] = connection.__dict__.setdefault(
        "advocase_compiled_queries", {}
    )
    compiled = compiled_queries.get(name)
    if compiled is None:
        if len(compiled_queries) >= COMPILED_AT_MOST:
            # Names can be per account (casework.permissions' record fetches): bounded.
            compiled_queries.clear()
        compiled = compiled_queries[name] = _compiled(queryset_for(STAND_IN), connection.alias)
    params = list(compiled.params)
    params[compiled.slot] = value
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        rows = cursor.fetchall()
    return _instances(compiled, rows, connection.alias)


def _compiled(queryset: QuerySet[Any], alias: str) -> _Compiled:
    compiler = queryset.query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    slots = [index for index, param in enumerate(params) if param == STAND_IN]
    if len(slots) != 1:
        raise ValueError(f"the value must reach the query once as a parameter: {sql}")
    return _Compiled(compiler, sql, list(params), slots[0])


def _instances(compiled: _Compiled, rows: list[Any], alias: str) -> list[Any]:
    """Model instances from the rows, as django.db.models.query.ModelIterable makes them
    (no annotations or known related objects: the queries here have none), the rows
    converted as SQLCompiler.results_iter converts them."""
    maker = compiled.maker
    if maker is None:
        maker = compiled.maker = _Maker(compiled.compiler, alias)
    if maker.converters:
        rows = list(compiled.compiler.apply_converters(rows, maker.converters))
    model, start, end, field_names = maker.model, maker.start, maker.end, maker.field_names
    instances = []
    for row in rows:
        instance = model.from_db(alias, field_names, row[start:end])
        for populator in maker.populators:
            populator.populate(row, instance)
        instances.append(instance)
    return instances
