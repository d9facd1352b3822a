"""An import from upload to result: the ImportRun row is the one record of it, and every
entry point (web views, the Celery task, the management command, the benchmark) calls these
functions. The run's files (run_files), its progress (run_progress), its preview
(run_preview) and who may see it (access) have modules of their own; their public names are
re-exported here."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from casework.importing.access import (
    import_organisations_for,
    import_run_cases_for,
    import_runs_visible_to,
)
from casework.importing.cells import Cell, ImportFileError, text_clean
from casework.importing.mapping import (
    column_letter,
    header_row_find,
    headers_check_duplicates,
    mapping_remember,
    mapping_suggest,
    mapping_validate,
)
from casework.importing.parsing import import_file_read
from casework.importing.plan import NEW, UPDATE
from casework.importing.run_files import (
    OPEN_STATES,
    import_run_is_large,
    import_uploads_purge,
    run_files_delete,
    run_side_file,
    run_upload_store,
)
from casework.importing.run_planning import (
    cycle_collection_paused,
    import_run_plan,
    import_run_table,
    run_cases_written_store,
    run_counts_store,
    run_failed,
    run_file_error,
)
from casework.importing.run_preview import (
    import_run_preview,
    import_run_preview_request,
    preview_in_background,
)
from casework.importing.run_progress import import_run_progress, progress_write
from casework.importing.writing import import_plan_write
from casework.models import ImportRun, Organisation

__all__ = [
    "import_file_run",
    "import_organisations_for",
    "import_run_cases_for",
    "import_run_confirm",
    "import_run_create",
    "import_run_execute",
    "import_run_is_large",
    "import_run_plan",
    "import_run_preview",
    "import_run_preview_request",
    "import_run_progress",
    "import_run_set_mapping",
    "import_run_table",
    "import_runs_visible_to",
    "import_uploads_purge",
]


@cycle_collection_paused()
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
        return run_file_error(
            run,
            f"The file is {len(data) / 1_048_576:.1f} MB; the limit is "
            f"{settings.IMPORT_MAX_BYTES / 1_048_576:.0f} MB.",
        )
    run_upload_store(run=run, data=data)
    try:
        table = import_file_read(data=data, file_name=file_name)
    except ImportFileError as error:
        return run_file_error(run, str(error))
    except Exception as error:  # a file no check foresaw: refused, never a server error
        return run_failed(run, error)
    run.file_format = table.file_format
    if not table.rows:
        return run_file_error(run, "The file has no rows.")
    position = header_row_find(table=table)
    header_number, headers = table.rows[position]
    run.header_row = header_number
    max_chars = settings.IMPORT_MAX_CELL_CHARS
    for index, header in enumerate(headers):
        if isinstance(header, str) and len(header) > max_chars:
            return run_file_error(
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
        return run_file_error(run, str(error), row=header_number)
    run.mapping = mapping_suggest(headers=headers, organisation=organisation)
    # Kept for this process, so a caller that plans at once does not parse the file twice.
    run._table_rows = table.rows[position:]
    if run.rows_total == 0:
        return run_file_error(run, "The file has a header but no data rows.", row=header_number)
    run.save()
    return run


def _json_cell(cell: Cell) -> Any:
    return "" if cell is None else str(cell)


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


@cycle_collection_paused()
def import_run_execute(*, import_run_id: int) -> ImportRun:
    """The background work of a run (what import_run_execute_task calls): a large file's
    preview when one was asked for, or, once confirmed, re-plan against today's data and
    write it all, or nothing. Idempotent: a run that is done (or was never confirmed and
    asked for no preview) is left alone; whatever goes wrong, the run ends failed with a
    message, never stuck 'running'."""
    run = ImportRun.objects.select_related("organisation", "user").get(pk=import_run_id)
    if run.state in OPEN_STATES:
        return preview_in_background(run)
    claimed = ImportRun.objects.filter(
        pk=import_run_id, state__in=(ImportRun.State.QUEUED, ImportRun.State.RUNNING)
    ).update(state=ImportRun.State.RUNNING, started_at=timezone.now(), rows_done=0)
    run.refresh_from_db()
    if not claimed:
        return run
    try:
        return _execute(run)
    except Exception as error:  # the run must end, whatever happened
        return run_failed(run, error)


def _execute(run: ImportRun) -> ImportRun:
    run_side_file(run, "progress").unlink(missing_ok=True)

    def checking(done: int) -> None:
        progress_write(run, phase="checking", done=done, total=run.rows_total)

    try:
        plan = import_run_plan(run=run, user=run.user, on_progress=checking)
    except ImportFileError as error:
        return run_file_error(run, str(error), row=run.header_row)
    run_counts_store(run, plan)
    if run.count_errors:
        run.state = ImportRun.State.FAILED
    elif run.dry_run:
        run.state = ImportRun.State.DONE
    else:
        to_write = sum(1 for row in plan.rows if row.outcome in (NEW, UPDATE))

        def writing(done: int) -> None:
            progress_write(run, phase="writing", done=done, total=to_write)

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
            run_cases_written_store(run, written)
            run.state = ImportRun.State.DONE
            run.rows_done = run.rows_total
            run.finished_at = timezone.now()
            run.save()
        run_files_delete(run)
        ImportRun.objects.filter(pk=run.pk).update(stored_path="")
        return run
    run.rows_done = run.rows_total
    run.finished_at = timezone.now()
    run_files_delete(run)
    run.save()
    return run


@cycle_collection_paused()
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
            run_failed(run, error)
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
        run_file_error(run, str(error), row=run.header_row)
        return
    run_counts_store(run, plan)
    run.rows_done = run.rows_total
    if run.count_errors:
        run.state = ImportRun.State.FAILED
    elif not dry_run:
        with transaction.atomic():
            written = import_plan_write(
                plan=plan, user=user, reference_prefix=_reference_prefix(run)
            )
            run_cases_written_store(run, written)
            run.state = ImportRun.State.DONE
            run.finished_at = timezone.now()
            run.save()
    else:
        run.state = ImportRun.State.DONE
    run.finished_at = timezone.now()
    run_files_delete(run)
    run.save()
