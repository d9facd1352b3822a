"""A case's timeline and status: the one rule, and the only writers of either.

The rule (timeline_order, timeline_derive). A case's events, ordered by date and then by
when they were recorded (recorded_at, then id), form one chain. An event of unknown date
(happened_on None) has no place among the dates: it sits after the dated events recorded
before it (and after the undated ones recorded before it). Each status event's previous
status is the status of the status event before it in the chain, "unknown" for the
first. The case's status is that of the last status event ("unknown" if there is none);
status_since is the date of the latest dated event of the final run of that status, or
None ("since an unknown date") when that run has no dated event, so an undated event
never dates a status; released_on becomes the day a current release began, where that
day is known and not before the detention; on_trial_in_custody says whether an on-trial
status continues a custody with no release between (what "still detained" reads:
casework.models.choices.liberty_deprived).

The writers, each in one transaction under a lock on the case row, recomputing the chain,
the case's status fields and the person's status conflicts (casework.conflicts):
case_change_status (a new status event), case_event_add (another kind of event),
case_event_correct, case_event_remove (coordinators, with a reason; the event is kept
out of the timeline), and status_conflict_record (a conflict's other case's status
recorded on this one, citing it).

Bulk writers (spreadsheet import, seeds, generate_data) may write CaseEvent rows their own
fast way; see timelines_recompute for what they must then call.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol, TypeVar, cast

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from casework.conflicts import status_conflict_close, status_conflicts_recompute
from casework.models import (
    FREED_STATUSES,
    Case,
    CaseEvent,
    Status,
    StatusConflict,
    liberty_deprived,
)
from casework.timeline_dates import timeline_date_check
from casework.visibility import AnyUser
from common.bulk import history_model_of, history_rows, ids_reserve, rows_insert, rows_update
from common.edit_stamps import edit_stamp_check
from common.history import history_save
from common.lookups import field_in
from common.resubmission import RESUBMISSION_WINDOW

# Cases recomputed per round of timelines_recompute: one query for their events, one
# bulk update for each table, whatever the number of cases.
RECOMPUTE_BATCH = 2000
CASE_DERIVED_FIELDS = ("status", "status_since", "released_on", "on_trial_in_custody")


class TimelineFact(Protocol):
    """What the rule reads of an event (a CaseEvent, or a row a test builds); read-only,
    so a frozen dataclass serves."""

    @property
    def pk(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def happened_on(self) -> date | None: ...
    @property
    def recorded_at(self) -> datetime: ...


class TimelineEvent(TimelineFact, Protocol):
    """An event whose derived previous status the rule writes back."""

    previous_status: str


Fact = TypeVar("Fact", bound=TimelineFact)
Event = TypeVar("Event", bound=TimelineEvent)


def _recorded(event: TimelineFact) -> tuple[datetime, int]:
    return (event.recorded_at, event.pk)


def timeline_order(events: Iterable[Fact]) -> list[Fact]:
    """The chain: dated events by (date, recorded_at, id), each undated event right after
    the last (in that order) of the dated events recorded before it."""
    events = list(events)
    dated = sorted(
        (event for event in events if event.happened_on is not None),
        key=lambda event: (event.happened_on, *_recorded(event)),
    )
    undated = sorted((event for event in events if event.happened_on is None), key=_recorded)
    position = {event.pk: index for index, event in enumerate(dated)}
    by_recording = sorted(dated, key=_recorded)
    # anchor: the chain position of the last dated event recorded before each undated one
    # (-1: none); the undated are in recording order, so their anchors never decrease.
    anchors, taken, anchor = [], 0, -1
    for event in undated:
        while taken < len(by_recording) and _recorded(by_recording[taken]) < _recorded(event):
            anchor = max(anchor, position[by_recording[taken].pk])
            taken += 1
        anchors.append(anchor)
    chain: list[Fact] = []
    next_undated = 0
    for index in range(-1, len(dated)):
        if index >= 0:
            chain.append(dated[index])
        while next_undated < len(undated) and anchors[next_undated] == index:
            chain.append(undated[next_undated])
            next_undated += 1
    return chain


@dataclass
class TimelineState:
    """What the chain says: each status event's previous status, and the case's fields."""

    previous_statuses: dict[int, str] = field(default_factory=dict)
    status: str = Status.UNKNOWN
    status_since: date | None = None
    status_event_id: int | None = None
    release_began_on: date | None = None
    on_trial_in_custody: bool = False


def timeline_derive(events: Iterable[TimelineFact]) -> TimelineState:
    state = TimelineState()
    held = False  # deprived of liberty after the event before
    started = False
    for event in timeline_order(events):
        if event.kind != CaseEvent.Kind.STATUS:
            continue
        state.previous_statuses[event.pk] = state.status
        same_run = started and event.status == state.status
        if not same_run:
            state.status_since = None
        if event.happened_on is not None:
            state.status_since = event.happened_on
        if event.status not in FREED_STATUSES:
            state.release_began_on = None
        elif not (started and state.status in FREED_STATUSES):
            state.release_began_on = event.happened_on
        state.on_trial_in_custody = event.status == Status.ON_TRIAL and held
        held = liberty_deprived(status=event.status, on_trial_in_custody=held)
        state.status = event.status
        state.status_event_id = event.pk
        started = True
    return state


def _case_apply(*, case: Case | _CaseRow, state: TimelineState) -> list[str]:
    """Put the derived fields on the case; returns the names of those that changed."""
    wanted = {
        "status": state.status,
        "status_since": state.status_since,
        "on_trial_in_custody": state.on_trial_in_custody,
        "released_on": case.released_on,
    }
    release = state.release_began_on
    # "Where that follows": a release the timeline dates, never before the detention (the
    # case's own constraint); otherwise the release date stays what was recorded.
    if (
        state.status in FREED_STATUSES
        and release is not None
        and (case.detained_on is None or release >= case.detained_on)
    ):
        wanted["released_on"] = release
    changed = [name for name, value in wanted.items() if getattr(case, name) != value]
    for name in changed:
        setattr(case, name, wanted[name])
    case.status_event_id = state.status_event_id
    return changed


def _events_apply(*, events: Sequence[Event], state: TimelineState) -> list[Event]:
    """Put each status event's previous status on it; returns those that changed."""
    changed = []
    for event in events:
        previous = state.previous_statuses.get(event.pk, "")
        if event.previous_status != previous:
            event.previous_status = previous
            changed.append(event)
    return changed


