"""The timeline events an import writes for the statuses it records, and the date a row's
status started. This is the one place the import writes status events: the rule that dates
them and links each to the status before it lives here alone, so that it can follow
casework.status (the one way a case's status changes) as soon as that module has a bulk
form for importers."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

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


def status_event_dated(values: dict) -> bool:
    """Whether a new case's status goes on its timeline: a known status the file dates. A
    status the file gives no date for is kept on the case, since an unknown date; an event
    dated the import's day would say it happened then."""
    status = values.get("status") or Status.UNKNOWN
    return status != Status.UNKNOWN and status_since_for(values) is not None


@dataclass(frozen=True, slots=True)
class StatusChange:
    """A status an import records on a case: a new case's first status, or a change."""

    case_id: int
    status: str
    # The case's status before the import; "" for a new case.
    previous_status: str
    # The date the file gives for it (status_since_for); None when it gives none.
    on: datetime.date | None
    new_case: bool


def import_status_events_write(
    *,
    changes: list[StatusChange],
    user,
    now: datetime.datetime,
    ids: IdPool,
    insert: Callable[..., None],
) -> None:
    """Write the status events of an import's changes, with their history rows, through
    `insert` (a RowsPipeline's, so they go in with the import's other rows). A new case's
    status the file does not date has no event (its "since" stays unknown); a change the
    file does not date is recorded on the day of the import and says so."""
    events: list[dict[str, Any]] = []
    for change in changes:
        if change.new_case:
            if change.status == Status.UNKNOWN or change.on is None:
                continue
            description = "Status recorded by a spreadsheet import."
        elif change.on is not None:
            description = "Status changed by a spreadsheet import."
        else:
            description = (
                "Status changed by a spreadsheet import, which gives no date for the change: "
                "recorded on the day of the import."
            )
        events.append(
            {
                "case_id": change.case_id,
                "kind": CaseEvent.Kind.STATUS,
                "status": change.status,
                "previous_status": change.previous_status,
                "happened_on": change.on or timezone.localdate(now),
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
