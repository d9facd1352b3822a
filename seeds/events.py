"""Timeline events of the seed cases: status facts and other dated events, read from
people.yaml and written to each case's timeline.

A seed text says what a person's status was when it was written or when the document it
reports was adopted ("imprisoned", "kept under house arrest"); it never says since when.
So a status event has no date (the day the status began is unknown, and a date would
claim it) and is recorded as of the day the status is reported for (`reported_on`), which
places it in the chain and shows as "date unknown (recorded 18 Apr 2013)"; its note says
so.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone

from advocacy.models import Document
from casework.models import Case, CaseEvent, Status
from casework.partial_dates import partial_date_of
from casework.status import case_change_status, case_event_add
from seeds.provenance import ProvenanceSeed, fact_covered, sources_describe, sources_read
from seeds.records import Record, SeedError
from seeds.writing import Tally

if TYPE_CHECKING:
    from seeds.people import PersonSeed

STATUS_EVENT_FACTS = ("status", "reported_on", "document")
EVENT_FACTS = ("kind", "on", "description")
# The model field behind a fact name of people.yaml's events.
EVENT_FACT_FIELDS = {"reported_on": "recorded_at", "on": "happened_on"}


@dataclass(frozen=True)
class StatusEventSeed:
    status: str
    reported_on: datetime.date
    document: str  # the document that states the status, if it is one of ours
    note: str
    sources: tuple[ProvenanceSeed, ...]


@dataclass(frozen=True)
class EventSeed:
    kind: str
    on: datetime.date
    description: str
    sources: tuple[ProvenanceSeed, ...]


# --- Reading -----------------------------------------------------------------------------


def status_events_read(record: Record, *, document_keys: set[str]) -> tuple[StatusEventSeed, ...]:
    """A case's status facts, oldest first (case_change_status moves the current status only
    forward). Each says where its status and its date come from, separately."""
    status_events = []
    for event in record.records("status_events", label="status event"):
        seed = StatusEventSeed(
            status=event.text("status", required=True, choices=Status.values),
            reported_on=event.date("reported_on", required=True),
            document=event.text("document", choices=document_keys | {""}),
            note=event.text("note", required=True),
            sources=sources_read(event, facts=STATUS_EVENT_FACTS),
        )
        for fact in ("status", "reported_on"):
            if not any(fact in entry.facts for entry in seed.sources):
                raise event.error("sources", f"no entry says where '{fact}' comes from")
        status_events.append(seed)
        event.finish()
    return tuple(sorted(status_events, key=lambda event: event.reported_on))


def events_read(record: Record) -> tuple[EventSeed, ...]:
    events = []
    kind_choices = set(CaseEvent.Kind.values) - {CaseEvent.Kind.STATUS}
    for event in record.records("events", label="event"):
        seed = EventSeed(
            kind=event.text("kind", required=True, choices=kind_choices),
            on=event.date("on", required=True),
            description=event.text("description", required=True),
            sources=sources_read(event, facts=EVENT_FACTS),
        )
        if not fact_covered(seed.sources, "on"):
            raise event.error("sources", "no entry says where 'on' comes from")
        events.append(seed)
        event.finish()
    return tuple(events)


# --- Writing -----------------------------------------------------------------------------


def event_source(sources: tuple[ProvenanceSeed, ...], document: Document | None) -> str:
    described = sources_describe(sources)
    if document is None:
        return described
    reference = f" ({document.reference})" if document.reference else ""
    return f"{document.title}{reference}, {partial_date_of(document, 'issued_on')}\n{described}"


def case_events_write(
    *,
    people: list[PersonSeed],
    tally: Tally,
    cases: dict[str, Case],
    documents: dict[str, Document],
) -> list[tuple[CaseEvent, tuple[ProvenanceSeed, ...]]]:
    """Every seed case's status facts and other events, each with its sources."""
    return seed_status_events_write(
        people=people, tally=tally, cases=cases, documents=documents
    ) + _other_events_write(people=people, tally=tally, cases=cases)


def seed_status_events_write(
    *,
    people: list[PersonSeed],
    tally: Tally,
    cases: dict[str, Case],
    documents: dict[str, Document],
) -> list[tuple[CaseEvent, tuple[ProvenanceSeed, ...]]]:
    """The one place the seeds write status changes, each through casework.status; an event
    already on the timeline (same case, day reported and status) is left alone."""
    existing = {
        (event.case_id, timezone.localdate(event.recorded_at), event.status): event
        for event in CaseEvent.objects.filter(
            case_id__in=[case.pk for case in cases.values()], kind=CaseEvent.Kind.STATUS
        )
    }
    written = []
    for person in people:
        for case_seed in person.cases:
            case = cases[case_seed.reference]
            for seed in case_seed.status_events:
                key = (case.pk, seed.reported_on, seed.status)
                if key not in existing:
                    existing[key] = _status_change(
                        seed, case=case, person=person, documents=documents
                    )
                    tally.created += 1
                written.append((existing[key], seed.sources))
    return written


def reported_moment(day: datetime.date) -> datetime.datetime:
    """The start of the day a text reports a status for, in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _status_change(
    seed: StatusEventSeed, *, case: Case, person: PersonSeed, documents: dict[str, Document]
) -> CaseEvent:
    try:
        return case_change_status(
            case=case,
            status=seed.status,
            on=None,
            recorded_at=reported_moment(seed.reported_on),
            source=event_source(seed.sources, documents.get(seed.document)),
            note=seed.note,
        )
    except ValidationError as error:
        raise SeedError(
            f"people.yaml: person ({person.full_name}) > case ({case.reference}) > "
            f"status event {seed.reported_on}, field 'reported_on': {' '.join(error.messages)}"
        ) from error


def _other_events_write(
    *, people: list[PersonSeed], tally: Tally, cases: dict[str, Case]
) -> list[tuple[CaseEvent, tuple[ProvenanceSeed, ...]]]:
    existing = {
        (event.case_id, event.kind, event.happened_on, event.description): event
        for event in CaseEvent.objects.filter(
            case_id__in=[case.pk for case in cases.values()]
        ).exclude(kind=CaseEvent.Kind.STATUS)
    }
    written = []
    for person in people:
        for case_seed in person.cases:
            case = cases[case_seed.reference]
            for seed in case_seed.events:
                key = (case.pk, seed.kind, seed.on, seed.description)
                if key not in existing:
                    existing[key] = case_event_add(
                        case=case,
                        kind=seed.kind,
                        happened_on=seed.on,
                        description=seed.description,
                        source=event_source(seed.sources, None),
                    )
                    tally.created += 1
                written.append((existing[key], seed.sources))
    return written