_EVENT_FACTS = ("pk", "case_id", "kind", "status", "happened_on", "recorded_at", "previous_status")


def timeline_recompute(*, case: Case, by: AnyUser | None = None) -> None:
    """Derive the chain and the case's status fields from the case's events and save what
    changed (the case's history row names `by`). `case` must be locked by the caller's
    transaction (select_for_update), as the writers below do."""
    events = list(CaseEvent.objects.filter(case_id=case.pk).only(*_EVENT_FACTS))
    state = timeline_derive(events)
    CaseEvent.objects.bulk_update(_events_apply(events=events, state=state), ["previous_status"])
    previous_event_id = case.status_event_id
    changed = _case_apply(case=case, state=state)
    if changed or case.status_event_id != previous_event_id:
        fields = [*changed, "status_event", "updated_at"]
        if by is None:
            case.save(update_fields=fields)  # the actor is the request's, if there is one
        else:
            history_save(instance=case, by=by, update_fields=fields)


def timelines_recompute(
    *, case_ids: Iterable[int], by: AnyUser | None = None, reason: str = ""
) -> int:
    """The bulk form of the rule, for importers, seeds and generate_data; returns how many
    cases changed status fields.

    How to call it: inside the transaction that wrote the events, after writing them and
    before committing. Write each CaseEvent with kind, status (for a status event),
    happened_on (None when the date is unknown: never the day of the import), recorded_at
    (when the information came in: the import's moment, or a source's date; never later
    than now), source, description and created_by; leave previous_status and the case's
    status, status_since, on_trial_in_custody and status_event to this function (a case
    may be created with the default status "unknown"). Pass the ids of every case whose
    events were written. It locks those cases, rewrites what the chain derives (with a
    history row for each case whose status fields change, naming `by`, with `reason`),
    and recomputes the status conflicts of their people (casework.conflicts), notifying
    the coordinators concerned. Queries: a few per RECOMPUTE_BATCH cases."""
    ids = sorted(set(case_ids))
    changed_count = 0
    person_ids: set[int] = set()
    with transaction.atomic():
        for start in range(0, len(ids), RECOMPUTE_BATCH):
            changed_count += _recompute_batch(
                case_ids=ids[start : start + RECOMPUTE_BATCH],
                person_ids=person_ids,
                by=by,
                reason=reason,
            )
        status_conflicts_recompute(person_ids=person_ids, by=by)
    return changed_count


