"""Planning an import run, and ending one that fails: what the lifecycle in
casework.importing.runs and the preview in casework.importing.run_preview share."""

from __future__ import annotations

import contextlib
import gc
import logging
from collections.abc import Callable, Iterator
from typing import cast

from django.utils import timezone
from django.utils.translation import gettext as _

from casework.importing.candidates import name_keys_cached, name_parts_cached, whole_key_cached
from casework.importing.cells import Cell, ImportFileError, Table
from casework.importing.header_rows import table_header
from casework.importing.mapping import mapping_validate
from casework.importing.matching import import_plan_build
from casework.importing.parsing import import_file_read
from casework.importing.plan import ImportPlan
from casework.importing.rows import column_names, date_orders_find, rows_parse
from casework.importing.run_files import run_files_delete, run_upload_read
from casework.importing.status_words import status_words_remembered
from casework.importing.writing import ImportWritten
from casework.models import ImportRun
from casework.visibility import AnyUser

logger = logging.getLogger("casework.importing.runs")


@contextlib.contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Python's cycle collector off while a file is read, planned and written, back on after
    (only if it was on: nested and concurrent uses leave it as they found it). A big import
    holds hundreds of thousands of live rows, and every full collection walks them all for
    nothing: a quarter of the import's processor time. Reference counting still frees
    everything that is not a cycle, and the cycles made meanwhile are collected afterwards."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()
            # The outermost import is over: the names it read need not stay in memory.
            name_parts_cached.cache_clear()
            name_keys_cached.cache_clear()
            whole_key_cached.cache_clear()


def run_file_error(run: ImportRun, message: str, *, row: int = 1) -> ImportRun:
    run_files_delete(run)
    run.state = ImportRun.State.FAILED
    run.errors = [{"row": row, "column": "", "message": message}]
    run.count_errors = 1
    run.finished_at = timezone.now()
    run.save()
    return run


def run_failed(run: ImportRun, error: BaseException) -> ImportRun:
    """An error nobody foresaw (a database refusing a write, a disk full …): the run says
    so and ends, its files are deleted, and nothing is left half-written or 'running'."""
    if run.pk is None:
        # Failed while its upload was read: recorded first, so that the log and the message
        # give the number an administrator looks for.
        with contextlib.suppress(Exception):
            run.save()
    logger.exception("Import run %s failed", run.pk, exc_info=error)
    message = _(
        "The import stopped on an unexpected error (%(error)s); nothing was written. Try "
        "again later; if it happens again, tell an administrator, who can find the details "
        "in the server log under import run %(run)s."
    ) % {"error": type(error).__name__, "run": run.pk}
    try:
        run_file_error(run, message, row=run.header_row)
    except Exception:
        # The database itself is failing: the files go at least, and the purge ends the
        # run later.
        logger.exception("Import run %s could not be marked failed", run.pk)
        run_files_delete(run)
    return run


def import_run_table(*, run: ImportRun) -> tuple[list[Cell], list[tuple[int, list[Cell]]]]:
    cached = getattr(run, "_table_rows", None)
    if cached:
        return cached[0][1], cached[1:]
    try:
        data = run_upload_read(run=run)
    except FileNotFoundError:
        raise ImportFileError(_("The uploaded file is no longer kept; upload it again.")) from None
    table: Table = import_file_read(data=data, file_name=run.file_name)
    header = table_header(table=table, header_number=run.header_row)
    return header.headers, table.rows[header.data_start :]


@cycle_collection_paused()
def run_user(run: ImportRun) -> AnyUser:
    """Whom a run works for in a worker: its uploader. (None only if the account was deleted
    since; the visibility rule then shows nothing.)"""
    return cast("AnyUser", run.user)


def import_run_plan(
    *, run: ImportRun, user: AnyUser, on_progress: Callable[[int], None] | None = None
) -> ImportPlan:
    """What the import would do now, row by row; reads only."""
    mapping_validate(headers=run.headers, mapping=run.mapping)
    headers, rows = import_run_table(run=run)
    date_orders = date_orders_find(rows=rows, mapping=run.mapping, date_order=run.date_order)
    parsed = rows_parse(
        rows=rows,
        headers=headers,
        mapping=run.mapping,
        status_words=import_run_status_words(run=run),
        date_orders=date_orders,
    )
    plan = import_plan_build(
        rows=parsed,
        organisation=run.organisation,
        user=user,
        column_names=column_names(headers=headers, mapping=run.mapping),
        decisions=run.decisions,
        on_progress=on_progress,
    )
    plan.dates_ambiguous = date_orders.ambiguous
    return plan


def import_run_status_words(*, run: ImportRun) -> dict[str, str]:
    """The status words a run reads with: the organisation's remembered ones, and those
    given for this file (the command line's), which come first."""
    return {**status_words_remembered(organisation=run.organisation), **run.status_words}


def run_counts_store(run: ImportRun, plan: ImportPlan) -> None:
    summary = plan.summary()
    run.count_new = summary["new"]
    run.count_new_people = summary["new_people"]
    run.count_linked_people = summary["linked_people"]
    run.count_updated = summary["updated"]
    run.count_unchanged = summary["unchanged"]
    run.count_possible_duplicates = summary["possible_duplicates"]
    run.errors = summary["errors"]
    run.count_errors = len(summary["errors"])


def run_cases_written_store(run: ImportRun, written: ImportWritten) -> None:
    """Keep the first cases the run created and updated; the caller's save of the run
    writes them with its state, so recording them costs no statement of its own."""
    run.created_case_ids = written.created_case_ids[: ImportRun.CASES_KEPT]
    run.updated_case_ids = written.updated_case_ids[: ImportRun.CASES_KEPT]
