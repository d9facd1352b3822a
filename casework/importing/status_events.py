"""The timeline events an import writes for the statuses it records, and the date a row's
status started. The import writes the facts only (each status, dated as the file dates it,
or undated); casework.status.timelines_recompute, called by the import's writer in the same
transaction, derives the chain: each event's previous status, the case's current status and
its "since"."""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from casework.event_notes import IMPORT_SOURCE, import_description
from casework.importing.lookups import chunks, field_in
from casework.models import CaseEvent, Status
from casework.status import TimelineState, timeline_derive
from casework.visibility import AnyUser
from common.bulk import IdPool, history_rows, row_complete


def status_since_for(values: dict[str, Any]) -> datetime.date | None:
    """The date the row's status started, from the row's own dates where they say it, or
    None: unknown. Never the import's day, which would date a years-old release today and
    put every imported case among the dashboard's recent status changes."""
    status = values.get("status")
    if status in (Status.RELEASED, Status.ACQUITTED) and values.get("released_on"):
        return cast(datetime.date, values["released_on"])
    if status == Status.IMPRISONED and values.get("sentenced_on"):
        return cast(datetime.date, values["sentenced_on"])
    if status in (Status.PRETRIAL_DETENTION, Status.HOUSE_ARREST) and values.get("detained_on"):
        return cast(datetime.date, values["detained_on"])
    # Else the date the status cell's own words give ("освобождена 15.05.2023").
    return cast("datetime.date | None", values.get("status_on"))


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
    # A status the file dates before the case's current one: recorded in its place in the
    # timeline, not a change of the case's status (status_becomes_current).
    past: bool = False
    # A new case's event: the id its case already points at, and its previous status, as
    # new_case_timeline derived them.
    event_id: int | None = None
    previous_status: str = ""


@dataclass(frozen=True, slots=True)
class TimelineFactRow:
    """An event as casework.status's rule reads it: a new case's one status event, or a
    recorded case's events (timeline_facts_load)."""

    pk: int
    kind: str
    status: str
    happened_on: datetime.date | None
    recorded_at: datetime.datetime


_ANY_ID = 1


@functools.lru_cache(maxsize=4096)
def _single_event_state(status: str, on: datetime.date | None) -> TimelineState:
    # The chain of one event depends on its status and date only (not its id or when it
    # was recorded): derived once per pair, a file repeats few of them.
    fact = TimelineFactRow(
        pk=_ANY_ID,
        kind=CaseEvent.Kind.STATUS,
        status=status,
        happened_on=on,
        recorded_at=datetime.datetime.min.replace(tzinfo=datetime.UTC),
    )
    return timeline_derive([fact])


def timeline_facts_load(*, case_ids: list[int]) -> dict[int, list[TimelineFactRow]]:
    """The events of those cases, as the timeline rule reads them, by case (a few queries
    for all of them)."""
    facts: dict[int, list[TimelineFactRow]] = defaultdict(list)
    for chunk in chunks(case_ids):
        for pk, case_id, kind, status, happened_on, recorded_at in CaseEvent.objects.filter(
            **field_in("case_id", chunk)
        ).values_list("pk", "case_id", "kind", "status", "happened_on", "recorded_at"):
            facts[case_id].append(TimelineFactRow(pk, kind, status, happened_on, recorded_at))
    return facts


# The event an import would add: no recorded event has this id, and it is recorded after
# every one of them (the writer records it now).
_IMPORTED = 0
_RECORDED_LAST = datetime.datetime.max.replace(tzinfo=datetime.UTC)


def status_becomes_current(
    *, events: Sequence[TimelineFactRow], status: str, on: datetime.date | None
) -> bool:
    """Whether a status event the import adds, dated `on`, becomes the case's current
    status, as casework.status's rule places it among the case's events; else it is a past
    entry of the timeline (a release of 2023 for a case imprisoned since 2024)."""
    fact = TimelineFactRow(_IMPORTED, CaseEvent.Kind.STATUS, status, on, _RECORDED_LAST)
    return timeline_derive([*events, fact]).status_event_id == _IMPORTED


def new_case_timeline(*, status: str, on: datetime.date | None) -> dict[str, Any]:
    """A new case's status fields and its status event's previous status, as
    casework.status's rule derives them from the one event the import writes (none for an
    unknown status): written so, the case and its event are already what
    timelines_recompute finds them to be, and it rewrites neither (twice the rows, and
    their history, otherwise). Keys: status, status_since, on_trial_in_custody,
    previous_status ("" when no event is written)."""
    if status == Status.UNKNOWN:
        state = timeline_derive([])
        previous = ""
    else:
        state = _single_event_state(status, on)
        previous = state.previous_statuses[_ANY_ID]
    return {
        "status": state.status,
        "status_since": state.status_since,
        "on_trial_in_custody": state.on_trial_in_custody,
        "previous_status": previous,
    }


def import_status_events_write(
    *,
    changes: list[StatusChange],
    user: AnyUser,
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
        # Stored as the English message and shown in the reader's language (event_notes):
        # not in the uploader's, which the other readers of the case may not read.
        description = import_description(
            # A past entry is recorded, as a new case's status is: it changes nothing now.
            new_case=change.new_case or change.past,
            dated=change.on is not None,
        )
        events.append(
            {
                "id": change.event_id,
                "case_id": change.case_id,
                "kind": CaseEvent.Kind.STATUS,
                "status": change.status,
                "previous_status": change.previous_status,
                "happened_on": change.on,
                "recorded_at": now,
                "source": IMPORT_SOURCE,
                "description": description,
                "created_by_id": user.pk,
            }
        )
    # The changes to recorded cases take their ids here; the chain is theirs to derive.
    more_ids = iter(ids.take(model=CaseEvent, count=sum(1 for e in events if e["id"] is None)))
    event_rows = [
        row_complete(
            model=CaseEvent,
            row={
                **event,
                "id": event["id"] if event["id"] is not None else next(more_ids),
                "created_at": now,
                "updated_at": now,
            },
            now=now,
        )
        for event in events
    ]
    insert(model=CaseEvent, rows=event_rows)
    insert(
        model=CaseEvent.history.model,
        rows=history_rows(model=CaseEvent, rows=event_rows, user_id=user.pk, when=now),
    )
