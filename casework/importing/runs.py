"""An import from upload to result: the ImportRun row is the one record of it, and every
entry point (web views, the Celery task, the management command, the benchmark) calls these
functions. The run's files (run_files), its progress (run_progress), its preview
(run_preview) and who may see it (access) have modules of their own; their public names are
re-exported here."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casework.importing.access import (
    import_organisations_for,
    import_run_cases_for,
    import_runs_visible_to,
)
from casework.importing.cells import (
    Cell,
    ImportFileError,
    Table,
    cell_quote,
    text_clean,
    word_normalise,
)
from casework.importing.header_rows import table_header
from casework.importing.mapping import (
    ColumnShown,
    column_letter,
    column_samples,
    columns_describe,
    headers_check_duplicates,
    mapping_guess,
    mapping_remember,
    mapping_suggest,
    mapping_validate,
    mapping_warnings,
)
from casework.importing.parsing import import_file_read
from casework.importing.plan import ERROR, NEW, UPDATE, ImportPlan
from casework.importing.run_files import (
    OPEN_STATES,
    import_run_is_large,
    import_uploads_purge,
    json_read,
    json_write,
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
    run_user,
)
from casework.importing.run_preview import (
    import_run_preview,
    import_run_preview_request,
    preview_in_background,
)
from casework.importing.run_progress import import_run_progress, progress_write
from casework.importing.skipped import run_skipped_store, skipped_rows_xlsx
from casework.importing.writing import import_plan_write
from casework.models import ImportRun, Organisation
from casework.visibility import AnyUser
from common.text import grouped

__all__ = [
    "import_file_run",
    "import_organisations_for",
    "import_run_cases_for",
    "import_run_columns",
    "import_run_confirm",
    "import_run_create",
    "import_run_execute",
    "import_run_is_large",
    "import_run_plan",
    "import_run_preview",
    "import_run_preview_request",
    "import_run_progress",
    "import_run_report",
    "import_run_set_columns",
    "import_run_set_mapping",
    "import_run_summary",
    "import_run_table",
    "import_run_warnings",
    "import_runs_visible_to",
    "import_uploads_purge",
]


@cycle_collection_paused()
def import_run_create(
    *, data: bytes, file_name: str, organisation: Organisation, user: AnyUser, dry_run: bool = False
) -> ImportRun:
    """Store the upload and recognise its columns. A refused file still leaves a history row
    (state failed, with the reason), so a partner can see what happened to it."""
    if not import_organisations_for(user).filter(pk=organisation.pk).exists():
        raise PermissionDenied(_("You may not import into this organisation."))
    run = ImportRun(
        organisation=organisation,
        user=cast("User", user),  # an account (AnyUser: request.user's type)
        file_name=text_clean(Path(file_name).name)[:255] or "upload",
        file_sha256=hashlib.sha256(data).hexdigest(),
        file_size=len(data),
        dry_run=dry_run,
        # Kept from the upload, so what ends an unconfirmed run is said in the user's words.
        language=translation.get_language() or "",
    )
    if len(data) > settings.IMPORT_MAX_BYTES:
        return run_file_error(
            run,
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {
                "size": number_format(len(data) / 1_048_576, 1),
                "limit": number_format(settings.IMPORT_MAX_BYTES / 1_048_576, 0),
            },
        )
    run_upload_store(run=run, data=data)
    try:
        table = import_file_read(data=data, file_name=file_name)
    except ImportFileError as error:
        return run_file_error(run, str(error), row=error.row or 1)
    except Exception as error:  # a file no check foresaw: refused, never a server error
        return run_failed(run, error)
    run.file_format = table.file_format
    if not table.rows:
        return run_file_error(run, _("The file has no rows."))
    found = table_header(table=table)
    header_number, headers, data_start = found.number, found.headers, found.data_start
    run.header_row = header_number
    max_chars = settings.IMPORT_MAX_CELL_CHARS
    for index, header in enumerate(headers):
        if isinstance(header, str) and len(header) > max_chars:
            return run_file_error(
                run,
                _(
                    "The header of column %(column)s has %(length)s characters; the limit for "
                    "a cell is %(limit)s. Is the first row of the sheet the header?"
                )
                % {
                    "column": column_letter(index),
                    "length": grouped(len(header)),
                    "limit": grouped(max_chars),
                },
                row=header_number,
            )
    run.headers = [_json_cell(cell) for cell in headers]
    run.rows_total = len(table.rows) - data_start
    try:
        headers_check_duplicates(headers=headers)
    except ImportFileError as error:
        return run_file_error(run, str(error), row=header_number)
    run.mapping = mapping_suggest(headers=headers, organisation=organisation)
    # Kept for this process, so a caller that plans at once does not parse the file twice.
    # Kept on the instance for the preview made in this request (run_planning reads it).
    run._table_rows = [(header_number, headers), *table.rows[data_start:]]  # type: ignore[attr-defined]
    if run.rows_total == 0:
        return run_file_error(run, _("The file has a header but no data rows."), row=header_number)
    run.save()
    json_write(
        run_side_file(run, "samples"),
        {
            "samples": column_samples(rows=table.rows[data_start:], width=len(headers)),
            "sub_header": _cells_shown(table=table, number=found.sub_header),
            "totals": table.totals,
            "sheet": table.sheet_name,
            "sheets": table.sheets_shown,
            "hidden": _hidden_data_rows(table=table, data_start=data_start),
        },
    )
    return run


def _hidden_data_rows(*, table: Table, data_start: int) -> list[int]:
    """The rows the sheet hides among those imported (a hidden blank row is no row)."""
    if not table.hidden_rows:
        return []
    hidden = set(table.hidden_rows)
    return [number for number, _cells in table.rows[data_start:] if number in hidden]


def _cells_shown(*, table: Table, number: int | None) -> dict[str, Any] | None:
    """Row `number` of the table as the pages name it: its number and its filled cells."""
    cells = next((cells for row, cells in table.rows if row == number), None)
    if cells is None:
        return None
    return {"row": number, "cells": [" ".join(str(cell).split())[:40] for cell in cells if cell]}


# The hidden rows a warning names by number; it counts them all.
HIDDEN_ROWS_NAMED = 20


def import_run_warnings(*, run: ImportRun) -> list[str]:
    """What the mapping and preview pages warn of, though it is allowed: what the mapping
    misses, and the rows of the file not imported though they hold something: the row
    under the header read into it (no name, and cells that read as headers) and totals
    rows ("Итого: 4"); and the rows the sheet hides, which are imported."""
    warnings = mapping_warnings(mapping=run.mapping)
    stored = json_read(run_side_file(run, "samples")) or {}
    sub_header = stored.get("sub_header")
    if sub_header:
        warnings.append(
            _(
                "Row %(row)s (%(cells)s) was read as a second header row under row "
                "%(header)s, not as a person: it holds no name and its cells read as "
                "headers. If it is a person's row, write their name in it and upload the "
                "file again."
            )
            % {
                "row": sub_header["row"],
                "cells": ", ".join(cell_quote(cell) for cell in sub_header["cells"]),
                "header": run.header_row,
            }
        )
    if stored.get("sheets", 0) > 1:
        # Which sheet of several was read, so cases on another one are not missed unseen.
        warnings.append(
            ngettext(
                "Read from the sheet %(sheet)s; the workbook shows %(count)s sheet. If the "
                "cases are on another sheet, move it to the front and upload the file again.",
                "Read from the sheet %(sheet)s; the workbook shows %(count)s sheets. If the "
                "cases are on another sheet, move it to the front and upload the file again.",
                stored["sheets"],
            )
            % {"sheet": cell_quote(stored.get("sheet", "")), "count": stored["sheets"]}
        )
    hidden = stored.get("hidden", [])
    if hidden:
        # Imported: a partner hides rows to tidy a long list (a collapsed group, a filter)
        # more often than to leave cases out, and a case left out unseen is lost.
        shown = ", ".join(str(row) for row in hidden[:HIDDEN_ROWS_NAMED])
        if len(hidden) > HIDDEN_ROWS_NAMED:
            shown += ", …"
        warnings.append(
            ngettext(
                "%(count)s row of the sheet is hidden (row %(rows)s); it is imported like "
                "the others. If it should not be, delete it from the file and upload it "
                "again.",
                "%(count)s rows of the sheet are hidden (rows %(rows)s); they are imported "
                "like the others. If some should not be, delete them from the file and "
                "upload it again.",
                len(hidden),
            )
            % {"count": len(hidden), "rows": shown}
        )
    for row, text in stored.get("totals", []):
        warnings.append(
            _("Row %(row)s (%(text)s) reads as a totals row, not a person: not imported.")
            % {"row": row, "text": cell_quote(text)}
        )
    return warnings


def import_run_columns(*, run: ImportRun) -> list[ColumnShown]:
    """Every column of the run's sheet, as the mapping page and the command line describe
    it: header, field (None: ignored), three sample values, what else its header names."""
    stored = json_read(run_side_file(run, "samples")) or {}
    return columns_describe(
        headers=run.headers,
        mapping=run.mapping,
        samples=stored.get("samples"),
        guesses=mapping_guess(headers=run.headers, organisation=run.organisation),
    )


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


def import_run_set_columns(*, run: ImportRun, columns: dict[str, str]) -> None:
    """Change the fields of some columns, by letter ("F" -> "summary", "" to ignore it),
    keeping the others as they are, and remember the mapping as the mapping page does.
    Raises ImportFileError for a letter the sheet has no column for, or a mapping
    import_run_set_mapping refuses."""
    letters = {column_letter(index): str(index) for index in range(len(run.headers))}
    for letter in columns:
        if letter not in letters:
            raise ImportFileError(_("The file has no column %(column)s.") % {"column": letter})
    changed = {letters[letter]: key for letter, key in columns.items()}
    import_run_set_mapping(run=run, mapping={**run.mapping, **changed})


def import_run_decide(*, run: ImportRun, decisions: dict[str, dict[str, Any]]) -> None:
    """Record the preview's answers about possible duplicates, besides the earlier ones:
    row -> {"choice": "same" or "new", "person_id": the candidate it is or is not}. The
    next preview applies them and the confirmation writes them (and remembers them for the
    organisation). Only a run still waiting for confirmation changes."""
    if run.state not in OPEN_STATES:
        return
    run.decisions = {**run.decisions, **decisions}
    ImportRun.objects.filter(pk=run.pk, state__in=OPEN_STATES).update(decisions=run.decisions)


def _confirmable_states(*, skip_invalid: bool) -> list[str]:
    return [ImportRun.State.READY, *([ImportRun.State.CHECKED] if skip_invalid else [])]


def import_run_is_confirmable(*, run: ImportRun, skip_invalid: bool) -> bool:
    """Whether import_run_confirm would take the run as it is now: a preview without errors,
    or with errors and the choice to skip their rows."""
    return run.state in _confirmable_states(skip_invalid=skip_invalid)


def import_run_confirm(
    *,
    run: ImportRun,
    user: AnyUser,
    decisions: dict[str, dict[str, Any]],
    skip_invalid: bool = False,
) -> ImportRun:
    """Claim the run once (a double click confirms once) and run it now or in a worker.
    All or nothing by default: a run with errors is confirmed only with skip_invalid, the
    user's explicit choice to import the valid rows and skip the others."""
    from casework.tasks import import_run_execute_task

    claimable = _confirmable_states(skip_invalid=skip_invalid)
    with transaction.atomic():
        claimed = ImportRun.objects.filter(pk=run.pk, state__in=claimable).update(
            state=ImportRun.State.QUEUED,
            decisions=decisions,
            rows_done=0,
            skip_invalid=skip_invalid,
            language=translation.get_language() or "",
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
    """import_run_work in the language the user read when they confirmed the run or asked
    for its preview (else their account's), so that the row errors and notes a worker
    writes read as that user's own requests would write them."""
    run = ImportRun.objects.select_related("organisation", "user__membership").get(pk=import_run_id)
    membership = getattr(run.user, "membership", None) if run.user_id else None
    language = run.language or (membership.language if membership else "")
    with translation.override(language or None):
        return import_run_work(run=run)


def import_run_work(*, run: ImportRun) -> ImportRun:
    """The background work of a run (what import_run_execute_task calls): a large file's
    preview when one was asked for, or, once confirmed, re-plan against today's data and
    write it all, or nothing. Idempotent: a run that is done (or was never confirmed and
    asked for no preview) is left alone; whatever goes wrong, the run ends failed with a
    message, never stuck 'running'."""
    import_run_id = run.pk
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
        plan = import_run_plan(run=run, user=run_user(run), on_progress=checking)
    except ImportFileError as error:
        return run_file_error(run, str(error), row=error.row or run.header_row)
    to_write = sum(1 for row in plan.rows if row.outcome in (NEW, UPDATE))

    def writing(done: int) -> None:
        progress_write(run, phase="writing", done=done, total=to_write)

    return _plan_write(run, plan, user=run_user(run), on_progress=writing, lock=True)


def _plan_write(
    run: ImportRun,
    plan: ImportPlan,
    *,
    user: AnyUser,
    on_progress: Callable[[int], None] | None = None,
    lock: bool = False,
) -> ImportRun:
    """Record the plan's counts and end the run: written (all of it, or its valid rows when
    the user chose to skip the others, which are then kept as a sheet to fix), or failed
    with its errors, or done without writing for a dry run. `lock`: a worker's run, which a
    redelivered task may try to write again."""
    run_counts_store(run, plan)
    run.rows_done = run.rows_total
    skipped = [row for row in plan.rows if row.outcome == ERROR] if run.skip_invalid else []
    # Skipping leaves something to import only if some row is valid (perhaps unchanged:
    # then the import writes nothing but the sheet of the rows to fix).
    valid = any(row.outcome != ERROR for row in plan.rows)
    if run.count_errors and (not run.skip_invalid or not valid):
        run.state = ImportRun.State.FAILED
    elif run.dry_run:
        run.state = ImportRun.State.DONE
    else:
        if on_progress:
            on_progress(0)
        with transaction.atomic():
            if lock:
                # Lock the run: a redelivered task waits here, then finds it done.
                locked = ImportRun.objects.select_for_update().get(pk=run.pk)
                if locked.state != ImportRun.State.RUNNING:
                    return locked
            written = import_plan_write(
                plan=plan,
                user=user,
                reference_prefix=_reference_prefix(run),
                on_progress=on_progress,
                skip_invalid=run.skip_invalid,
            )
            run_cases_written_store(run, written)
            run.state = ImportRun.State.DONE
            run.count_skipped = len(skipped)
            if skipped:
                headers, rows = import_run_table(run=run)
                run_skipped_store(
                    run=run,
                    data=skipped_rows_xlsx(
                        headers=headers, rows=rows, errors=run.errors, mapping=run.mapping
                    ),
                )
            run.finished_at = timezone.now()
            run.save()
    run.finished_at = run.finished_at or timezone.now()
    run_files_delete(run)
    run.save()
    return run


@cycle_collection_paused()
def import_file_run(
    *,
    data: bytes,
    file_name: str,
    organisation: Organisation,
    user: AnyUser,
    dry_run: bool = False,
    decisions: dict[str, dict[str, Any]] | None = None,
    skip_invalid: bool = False,
    status_words: dict[str, str] | None = None,
) -> tuple[ImportRun, dict[str, Any]]:
    """Upload, map automatically, preview and (without errors, or skipping the rows with
    errors when asked to, unless a dry run) write, in one call: what the command line and
    the benchmark do. status_words: word -> status for this file, besides the
    organisation's remembered ones. Returns the run and import_run_summary."""
    run = import_run_create(
        data=data, file_name=file_name, organisation=organisation, user=user, dry_run=dry_run
    )
    if run.state == ImportRun.State.UPLOADED:
        run.decisions = decisions or {}
        run.skip_invalid = skip_invalid
        run.status_words = {
            word_normalise(word): status for word, status in (status_words or {}).items()
        }
        run.started_at = timezone.now()
        try:
            # Planned once and written from the same plan: no second parse of the file.
            plan = import_run_plan(run=run, user=user)
        except ImportFileError as error:
            run_file_error(run, str(error), row=error.row or run.header_row)
        except Exception as error:  # the run must end, whatever happened
            run_failed(run, error)
        else:
            try:
                _plan_write(run, plan, user=user)
            except Exception as error:  # the run must end, whatever happened
                run_failed(run, error)
    return run, import_run_summary(run=run)


def import_run_summary(*, run: ImportRun) -> dict[str, Any]:
    """What a run did, as the command line prints it: new cases (of new people, and of
    people already recorded), updated, unchanged, possible duplicates, skipped rows, and
    the errors."""
    return {
        "new": run.count_new,
        "new_cases": run.count_new,
        "new_people": run.count_new_people,
        "linked_people": run.count_linked_people,
        "updated": run.count_updated,
        "unchanged": run.count_unchanged,
        "possible_duplicates": run.count_possible_duplicates,
        "skipped": run.count_skipped,
        "errors": run.errors,
    }


def import_run_report(*, run: ImportRun) -> dict[str, Any]:
    """A run as `import_cases --format json` prints it and the API shows its preview and
    result: import_run_summary and the columns of the sheet (letter, header, field)."""
    columns = import_run_columns(run=run) if run.headers else []
    return {**import_run_summary(run=run), "columns": [column.as_json() for column in columns]}
