"""An import from upload to result: the ImportRun row is the one record of it, and every
entry point (web views, the Celery task, the management command, the benchmark) calls these
functions."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from casework.importing.mapping import (
    header_row_find,
    headers_check_duplicates,
    mapping_remember,
    mapping_suggest,
    mapping_validate,
)
from casework.importing.matching import ImportPlan, import_plan_build, rows_parse
from casework.importing.parsing import Cell, ImportFileError, Table, import_file_read
from casework.importing.writing import import_plan_write
from casework.models import ImportRun, Organisation, Role
from casework.visibility import user_membership


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


def import_organisations_for(user) -> QuerySet[Organisation]:
    """Where a user may import: their own organisation; the host's coordinators and admins
    may import on a partner's behalf."""
    membership = user_membership(user)
    if membership is None:
        return Organisation.objects.none()
    if membership.organisation.kind == Organisation.Kind.HOST and membership.role in (
        Role.COORDINATOR,
        Role.ADMIN,
    ):
        return Organisation.objects.all()
    return Organisation.objects.filter(pk=membership.organisation_id)


def import_runs_visible_to(user) -> QuerySet[ImportRun]:
    membership = user_membership(user)
    if membership is None:
        return ImportRun.objects.none()
    runs = ImportRun.objects.select_related("organisation", "user")
    if membership.organisation.kind == Organisation.Kind.HOST and membership.role in (
        Role.COORDINATOR,
        Role.ADMIN,
    ):
        return runs
    return runs.filter(organisation_id=membership.organisation_id)


def _stored_file_delete(run: ImportRun) -> None:
    """The partner's file holds names of people at risk: once the run is over only its
    SHA-256 and the outcome are kept."""
    if run.stored_path:
        (Path(settings.MEDIA_ROOT) / run.stored_path).unlink(missing_ok=True)
        run.stored_path = ""


def _file_error(run: ImportRun, message: str, *, row: int = 1) -> ImportRun:
    _stored_file_delete(run)
    run.state = ImportRun.State.FAILED
    run.errors = [{"row": row, "column": "", "message": message}]
    run.count_errors = 1
    run.finished_at = timezone.now()
    run.save()
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
        file_name=Path(file_name).name[:255] or "upload",
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
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    stored = folder / f"{uuid.uuid4().hex}.upload"
    stored.write_bytes(data)
    stored.chmod(0o600)
    run.stored_path = str(stored.relative_to(settings.MEDIA_ROOT))
    try:
        table = import_file_read(data=data, file_name=file_name)
    except ImportFileError as error:
        return _file_error(run, str(error))
    run.file_format = table.file_format
    if not table.rows:
        return _file_error(run, "The file has no rows.")
    position = header_row_find(table=table)
    header_number, headers = table.rows[position]
    run.header_row = header_number
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
    data = (Path(settings.MEDIA_ROOT) / run.stored_path).read_bytes()
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


def import_run_preview(*, run: ImportRun, user) -> ImportPlan | None:
    """Plan the import and record its counts; the run is ready to confirm when error-free."""
    if run.state not in (ImportRun.State.UPLOADED, ImportRun.State.READY):
        raise ImportFileError("This import has already been confirmed.")
    try:
        plan = import_run_plan(run=run, user=user)
    except ImportFileError as error:
        run.errors = [{"row": run.header_row, "column": "", "message": str(error)}]
        run.count_errors = 1
        run.state = ImportRun.State.UPLOADED
        run.save()
        return None
    _store_counts(run, plan)
    run.state = ImportRun.State.READY if not run.count_errors else ImportRun.State.UPLOADED
    run.save()
    return plan


def import_run_confirm(*, run: ImportRun, user, decisions: dict[str, dict]) -> ImportRun:
    """Claim the run once (a double click confirms once) and run it now or in a worker."""
    from casework.tasks import import_run_execute_task

    with transaction.atomic():
        claimed = ImportRun.objects.filter(pk=run.pk, state=ImportRun.State.READY).update(
            state=ImportRun.State.QUEUED, decisions=decisions, rows_done=0
        )
        if claimed and run.rows_total > settings.IMPORT_ASYNC_ROWS:
            import_run_execute_task.delay_on_commit(run.pk)
    if claimed and run.rows_total <= settings.IMPORT_ASYNC_ROWS:
        import_run_execute(import_run_id=run.pk)
    run.refresh_from_db()
    return run


