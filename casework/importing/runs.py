"""An import from upload to result: the ImportRun row is the one record of it, and every
entry point (web views, the Celery task, the management command, the benchmark) calls these
functions.

Beside the uploaded file, a run may keep two small files in MEDIA_ROOT/imports while it is
open: the plan of a large file's preview (made once in the background, read by the page)
and the progress of the work under way (written outside the import's transaction, so a
page polling it sees it, whatever database and whatever process does the work). All of a
run's files go when it finishes, fails, or is left unconfirmed (import_uploads_purge)."""

from __future__ import annotations

import contextlib
import datetime
import gc
import hashlib
import json
import logging
import os
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from casework.importing.mapping import (
    column_letter,
    header_row_find,
    headers_check_duplicates,
    mapping_remember,
    mapping_suggest,
    mapping_validate,
)
from casework.importing.matching import (
    NEW,
    UPDATE,
    ImportPlan,
    column_names,
    import_plan_build,
    name_keys_cached,
    name_parts_cached,
    rows_parse,
    whole_key_cached,
)
from casework.importing.parsing import Cell, ImportFileError, Table, import_file_read, text_clean
from casework.importing.preview import preview_from_plan
from casework.importing.writing import ImportWritten, import_plan_write
from casework.models import Case, ImportRun, Organisation
from casework.permissions import import_organisations_for
from casework.visibility import cases_visible_to


@contextlib.contextmanager
def _cycle_collection_paused():
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


def import_run_cases_for(*, run: ImportRun, user) -> dict[str, dict[str, Any]]:
    """The cases a run created and updated that this user may see, in the file's order,
    for the result page: {"created": {"cases": [...], "more": n}, "updated": {...}}, where
    `more` counts those not listed (beyond the ones kept, or not the user's to see). One
    query, whatever the number of cases."""
    wanted = [*run.created_case_ids, *run.updated_case_ids]
    cases = (
        cases_visible_to(user)
        .filter(pk__in=wanted)
        .select_related("person")
        .only("pk", "reference", "person__full_name")
        .in_bulk()
        if wanted
        else {}
    )
    result = {}
    for kind, ids, count in (
        ("created", run.created_case_ids, run.count_new),
        ("updated", run.updated_case_ids, run.count_updated),
    ):
        # A list shorter than the cap holds them all (two rows may update one case, and a
        # run from before the lists were kept has none); a full one is the first of `count`.
        total = max(count, len(ids)) if len(ids) >= ImportRun.CASES_KEPT else len(ids)
        listed: list[Case] = [cases[pk] for pk in ids if pk in cases]
        result[kind] = {"cases": listed, "more": total - len(listed)}
    return result


logger = logging.getLogger(__name__)

# Uploads not confirmed within this long are deleted (import_uploads_purge).
UNCONFIRMED_UPLOAD_MAX_AGE = datetime.timedelta(hours=24)
# The share of a run's progress bar that checking the rows takes; writing takes the rest,
# so the bar reaches its end only when the last row is written.
CHECK_SHARE = 0.4
_OPEN_STATES = (ImportRun.State.UPLOADED, ImportRun.State.READY)


# --- The run's files ------------------------------------------------------------------------


def _folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _side_file(run: ImportRun, kind: str) -> Path:
    """The run's plan or progress, named after its upload (unique, unlike a row id that a
    test database hands out again)."""
    stem = Path(run.stored_path).stem if run.stored_path else f"run-{run.pk}"
    return _folder() / f"{stem}.{kind}.json"


