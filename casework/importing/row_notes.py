"""What the preview says about a row beside its outcome: a note added to the row's others,
and the notes on its status and measure of restraint."""

from __future__ import annotations

import functools

from django.utils.translation import gettext as _

from casework.importing.plan import ERROR, NEW, UPDATE, RowPlan
from casework.importing.status_events import status_since_for
from casework.models import Status


def note_add(row: RowPlan, note: str) -> None:
    row.note = " ".join(filter(None, [row.note, note]))


def row_notes(row: RowPlan, *, language: str | None) -> None:
    """What the preview says about a row's status and measure of restraint (in
    `language`, the active one)."""
    values = row.values
    if row.outcome in (NEW, UPDATE) and _status_undated(row):
        note_add(row, _undated_note(values["status"], language))
    if values.get("measure_kept") and row.outcome != ERROR:
        if values.get("status_from_measure"):
            note = _(
                "The measure of restraint “%(measure)s” is kept in the case note and gives "
                "the status."
            )
        else:
            note = _("The measure of restraint “%(measure)s” is kept in the case note.")
        note_add(row, note % {"measure": values["measure_kept"]})


@functools.lru_cache(maxsize=256)
def _undated_note(status: str, language: str | None) -> str:
    # Made once per status and language: most rows of a big file share a few.
    return _(
        "The file gives no date for the status “%(status)s”: it is recorded as since an "
        "unknown date."
    ) % {"status": Status(status).label}


def _status_undated(row: RowPlan) -> bool:
    """Whether the row records a status (a new case's, or a change) the file gives no date
    for."""
    status = row.values.get("status")
    if not status or status == Status.UNKNOWN or status_since_for(row.values) is not None:
        return False
    return row.outcome == NEW or "status" in row.case_changes
