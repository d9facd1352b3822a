"""What an import run's progress bar shows: rows done of total and the time left, for the
check of a large file's preview and for the import itself (checking, then writing: the bar
reaches its end when the last row is written)."""

from __future__ import annotations

import time
from typing import Any

from django.utils.translation import gettext

from casework.importing.run_files import (
    OPEN_STATES,
    import_run_is_large,
    json_read,
    json_write,
    run_plan_key,
    run_side_file,
)
from casework.models import ImportRun

# The share of a run's progress bar that checking the rows takes; writing takes the rest,
# so the bar reaches its end only when the last row is written.
CHECK_SHARE = 0.4


def progress_write(
    run: ImportRun, *, phase: str, done: int, total: int, since: float | None = None
) -> None:
    previous = json_read(run_side_file(run, "progress")) or {}
    json_write(
        run_side_file(run, "progress"),
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
    progress = json_read(run_side_file(run, "progress")) if run.pk else None
    if run.state in OPEN_STATES:
        stored = json_read(run_side_file(run, "plan"))
        planning = (
            import_run_is_large(run)
            and stored is not None
            and stored.get("key") == run_plan_key(run)
            and stored.get("state") in ("queued", "planning")
        )
        rows_done = 0
        if planning:
            state, state_label, phase = "planning", gettext("Checking the rows"), "checking"
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
