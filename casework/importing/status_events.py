"""The timeline events an import writes for the statuses it records, and the date a row's
status started. The import writes the facts only (each status, dated as the file dates it,
or undated); casework.status.timelines_recompute, called by the import's writer in the same
transaction, derives the chain: each event's previous status, the case's current status and
its "since"."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from casework.models import CaseEvent, Status
from common.bulk import IdPool, history_rows, row_complete

IMPORT_SOURCE = "Import"


def status_since_for(values: dict) -> datetime.date | None:
    """The date the row's status started, from the row's own dates where they say it, or
    None: unknown. Never the import's day, which would date a years-old release today and
    put every imported case among the dashboard's recent status changes."""
    status = values.get("status")
    if status in (Status.RELEASED, Status.ACQUITTED) and values.get("released_on"):
        return values["released_on"]
    if status == Status.IMPRISONED and values.get("sentenced_on"):
        return values["sentenced_on"]
    if status in (Status.PRETRIAL_DETENTION, Status.HOUSE_ARREST) and values.get("detained_on"):
        return values["detained_on"]
    return None


def status_event_written(values: dict[str, Any]) -> bool:
    """Whether a new case's status goes on its timeline: every known status, dated as the
    file dates it or undated."""
    return (values.get("status") or Status.UNKNOWN) != Status.UNKNOWN


@dataclass(frozen=True, slots=True)
class StatusChange:
    """A status an import records on a case: a new case's first status, or a change."""

    case_id: int
    status: str
    # The date the file gives for it (status_since_for); None when it gives none.
    on: datetime.date | None
    new_case: bool


def import_status_events_write(
    *,
    changes: list[StatusChange],
    user: Any,
    now: datetime.datetime,
    ids: IdPool,
    insert: Callable[..., None],
) -> None:
    """Write the status events of an import's changes, with their history rows, through
    `insert` (a RowsPipeline's, so they go in with the import's other rows): dated as the
    file dates them, undated when it gives no date (never the day of the import), recorded
    now. The chain is derived afterwards (casework.status.timelines_recompute)."""
    events: list[dict[str, Any]] = []
    for change in changes:
        if change.new_case and change.status == Status.UNKNOWN:
            continue
        description = (
            "Status recorded by a spreadsheet import."
            if change.new_case
            else "Status changed by a spreadsheet import."
        )
        if change.on is None:
            description += " The file gives no date for it."
        events.append(
            {
                "case_id": change.case_id,
                "kind": CaseEvent.Kind.STATUS,
                "status": change.status,
                "happened_on": change.on,
                "recorded_at": now,
                "source": IMPORT_SOURCE,
                "description": description,
                "created_by_id": user.pk,
            }
        )
    event_ids = ids.take(model=CaseEvent, count=len(events))
    event_rows = [
        row_complete(
            model=CaseEvent, row={"id": pk, "created_at": now, "updated_at": now, **event}, now=now
        )
        for pk, event in zip(event_ids, events, strict=True)
    ]
    insert(model=CaseEvent, rows=event_rows)
    insert(
        model=CaseEvent.history.model,
        rows=history_rows(model=CaseEvent, rows=event_rows, user_id=user.pk, when=now),
    )