@dataclass
class _EventRow:
    """An event as the bulk form reads it: values, not a model instance (tens of
    thousands of them in an import or generate_data)."""

    pk: int
    case_id: int
    kind: str
    status: str
    happened_on: date | None
    recorded_at: datetime
    previous_status: str


@dataclass
class _CaseRow:
    pk: int
    person_id: int
    status: str
    status_since: date | None
    released_on: date | None
    detained_on: date | None
    on_trial_in_custody: bool
    status_event_id: int | None


def _recompute_batch(
    *, case_ids: list[int], person_ids: set[int], by: AnyUser | None, reason: str
) -> int:
    rows = [
        _CaseRow(*values)
        for values in Case.objects.select_for_update()
        .filter(**field_in("pk", case_ids))
        .order_by("pk")
        .values_list(*(name for name in _CaseRow.__dataclass_fields__))
    ]
    events_of: dict[int, list[_EventRow]] = defaultdict(list)
    for values in CaseEvent.objects.filter(**field_in("case_id", case_ids)).values_list(
        *_EventRow.__dataclass_fields__
    ):
        event = _EventRow(*values)
        events_of[event.case_id].append(event)
    changed_events: list[_EventRow] = []
    changed: dict[int, _CaseRow] = {}
    pointer_only: list[Case] = []
    for row in rows:
        person_ids.add(row.person_id)
        state = timeline_derive(events_of[row.pk])
        changed_events += _events_apply(events=events_of[row.pk], state=state)
        previous_event_id = row.status_event_id
        if _case_apply(case=row, state=state):
            changed[row.pk] = row
        elif row.status_event_id != previous_event_id:
            pointer_only.append(Case(pk=row.pk, status_event_id=row.status_event_id))
    rows_update(
        objects=[CaseEvent(pk=e.pk, previous_status=e.previous_status) for e in changed_events],
        fields=["previous_status"],
    )
    rows_update(objects=pointer_only, fields=["status_event"])
    if changed:
        cases = list(Case.objects.filter(**field_in("pk", changed)))
        now = timezone.now()
        for case in cases:
            for name in (*CASE_DERIVED_FIELDS, "status_event_id"):
                setattr(case, name, getattr(changed[case.pk], name))
            case.updated_at = now
        rows_update(objects=cases, fields=[*CASE_DERIVED_FIELDS, "status_event", "updated_at"])
        _cases_history_write(cases=cases, by=by, when=now, reason=reason)
    return len(changed)


def _cases_history_write(
    *, cases: list[Case], by: AnyUser | None, when: datetime, reason: str
) -> None:
    """A history row for each case as it now stands, with its charges (simple-history's
    own bulk writer leaves the charges out, and the history would then read as if they
    had been removed)."""
    history_model = history_model_of(Case)
    records = history_rows(
        model=Case,
        rows=[
            {field.attname: getattr(case, field.attname) for field in history_model.tracked_fields}
            for case in cases
        ],
        user_id=getattr(by, "pk", None),
        when=when,
        history_type="~",
        history_ids=ids_reserve(model=history_model, count=len(cases)),
    )
    for record in records:
        record["history_change_reason"] = reason or None
    rows_insert(model=history_model, rows=records)
    history_of = {record["id"]: record["history_id"] for record in records}
    rows_insert(
        model=history_model.charges.model,
        rows=[
            {"history_id": history_of[case_id], "id": pk, "case_id": case_id, "charge_id": charge}
            for pk, case_id, charge in Case.charges.through.objects.filter(
                **field_in("case_id", history_of)
            ).values_list("pk", "case_id", "charge_id")
        ],
    )


# --- Writers -----------------------------------------------------------------------------


def _status_check(status: str) -> None:
    if status not in Status.values:
        raise ValidationError(
            {"status": gettext("Unknown status “%(status)s”.") % {"status": status}}
        )


T = TypeVar("T")


def _timeline_write(*, case: Case, by: AnyUser | None, write: Callable[[Case], T]) -> T:
    """Lock the case, write, recompute the chain, the case and the person's conflicts."""
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        result = write(locked)
        timeline_recompute(case=locked, by=by)
        status_conflicts_recompute(person_ids=[locked.person_id], by=by)
    case.refresh_from_db()
    return result


