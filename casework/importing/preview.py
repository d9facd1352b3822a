"""What the preview page shows of a plan, as plain JSON-ready data: a large file's plan is
made once in the background and kept (casework.importing.runs), and the page only reads it."""

from __future__ import annotations

from typing import Any

from casework.importing.plan import (
    ERROR,
    NEW,
    POSSIBLE_DUPLICATE,
    UNCHANGED,
    UPDATE,
    ImportPlan,
)
from casework.models import Status

PREVIEW_ROWS_SHOWN = 500
# Errors and possible duplicates further down are listed too, up to this many: a page of
# tens of thousands of rows helps nobody (the error report lists every error).
PREVIEW_MORE_SHOWN = 1000
OUTCOME_LABELS = {
    NEW: "New",
    UPDATE: "Update",
    UNCHANGED: "Unchanged",
    POSSIBLE_DUPLICATE: "Possible duplicate",
    ERROR: "Error",
}


def _text(value: Any) -> str:
    return "—" if value in (None, "") else str(value)


def _row_display(row) -> dict[str, Any]:
    values = row.values
    changes = [
        f"{key.replace('_id', '').replace('_', ' ')}: {_text(old)} → {_text(new)}"
        for key, (old, new) in {**row.person_changes, **row.case_changes}.items()
    ]
    changes += [
        f"charge added: art. {ref.article}" + (f" part {ref.part}" if ref.part else "")
        for ref in row.charges_added
    ]
    return {
        "row": row.row,
        "outcome": row.outcome,
        "outcome_label": OUTCOME_LABELS[row.outcome],
        "full_name": values.get("full_name", ""),
        "native_name": values.get("native_name", ""),
        "birth_year": values.get("birth_year"),
        "region": values.get("region", ""),
        "status": str(Status(values["status"]).label) if values.get("status") else "",
        "errors": row.errors,
        "changes": changes,
        "note": row.note,
        "candidate": row.candidate,
        "matched": row.matched,
    }


def preview_from_plan(plan: ImportPlan) -> dict[str, Any]:
    """The rows the page lists (the first PREVIEW_ROWS_SHOWN, and every error and possible
    duplicate), the side-by-side choices, and how many rows are not listed."""
    shown, duplicates = [], []
    more = 0
    for position, row in enumerate(plan.rows):
        if position >= PREVIEW_ROWS_SHOWN and row.outcome in (ERROR, POSSIBLE_DUPLICATE):
            more += 1
        if position < PREVIEW_ROWS_SHOWN or (
            row.outcome in (ERROR, POSSIBLE_DUPLICATE) and more <= PREVIEW_MORE_SHOWN
        ):
            display = _row_display(row)
            shown.append(display)
            if row.outcome == POSSIBLE_DUPLICATE:
                duplicates.append(display)
    return {
        "rows": shown,
        "rows_hidden": len(plan.rows) - len(shown),
        "duplicates": duplicates,
    }