def _json_write(path: Path, data: dict[str, Any]) -> None:
    """Written whole or not at all (a reader never sees half a file), readable by the
    server's user only: it holds names from the partner's file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, default=str)
    os.replace(temporary, path)


def _json_read(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _files_delete(run: ImportRun) -> None:
    """The partner's file holds names of people at risk: once the run is over only its
    SHA-256 and the outcome are kept."""
    for kind in ("plan", "progress"):
        _side_file(run, kind).unlink(missing_ok=True)
    if run.stored_path:
        (Path(settings.MEDIA_ROOT) / run.stored_path).unlink(missing_ok=True)
        run.stored_path = ""


def _file_error(run: ImportRun, message: str, *, row: int = 1) -> ImportRun:
    _files_delete(run)
    run.state = ImportRun.State.FAILED
    run.errors = [{"row": row, "column": "", "message": message}]
    run.count_errors = 1
    run.finished_at = timezone.now()
    run.save()
    return run


def _run_failed(run: ImportRun, error: BaseException) -> ImportRun:
    """An error nobody foresaw (a database refusing a write, a disk full …): the run says
    so and ends, its files are deleted, and nothing is left half-written or 'running'."""
    logger.exception("Import run %s failed", run.pk, exc_info=error)
    message = (
        f"The import stopped on an unexpected error ({type(error).__name__}); nothing was "
        "written. Try again later; if it happens again, tell an administrator, who can find "
        f"the details in the server log under import run {run.pk}."
    )
    try:
        _file_error(run, message, row=run.header_row)
    except Exception:
        # The database itself is failing: the files go at least, and the purge ends the
        # run later.
        logger.exception("Import run %s could not be marked failed", run.pk)
        _files_delete(run)
    return run


@_cycle_collection_paused()
def import_run_create(
    *, data: bytes, file_name: str, organisation: Organisation, user, dry_run: bool = False
) -> ImportRun:
    """Store the upload and recognise its columns. A refused file still leaves a history row
    (state failed, with the reason), so a partner can see what happened to it."""
    if not import_organisations_for(user).filter(pk=organisation.pk).exists():
        raise PermissionDenied("You may not import into this organisation.")
    run = ImportRun(
        organisation=organisation,
        user=user,
        file_name=text_clean(Path(file_name).name)[:255] or "upload",
        file_sha256=hashlib.sha256(data).hexdigest(),
        file_size=len(data),
        dry_run=dry_run,
    )
    if len(data) > settings.IMPORT_MAX_BYTES:
        return _file_error(
            run,
            f"The file is {len(data) / 1_048_576:.1f} MB; the limit is "
            f"{settings.IMPORT_MAX_BYTES / 1_048_576:.0f} MB.",
        )
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    stored = folder / f"{uuid.uuid4().hex}.upload"
    descriptor = os.open(stored, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    run.stored_path = str(stored.relative_to(settings.MEDIA_ROOT))
    try:
        table = import_file_read(data=data, file_name=file_name)
    except ImportFileError as error:
        return _file_error(run, str(error))
    except Exception as error:  # a file no check foresaw: refused, never a server error
        return _run_failed(run, error)
    run.file_format = table.file_format
    if not table.rows:
        return _file_error(run, "The file has no rows.")
    position = header_row_find(table=table)
    header_number, headers = table.rows[position]
    run.header_row = header_number
    max_chars = settings.IMPORT_MAX_CELL_CHARS
    for index, header in enumerate(headers):
        if isinstance(header, str) and len(header) > max_chars:
            return _file_error(
                run,
                f"The header of column {column_letter(index)} has {len(header):,} characters; "
                f"the limit for a cell is {max_chars:,}. Is the first row of the sheet the "
                "header?",
                row=header_number,
            )
    run.headers = [_json_cell(cell) for cell in headers]
    run.rows_total = len(table.rows) - position - 1
    try:
        headers_check_duplicates(headers=headers)
    except ImportFileError as error:
        return _file_error(run, str(error), row=header_number)
    run.mapping = mapping_suggest(headers=headers, organisation=organisation)
    # Kept for this process, so a caller that plans at once does not parse the file twice.
    run._table_rows = table.rows[position:]
    if run.rows_total == 0:
        return _file_error(run, "The file has a header but no data rows.", row=header_number)
    run.save()
    return run


def _json_cell(cell: Cell) -> Any:
    return "" if cell is None else str(cell)


def import_run_table(*, run: ImportRun) -> tuple[list[Cell], list[tuple[int, list[Cell]]]]:
    cached = getattr(run, "_table_rows", None)
    if cached:
        return cached[0][1], cached[1:]
    if not run.stored_path:
        raise ImportFileError("The uploaded file is no longer kept; upload it again.")
    try:
        data = (Path(settings.MEDIA_ROOT) / run.stored_path).read_bytes()
    except FileNotFoundError:
        raise ImportFileError("The uploaded file is no longer kept; upload it again.") from None
    table: Table = import_file_read(data=data, file_name=run.file_name)
    position = next(
        index for index, (number, _) in enumerate(table.rows) if number == run.header_row
    )
    return table.rows[position][1], table.rows[position + 1 :]


def import_run_set_mapping(
    *, run: ImportRun, mapping: dict[str, str], remember: bool = True
) -> None:
    """Raises ImportFileError when the mapping lacks a required field or doubles one."""
    mapping = {index: key for index, key in mapping.items() if key}
    mapping_validate(headers=run.headers, mapping=mapping)
    if remember:
        mapping_remember(headers=run.headers, mapping=mapping, organisation=run.organisation)
    ImportRun.objects.filter(pk=run.pk).update(mapping=mapping)
    run.mapping = mapping


@_cycle_collection_paused()
def import_run_plan(
    *, run: ImportRun, user, on_progress: Callable[[int], None] | None = None
) -> ImportPlan:
    """What the import would do now, row by row; reads only."""
    mapping_validate(headers=run.headers, mapping=run.mapping)
    headers, rows = import_run_table(run=run)
    parsed = rows_parse(rows=rows, headers=headers, mapping=run.mapping)
    return import_plan_build(
        rows=parsed,
        organisation=run.organisation,
        user=user,
        column_names=column_names(headers=headers, mapping=run.mapping),
        decisions=run.decisions,
        on_progress=on_progress,
    )


def _store_counts(run: ImportRun, plan: ImportPlan) -> None:
    summary = plan.summary()
    run.count_new = summary["new"]
    run.count_updated = summary["updated"]
    run.count_unchanged = summary["unchanged"]
    run.count_possible_duplicates = summary["possible_duplicates"]
    run.errors = summary["errors"]
    run.count_errors = len(summary["errors"])


def _store_cases_written(run: ImportRun, written: ImportWritten) -> None:
    """Keep the first cases the run created and updated; the caller's save of the run
    writes them with its state, so recording them costs no statement of its own."""
    run.created_case_ids = written.created_case_ids[: ImportRun.CASES_KEPT]
    run.updated_case_ids = written.updated_case_ids[: ImportRun.CASES_KEPT]


# --- Preview ----------------------------------------------------------------------------------


def _plan_key(run: ImportRun) -> str:
    """What a stored plan was made from: a plan of another mapping or other choices is not
    this one."""
    basis = json.dumps([run.file_sha256, run.mapping, run.decisions], sort_keys=True)
    return hashlib.sha256(basis.encode()).hexdigest()


def import_run_is_large(run: ImportRun) -> bool:
    return run.rows_total > settings.IMPORT_ASYNC_ROWS


def import_run_preview(*, run: ImportRun, user, keep: bool | None = None) -> ImportPlan | None:
    """Plan the import now and record its counts (and, for a large file, or when asked to
    keep it, what the preview page shows); the run is ready to confirm when error-free."""
    if run.state not in _OPEN_STATES:
        raise ImportFileError("This import has already been confirmed.")
    large = import_run_is_large(run) if keep is None else keep
    key = _plan_key(run)
    started = time.time()

    def progress(done: int) -> None:
        _progress_write(run, phase="checking", done=done, total=run.rows_total, since=started)

    try:
        plan = import_run_plan(run=run, user=user, on_progress=progress if large else None)
    except ImportFileError as error:
        run.errors = [{"row": run.header_row, "column": "", "message": str(error)}]
        run.count_errors = 1
        run.state = ImportRun.State.UPLOADED
        run.save()
        if large:
            _json_write(_side_file(run, "plan"), {"key": key, "state": "ready", "preview": None})
        return None
    _store_counts(run, plan)
    run.state = ImportRun.State.READY if not run.count_errors else ImportRun.State.UPLOADED
    # The row first: a plan file saying "ready" is what the progress bar takes for the end,
    # and the page it sends the user to must then find the run ready too.
    run.save()
    if large:
        _json_write(
            _side_file(run, "plan"),
            {"key": key, "state": "ready", "preview": preview_from_plan(plan)},
        )
        _side_file(run, "progress").unlink(missing_ok=True)
    return plan


def import_run_preview_request(*, run: ImportRun, user) -> dict[str, Any] | None:
    """What the preview page shows, or None while a large file's plan is being made.

    A small file is planned at once, on every visit (it is quick, and always current). A
    large one is planned once, in a worker, and its plan kept: visiting the page again
    reads it, and only another mapping or other choices make a new one."""
    if not import_run_is_large(run):
        try:
            plan = import_run_preview(run=run, user=user)
        except ImportFileError:
            raise
        except Exception as error:  # the run must end, whatever happened
            _run_failed(run, error)
            return None
        return preview_from_plan(plan) if plan else {"rows": [], "rows_hidden": 0, "duplicates": []}
    key = _plan_key(run)
    stored = _json_read(_side_file(run, "plan"))
    if stored and stored.get("key") == key:
        if stored.get("state") == "ready":
            return stored.get("preview") or {"rows": [], "rows_hidden": 0, "duplicates": []}
        if not _plan_lost(run):
            return None  # queued or being made
    from casework.tasks import import_run_execute_task

    _json_write(_side_file(run, "plan"), {"key": key, "state": "queued"})
    # Nothing may be confirmed until the new plan is shown.
    ImportRun.objects.filter(pk=run.pk, state=ImportRun.State.READY).update(
        state=ImportRun.State.UPLOADED
    )
    run.state = ImportRun.State.UPLOADED
    _side_file(run, "progress").unlink(missing_ok=True)
    transaction.on_commit(lambda: import_run_execute_task.delay(run.pk))
    return None


# A plan asked for but neither started nor moved on for this long is taken for lost (a
# worker that stopped), and asked for again when the page is visited.
PLAN_LOST_AFTER = datetime.timedelta(minutes=15)


def _plan_lost(run: ImportRun) -> bool:
    moments = [
        path.stat().st_mtime
        for path in (_side_file(run, "plan"), _side_file(run, "progress"))
        if path.exists()
    ]
    return not moments or time.time() - max(moments) > PLAN_LOST_AFTER.total_seconds()


def _preview_in_background(run: ImportRun) -> ImportRun:
    """A large file's preview, asked for by import_run_preview_request: plan it and keep the
    plan, unless the mapping or the choices changed since (a newer request will come), or
    another worker is making it."""
    stored = _json_read(_side_file(run, "plan"))
    if not stored or stored.get("key") != _plan_key(run):
        return run
    if stored.get("state") != "queued" and not (
        stored.get("state") == "planning" and _plan_lost(run)
    ):
        return run
    _json_write(_side_file(run, "plan"), {**stored, "state": "planning"})
    try:
        import_run_preview(run=run, user=run.user, keep=True)
    except Exception as error:  # the run must end, whatever happened
        return _run_failed(run, error)
    return run


# --- Progress -----------------------------------------------------------------------------


def _progress_write(
    run: ImportRun, *, phase: str, done: int, total: int, since: float | None = None
) -> None:
    previous = _json_read(_side_file(run, "progress")) or {}
    _json_write(
        _side_file(run, "progress"),
        {
            "phase": phase,
            "done": done,
            "total": total,
            "since": previous.get("since") if since is None else since,
        },
    )


def import_run_progress(*, run: ImportRun) -> dict[str, Any]:
    """What the progress bar shows: rows done of total and the time left, for the check of
    a large file's preview and for the import itself (checking, then writing: the bar
    reaches its end when the last row is written)."""
    state, state_label = run.state, run.get_state_display()
    rows_done, seconds_left, phase, finished = run.rows_done, None, "", False
    progress = _json_read(_side_file(run, "progress")) if run.pk else None
    if run.state in _OPEN_STATES:
        stored = _json_read(_side_file(run, "plan"))
        planning = (
            import_run_is_large(run)
            and stored is not None
            and stored.get("key") == _plan_key(run)
            and stored.get("state") in ("queued", "planning")
        )
        rows_done = 0
        if planning:
            state, state_label, phase = "planning", "Checking the rows", "checking"
            if progress and progress.get("phase") == "checking":
                rows_done = min(progress["done"], run.rows_total)
                seconds_left = _seconds_left(
                    progress.get("since"), rows_done / max(run.rows_total, 1)
                )
        else:
            finished = True
    elif run.state == ImportRun.State.RUNNING:
        fraction = run.rows_done / max(run.rows_total, 1)
        if progress:
            phase = progress["phase"]
            share = progress["done"] / max(progress["total"], 1)
            fraction = (
                share * CHECK_SHARE
                if phase == "checking"
                else CHECK_SHARE + share * (1 - CHECK_SHARE)
            )
        rows_done = min(round(fraction * run.rows_total), run.rows_total)
        since = run.started_at.timestamp() if run.started_at else None
        seconds_left = _seconds_left(since, fraction)
    elif run.state in (ImportRun.State.DONE, ImportRun.State.FAILED):
        finished = True
    return {
        "state": state,
        "state_label": str(state_label),
        "phase": phase,
        "phase_done": progress["done"] if progress and phase else None,
        "phase_total": progress["total"] if progress and phase else None,
        "rows_done": rows_done,
        "rows_total": run.rows_total,
        "seconds_left": seconds_left,
        "finished": finished,
        "counts": {
            "new": run.count_new,
            "updated": run.count_updated,
            "unchanged": run.count_unchanged,
            "possible_duplicates": run.count_possible_duplicates,
            "errors": run.count_errors,
        },
    }


def _seconds_left(since: float | None, fraction: float) -> int | None:
    if not since or fraction <= 0:
        return None
    elapsed = time.time() - since
    return max(round(elapsed / fraction * (1 - fraction)), 0)


# --- Confirm and write --------------------------------------------------------------------


def import_run_confirm(*, run: ImportRun, user, decisions: dict[str, dict]) -> ImportRun:
    """Claim the run once (a double click confirms once) and run it now or in a worker."""
    from casework.tasks import import_run_execute_task

    with transaction.atomic():
        claimed = ImportRun.objects.filter(pk=run.pk, state=ImportRun.State.READY).update(
            state=ImportRun.State.QUEUED, decisions=decisions, rows_done=0
        )
        if claimed and import_run_is_large(run):
            import_run_execute_task.delay_on_commit(run.pk)
    if claimed and not import_run_is_large(run):
        import_run_execute(import_run_id=run.pk)
    run.refresh_from_db()
    return run


def _reference_prefix(run: ImportRun) -> str:
    return f"{run.organisation.slug[:24].upper()}-{run.pk}"


@_cycle_collection_paused()
def import_run_execute(*, import_run_id: int) -> ImportRun:
    """The background work of a run (what import_run_execute_task calls): a large file's
    preview when one was asked for, or, once confirmed, re-plan against today's data and
    write it all, or nothing. Idempotent: a run that is done (or was never confirmed and
    asked for no preview) is left alone; whatever goes wrong, the run ends failed with a
    message, never stuck 'running'."""
    run = ImportRun.objects.select_related("organisation", "user").get(pk=import_run_id)
    if run.state in _OPEN_STATES:
        return _preview_in_background(run)
    claimed = ImportRun.objects.filter(
        pk=import_run_id, state__in=(ImportRun.State.QUEUED, ImportRun.State.RUNNING)
    ).update(state=ImportRun.State.RUNNING, started_at=timezone.now(), rows_done=0)
    run.refresh_from_db()
    if not claimed:
        return run
    try:
        return _execute(run)
    except Exception as error:  # the run must end, whatever happened
        return _run_failed(run, error)


def _execute(run: ImportRun) -> ImportRun:
    _side_file(run, "progress").unlink(missing_ok=True)

    def checking(done: int) -> None:
        _progress_write(run, phase="checking", done=done, total=run.rows_total)

    try:
        plan = import_run_plan(run=run, user=run.user, on_progress=checking)
    except ImportFileError as error:
        return _file_error(run, str(error), row=run.header_row)
    _store_counts(run, plan)
    if run.count_errors:
        run.state = ImportRun.State.FAILED
    elif run.dry_run:
        run.state = ImportRun.State.DONE
    else:
        to_write = sum(1 for row in plan.rows if row.outcome in (NEW, UPDATE))

        def writing(done: int) -> None:
            _progress_write(run, phase="writing", done=done, total=to_write)

        writing(0)
        with transaction.atomic():
            # Lock the run: a redelivered task waits here, then finds it done.
            locked = ImportRun.objects.select_for_update().get(pk=run.pk)
            if locked.state != ImportRun.State.RUNNING:
                return locked
            written = import_plan_write(
                plan=plan,
                user=run.user,
                reference_prefix=_reference_prefix(run),
                on_progress=writing,
            )
            _store_cases_written(run, written)
            run.state = ImportRun.State.DONE
            run.rows_done = run.rows_total
            run.finished_at = timezone.now()
            run.save()
        _files_delete(run)
        ImportRun.objects.filter(pk=run.pk).update(stored_path="")
        return run
    run.rows_done = run.rows_total
    run.finished_at = timezone.now()
    _files_delete(run)
    run.save()
    return run


@_cycle_collection_paused()
def import_file_run(
    *,
    data: bytes,
    file_name: str,
    organisation: Organisation,
    user,
    dry_run: bool = False,
    decisions: dict[str, dict] | None = None,
) -> tuple[ImportRun, dict[str, Any]]:
    """Upload, map automatically, preview and (without errors, unless a dry run) write, in
    one call: what the command line and the benchmark do. Returns the run and the summary
    {"new", "updated", "unchanged", "possible_duplicates", "errors"}."""
    run = import_run_create(
        data=data, file_name=file_name, organisation=organisation, user=user, dry_run=dry_run
    )
    if run.state == ImportRun.State.UPLOADED:
        run.decisions = decisions or {}
        run.started_at = timezone.now()
        try:
            _file_run(run, user=user, dry_run=dry_run)
        except Exception as error:  # the run must end, whatever happened
            _run_failed(run, error)
    summary = {
        "new": run.count_new,
        "updated": run.count_updated,
        "unchanged": run.count_unchanged,
        "possible_duplicates": run.count_possible_duplicates,
        "errors": run.errors,
    }
    return run, summary


def _file_run(run: ImportRun, *, user, dry_run: bool) -> None:
    try:
        # Planned once and written from the same plan: no second parse of the file.
        plan = import_run_plan(run=run, user=user)
    except ImportFileError as error:
        _file_error(run, str(error), row=run.header_row)
        return
    _store_counts(run, plan)
    run.rows_done = run.rows_total
    if run.count_errors:
        run.state = ImportRun.State.FAILED
    elif not dry_run:
        with transaction.atomic():
            written = import_plan_write(
                plan=plan, user=user, reference_prefix=_reference_prefix(run)
            )
            _store_cases_written(run, written)
            run.state = ImportRun.State.DONE
            run.finished_at = timezone.now()
            run.save()
    else:
        run.state = ImportRun.State.DONE
    run.finished_at = timezone.now()
    _files_delete(run)
    run.save()


# --- Abandoned uploads ------------------------------------------------------------------------


def import_uploads_purge(
    *, now: datetime.datetime, max_age: datetime.timedelta = UNCONFIRMED_UPLOAD_MAX_AGE
) -> int:
    """Delete the files of runs left unconfirmed for max_age (the run ends failed, saying
    why), of runs queued or running that long (a worker that is gone; no import takes a
    day), of finished runs that still have one, and any file in the imports folder no open
    run owns once it is that old. Returns how many files were deleted. Run by the periodic
    task casework.tasks.import_uploads_purge_task."""
    cutoff = now - max_age
    hours = f"{max_age.total_seconds() / 3600:.0f} hours"
    ending = {
        f"Not confirmed within {hours}: the uploaded file was deleted. Upload it again to "
        "import it.": ImportRun.objects.filter(state__in=_OPEN_STATES, created_at__lt=cutoff),
        f"The import did not finish within {hours}; nothing was written and the uploaded "
        "file was deleted. Upload it again to import it.": ImportRun.objects.filter(
            state__in=(ImportRun.State.QUEUED, ImportRun.State.RUNNING), created_at__lt=cutoff
        ),
        "": ImportRun.objects.filter(
            state__in=(ImportRun.State.DONE, ImportRun.State.FAILED)
        ).exclude(stored_path=""),
    }
    media = Path(settings.MEDIA_ROOT)
    deleted = 0
    for message, runs in ending.items():
        closing = list(runs.values_list("pk", "stored_path"))
        for _pk, stored_path in closing:
            if not stored_path:
                continue
            stem = Path(stored_path).stem
            paths = [media / stored_path]
            paths += [_folder() / f"{stem}.{kind}.json" for kind in ("plan", "progress")]
            for path in paths:
                if path.exists():
                    path.unlink(missing_ok=True)
                    deleted += 1
        closed = ImportRun.objects.filter(pk__in=[pk for pk, _ in closing])
        if message:
            closed.update(
                state=ImportRun.State.FAILED,
                stored_path="",
                finished_at=now,
                count_errors=1,
                errors=[{"row": 1, "column": "", "message": message}],
            )
        else:
            closed.update(stored_path="")
    # Files no run owns: a process that stopped between storing an upload and recording it.
    kept = {
        Path(path).stem
        for path in ImportRun.objects.exclude(stored_path="").values_list("stored_path", flat=True)
    }
    folder = _folder()
    if folder.is_dir():
        for path in folder.iterdir():
            if not path.is_file() or path.name.lstrip(".").split(".", 1)[0] in kept:
                continue
            modified = datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC)
            if modified < cutoff:
                path.unlink(missing_ok=True)
                deleted += 1
    return deleted