def _event_insert(*, case: Case, by: AnyUser | None, **fields: Any) -> CaseEvent:
    """A new entry on the case's timeline, then the chain recomputed; the entry `by`
    recorded just now with the same facts, if there is one (RESUBMISSION_WINDOW)."""

    def write(locked: Case) -> CaseEvent:
        if getattr(by, "pk", None) is not None:
            facts = {name: value for name, value in fields.items() if name != "recorded_at"}
            same = (
                CaseEvent.objects.filter(
                    case=locked,
                    created_by_id=by.pk,  # type: ignore[union-attr]
                    recorded_at__gte=timezone.now() - RESUBMISSION_WINDOW,
                    **facts,
                )
                .order_by("-pk")
                .first()
            )
            if same is not None:
                return same
        # A writer's actor is an account or nobody (AnyUser only as request.user is typed).
        event = CaseEvent(case=locked, created_by=cast("User | None", by), **fields)
        history_save(instance=event, by=by)
        return event

    return _timeline_write(case=case, by=by, write=write)


def _event_rewrite(
    *, event: CaseEvent, by: AnyUser | None, stamp: str | None = None, **values: Any
) -> CaseEvent:
    """Change an entry (its history row names `by`), then the chain recomputed; given the
    edit stamp its form was opened with, refused (EditedMeanwhile) over a change since."""

    def write(locked: Case) -> CaseEvent:
        if stamp is not None:
            edit_stamp_check(instance=event, stamp=stamp, allowed=CORRECTABLE_FIELDS)
        current = CaseEvent.objects.select_for_update().get(pk=event.pk, case=locked)
        for name, value in values.items():
            setattr(current, name, value)
        history_save(instance=current, by=by)
        return current

    return _timeline_write(case=event.case, by=by, write=write)


def case_change_status(
    *,
    case: Case,
    status: str,
    on: date | None,
    source: str = "",
    note: str = "",
    by: AnyUser | None = None,
    recorded_at: datetime | None = None,
) -> CaseEvent:
    """Record a status change dated `on` (None: the date is unknown). Where it falls in
    the chain, and so whether it is the case's current status, follows from its date.

    `recorded_at` is for facts recorded before they reach Advocase (a seed text's date,
    say): when the status was known to be so, which places an undated change in the chain."""
    _status_check(status)
    timeline_date_check(on=on, field_name="on", by=by)
    timeline_date_check(on=recorded_at, field_name="recorded_at")

    event = _event_insert(
        case=case,
        by=by,
        kind=CaseEvent.Kind.STATUS,
        status=status,
        happened_on=on,
        source=source,
        description=note,
        recorded_at=recorded_at or timezone.now(),
    )
    event.refresh_from_db()
    return event


def case_event_add(
    *,
    case: Case,
    kind: str,
    happened_on: date | None,
    source: str = "",
    description: str = "",
    by: AnyUser | None = None,
    recorded_at: datetime | None = None,
) -> CaseEvent:
    """A timeline entry other than a status change (those go through case_change_status);
    `recorded_at` as there."""
    if kind == CaseEvent.Kind.STATUS:
        raise ValidationError({"kind": gettext("Use “Change status” to record a status change.")})
    timeline_date_check(on=happened_on, field_name="happened_on", by=by)
    timeline_date_check(on=recorded_at, field_name="recorded_at")

    return _event_insert(
        case=case,
        by=by,
        kind=kind,
        happened_on=happened_on,
        source=source,
        description=description,
        recorded_at=recorded_at or timezone.now(),
    )


# What a correction may change: a status event stays a status event, another kind of
# event never becomes one.
CORRECTABLE_FIELDS = frozenset({"kind", "status", "happened_on", "source", "description"})