@_cycle_collection_paused()
def import_run_execute(*, import_run_id: int) -> ImportRun:
    """Re-plan against today's data and write it all, or nothing. Idempotent: a run that is
    done (or was never confirmed) is left alone."""
    claimed = ImportRun.objects.filter(
        pk=import_run_id, state__in=(ImportRun.State.QUEUED, ImportRun.State.RUNNING)
    ).update(state=ImportRun.State.RUNNING, started_at=timezone.now(), rows_done=0)
    run = ImportRun.objects.select_related("organisation", "user").get(pk=import_run_id)
    if not claimed:
        return run

    def progress(done: int) -> None:
        # Outside the write transaction, so a polling page sees it at once.
        ImportRun.objects.filter(pk=run.pk).update(rows_done=min(done, run.rows_total))

    try:
        plan = import_run_plan(run=run, user=run.user, on_progress=progress)
    except ImportFileError as error:
        _file_error(run, str(error), row=run.header_row)
        return run
    _store_counts(run, plan)
    if run.count_errors:
        run.state = ImportRun.State.FAILED
    elif run.dry_run:
        run.state = ImportRun.State.DONE
    else:
        with transaction.atomic():
            # Lock the run: a redelivered task waits here, then finds it done.
            locked = ImportRun.objects.select_for_update().get(pk=run.pk)
            if locked.state != ImportRun.State.RUNNING:
                return locked
            import_plan_write(
                plan=plan,
                user=run.user,
                reference_prefix=f"{run.organisation.slug[:24].upper()}-{run.pk}",
            )
            run.state = ImportRun.State.DONE
            run.rows_done = run.rows_total
            run.finished_at = timezone.now()
            _stored_file_delete(run)
            run.save()
        return run
    run.rows_done = run.rows_total
    run.finished_at = timezone.now()
    _stored_file_delete(run)
    run.save()
    return run


def import_run_progress(*, run: ImportRun) -> dict[str, Any]:
    """What the progress bar shows: rows done of total and the time left."""
    seconds_left = None
    if run.state == ImportRun.State.RUNNING and run.started_at and run.rows_done:
        elapsed = (timezone.now() - run.started_at).total_seconds()
        seconds_left = round(elapsed / run.rows_done * (run.rows_total - run.rows_done))
    return {
        "state": run.state,
        "state_label": run.get_state_display(),
        "rows_done": run.rows_done,
        "rows_total": run.rows_total,
        "seconds_left": seconds_left,
        "finished": run.state in (ImportRun.State.DONE, ImportRun.State.FAILED),
        "counts": {
            "new": run.count_new,
            "updated": run.count_updated,
            "unchanged": run.count_unchanged,
            "possible_duplicates": run.count_possible_duplicates,
            "errors": run.count_errors,
        },
    }


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
            # Planned once and written from the same plan: no second parse of the file.
            plan = import_run_plan(run=run, user=user)
        except ImportFileError as error:
            _file_error(run, str(error), row=run.header_row)
            plan = None
        if plan is not None:
            _store_counts(run, plan)
            run.rows_done = run.rows_total
            if run.count_errors:
                run.state = ImportRun.State.FAILED
            elif not dry_run:
                with transaction.atomic():
                    import_plan_write(
                        plan=plan,
                        user=user,
                        reference_prefix=f"{organisation.slug[:24].upper()}-{run.pk}",
                    )
                    run.state = ImportRun.State.DONE
                    run.finished_at = timezone.now()
                    run.save()
            else:
                run.state = ImportRun.State.DONE
            run.finished_at = timezone.now()
            _stored_file_delete(run)
            run.save()
    summary = {
        "new": run.count_new,
        "updated": run.count_updated,
        "unchanged": run.count_unchanged,
        "possible_duplicates": run.count_possible_duplicates,
        "errors": run.errors,
    }
    return run, summary
