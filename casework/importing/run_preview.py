"""The preview of an import run: a small file is planned at once, on every visit; a large
one once, in a worker, its plan kept in a side file (casework.importing.run_files) for the
page to read."""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from casework.importing.cells import ImportFileError
from casework.importing.plan import ImportPlan
from casework.importing.preview import EMPTY_PREVIEW, preview_from_plan
from casework.importing.run_files import (
    OPEN_STATES,
    import_run_is_large,
    json_read,
    json_write,
    run_plan_key,
    run_side_file,
)
from casework.importing.run_planning import (
    import_run_plan,
    run_counts_store,
    run_failed,
    run_user,
)
from casework.importing.run_progress import progress_write
from casework.models import ImportRun
from casework.visibility import AnyUser


def import_run_preview(
    *, run: ImportRun, user: AnyUser, keep: bool | None = None
) -> ImportPlan | None:
    """Plan the import now and record its counts (and, for a large file, or when asked to
    keep it, what the preview page shows); the run is ready to confirm when error-free."""
    if run.state not in OPEN_STATES:
        raise ImportFileError(_("This import has already been confirmed."))
    large = import_run_is_large(run) if keep is None else keep
    key = run_plan_key(run)
    started = time.time()

    def progress(done: int) -> None:
        progress_write(run, phase="checking", done=done, total=run.rows_total, since=started)

    try:
        plan = import_run_plan(run=run, user=user, on_progress=progress if large else None)
    except ImportFileError as error:
        run.errors = [{"row": run.header_row, "column": "", "message": str(error)}]
        run.count_errors = 1
        run.state = ImportRun.State.CHECKED
        run.save()
        if large:
            json_write(run_side_file(run, "plan"), {"key": key, "state": "ready", "preview": None})
        return None
    run_counts_store(run, plan)
    run.state = ImportRun.State.READY if not run.count_errors else ImportRun.State.CHECKED
    # The row first: a plan file saying "ready" is what the progress bar takes for the end,
    # and the page it sends the user to must then find the run ready too.
    run.save()
    if large:
        json_write(
            run_side_file(run, "plan"),
            {"key": key, "state": "ready", "preview": preview_from_plan(plan)},
        )
        run_side_file(run, "progress").unlink(missing_ok=True)
    return plan


def import_run_preview_request(*, run: ImportRun, user: AnyUser) -> dict[str, Any] | None:
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
            run_failed(run, error)
            return None
        return preview_from_plan(plan) if plan else EMPTY_PREVIEW
    key = run_plan_key(run)
    stored = json_read(run_side_file(run, "plan"))
    if stored and stored.get("key") == key:
        if stored.get("state") == "ready":
            return stored.get("preview") or EMPTY_PREVIEW
        if not _plan_lost(run):
            return None  # queued or being made
    from casework.tasks import import_run_execute_task

    json_write(run_side_file(run, "plan"), {"key": key, "state": "queued"})
    # Nothing may be confirmed until the new plan is shown.
    ImportRun.objects.filter(
        pk=run.pk, state__in=(ImportRun.State.READY, ImportRun.State.CHECKED)
    ).update(state=ImportRun.State.UPLOADED)
    ImportRun.objects.filter(pk=run.pk).update(language=translation.get_language() or "")
    run.state = ImportRun.State.UPLOADED
    run_side_file(run, "progress").unlink(missing_ok=True)
    transaction.on_commit(lambda: import_run_execute_task.delay(run.pk))
    return None


# A plan asked for but neither started nor moved on for this long is taken for lost (a
# worker that stopped), and asked for again when the page is visited.
PLAN_LOST_AFTER = datetime.timedelta(minutes=15)


def _plan_lost(run: ImportRun) -> bool:
    moments = [
        modified.timestamp()
        for path in (run_side_file(run, "plan"), run_side_file(run, "progress"))
        if (modified := path.modified_at()) is not None
    ]
    return not moments or time.time() - max(moments) > PLAN_LOST_AFTER.total_seconds()


def preview_in_background(run: ImportRun) -> ImportRun:
    """A large file's preview, asked for by import_run_preview_request: plan it and keep the
    plan, unless the mapping or the choices changed since (a newer request will come), or
    another worker is making it."""
    stored = json_read(run_side_file(run, "plan"))
    if not stored or stored.get("key") != run_plan_key(run):
        return run
    if stored.get("state") != "queued" and not (
        stored.get("state") == "planning" and _plan_lost(run)
    ):
        return run
    json_write(run_side_file(run, "plan"), {**stored, "state": "planning"})
    try:
        import_run_preview(run=run, user=run_user(run), keep=True)
    except Exception as error:  # the run must end, whatever happened
        return run_failed(run, error)
    return run