def case_event_correct(
    *, event: CaseEvent, by: AnyUser | None, stamp: str | None = None, **changes: Any
) -> CaseEvent:
    """Correct an event's date, status, kind, source or text; the chain follows, and the
    event's history keeps what it said before. Given the edit stamp (common.edit_stamps)
    of the fields its form showed, refuses a correction over someone else's since."""
    unknown = set(changes) - CORRECTABLE_FIELDS
    if unknown:
        raise ValueError(f"case_event_correct cannot change {', '.join(sorted(unknown))}")
    is_status = event.kind == CaseEvent.Kind.STATUS
    if "kind" in changes and (changes["kind"] == CaseEvent.Kind.STATUS) != is_status:
        raise ValidationError(
            {"kind": gettext("A status change stays a status change; record a new one instead.")}
        )
    if is_status and "status" in changes:
        _status_check(changes["status"])
    elif not is_status:
        changes.pop("status", None)
    timeline_date_check(on=changes.get("happened_on"), field_name="happened_on", by=by)

    return _event_rewrite(event=event, by=by, stamp=stamp, **changes)


def case_event_remove(*, event: CaseEvent, reason: str, by: AnyUser | None) -> CaseEvent:
    """Take an event off the timeline, with the reason: kept, with who and when, and
    shown among the case's removed entries. Who may (coordinators) is the caller's check."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": gettext("Say why this entry is removed.")})

    return _event_rewrite(
        event=event, by=by, removed_at=timezone.now(), removed_by=by, removal_reason=reason
    )


def status_conflict_record(
    *, conflict: StatusConflict, case: Case, by: AnyUser | None
) -> CaseEvent:
    """Record on `case` the status the conflict's other case reports, with its date and
    citing it as the source, and close the conflict as recorded. Whether `by` may change
    `case` and see both cases is the caller's check."""
    if case.pk not in (conflict.first_case_id, conflict.second_case_id):
        raise ValidationError(gettext("This case is not part of the conflict."))
    other_id = (
        conflict.second_case_id if case.pk == conflict.first_case_id else conflict.first_case_id
    )
    with transaction.atomic():
        other = Case.objects.select_related("owning_organisation", "status_event").get(pk=other_id)
        status_conflict_close(conflict=conflict, outcome=StatusConflict.Outcome.RECORDED, by=by)
        cited = gettext("Reported by %(organisation)s in case %(reference)s.") % {
            "organisation": other.owning_organisation.name,
            "reference": other.reference,
        }
        if other.status_event is not None and other.status_event.source:
            # An import's source in the language the rest of the citation is written in.
            cited = f"{cited}\n{other.status_event.source_shown}"
        return case_change_status(
            case=case,
            status=other.status,
            on=other.status_since,
            source=cited,
            note=gettext("Recorded from a status conflict with case %(reference)s.")
            % {"reference": other.reference},
            by=by,
        )


# --- Readers -----------------------------------------------------------------------------


def cases_status_on(*, case_ids: Iterable[int], on: date) -> dict[int, str]:
    """Each case's status on a day, from its timeline (one query for all cases): the
    status of the last event in the chain known to have happened by then, dated on or
    before it, or undated but recorded by then."""
    ids = list(case_ids)
    result: dict[int, str] = {case_id: Status.UNKNOWN for case_id in ids}
    events_of: dict[int, list[CaseEvent]] = defaultdict(list)
    for event in CaseEvent.objects.filter(case_id__in=ids, kind=CaseEvent.Kind.STATUS).only(
        *_EVENT_FACTS
    ):
        events_of[event.case_id].append(event)
    for case_id, events in events_of.items():
        for event in timeline_order(events):
            known_by = event.happened_on or timezone.localdate(event.recorded_at)
            if known_by <= on:
                result[case_id] = event.status
    return result


def case_timeline(*, case: Case, events: Iterable[CaseEvent] | None = None) -> list[CaseEvent]:
    """The case's events in chain order, newest first, as the case page shows them."""
    if events is None:
        events = case.events.all()
    return list(reversed(timeline_order(events)))


def case_timeline_and_removed(
    *, case: Case, events: Iterable[CaseEvent]
) -> tuple[list[CaseEvent], list[CaseEvent]]:
    """From all the case's events, removed ones included (CaseEvent.all_objects, read in
    one query): the timeline as case_timeline gives it, and the removed entries, latest
    removal first."""
    rows = list(events)
    for event in rows:
        event.case = case  # as case.events would have set it: no query for event.case
    removed = [event for event in rows if event.removed_at is not None]
    # (`or recorded_at` never applies: it only tells the type checker there is a date)
    removed.sort(key=lambda event: event.removed_at or event.recorded_at, reverse=True)
    timeline = case_timeline(case=case, events=[e for e in rows if e.removed_at is None])
    return timeline, removed
