"""Timeline events of the seed cases: status facts and other dated events, read from
people.yaml and written to each case's timeline."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

from advocacy.models import Document
from casework.models import Case, CaseEvent, Status
from casework.status import case_change_status
from seeds.records import Record, SeedError, Sourced
from seeds.writing import Tally

if TYPE_CHECKING:
    from seeds.people import PersonSeed


@dataclass(frozen=True)
class StatusEventSeed:
    status: str
    on: datetime.date
    document: str
    note: str
    origin: Sourced


@dataclass(frozen=True)
class EventSeed:
    kind: str
    on: datetime.date
    description: str
    origin: Sourced


# --- Reading -----------------------------------------------------------------------------


def status_events_read(
    record: Record, *, origin: Sourced, document_keys: set[str]
) -> tuple[StatusEventSeed, ...]:
    """A case's status facts, oldest first (case_change_status moves the current status only
    forward)."""
    status_events = []
    for event in record.records("status_events", label="status event"):
        status_events.append(
            StatusEventSeed(
                status=event.text("status", required=True, choices=Status.values),
                on=event.date("on", required=True),
                document=event.text("document", choices=document_keys | {""}),
                note=event.text("note"),
                origin=event.origin(inherited=origin.sources),
            )
        )
        event.finish()
    return tuple(sorted(status_events, key=lambda event: event.on))


def events_read(record: Record, *, origin: Sourced) -> tuple[EventSeed, ...]:
    events = []
    kind_choices = set(CaseEvent.Kind.values) - {CaseEvent.Kind.STATUS}
    for event in record.records("events", label="event"):
        events.append(
            EventSeed(
                kind=event.text("kind", required=True, choices=kind_choices),
                on=event.date("on", required=True),
                description=event.text("description", required=True),
                origin=event.origin(inherited=origin.sources),
            )
        )
        event.finish()
    return tuple(events)


# --- Writing -----------------------------------------------------------------------------


def event_source(origin: Sourced, document: Document | None) -> str:
    described = origin.describe()
    if document is None:
        return described
    reference = f" ({document.reference})" if document.reference else ""
    return f"{document.title}{reference}, {document.issued_on:%d %B %Y}\n{described}"


def case_events_write(
    *,
    people: list[PersonSeed],
    tally: Tally,
    cases: dict[str, Case],
    documents: dict[str, Document],
) -> tuple[int, int]:
    """Every seed case's status facts and other events; (status events, other events)."""
    status_count = seed_status_events_write(
        people=people, tally=tally, cases=cases, documents=documents
    )
    return status_count, _other_events_write(people=people, tally=tally, cases=cases)


def seed_status_events_write(
    *,
    people: list[PersonSeed],
    tally: Tally,
    cases: dict[str, Case],
    documents: dict[str, Document],
) -> int:
    """The one place the seeds write status changes, each through casework.status; an event
    already on the timeline (same case, date and status) is left alone."""
    existing = set(
        CaseEvent.objects.filter(
            case_id__in=[case.pk for case in cases.values()], kind=CaseEvent.Kind.STATUS
        ).values_list("case_id", "happened_on", "status")
    )
    count = 0
    for person in people:
        for case_seed in person.cases:
            case = cases[case_seed.reference]
            for event in case_seed.status_events:
                count += 1
                if (case.pk, event.on, event.status) in existing:
                    continue
                try:
                    case_change_status(
                        case=case,
                        status=event.status,
                        on=event.on,
                        source=event_source(event.origin, documents.get(event.document)),
                        note=event.note,
                    )
                except ValidationError as error:
                    raise SeedError(
                        f"people.yaml: person ({person.full_name}) > case ({case.reference}) > "
                        f"status event {event.on}, field 'on': {' '.join(error.messages)}"
                    ) from error
                existing.add((case.pk, event.on, event.status))
                tally.created += 1
    return count


def _other_events_write(*, people: list[PersonSeed], tally: Tally, cases: dict[str, Case]) -> int:
    existing = set(
        CaseEvent.objects.filter(case_id__in=[case.pk for case in cases.values()])
        .exclude(kind=CaseEvent.Kind.STATUS)
        .values_list("case_id", "kind", "happened_on", "description")
    )
    count = 0
    for person in people:
        for case_seed in person.cases:
            case = cases[case_seed.reference]
            for event in case_seed.events:
                count += 1
                key = (case.pk, event.kind, event.on, event.description)
                if key in existing:
                    continue
                CaseEvent.objects.create(
                    case=case,
                    kind=event.kind,
                    happened_on=event.on,
                    description=event.description,
                    source=event_source(event.origin, None),
                )
                existing.add(key)
                tally.created += 1
    return count
