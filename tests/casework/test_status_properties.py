"""Property tests of the timeline rule (casework.status): random dated and undated
changes, entered in random order, corrected and removed, always give the chain and the
current status that a reference computed from scratch gives.

The reference states the rule another way: an order defined pairwise (which of two events
comes first) rather than by placing undated events after anchors, and the case's fields
read off the finished chain rather than carried along it.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework.models import DETAINED_STATUSES, FREED_STATUSES, Case, CaseEvent, Status
from casework.status import (
    case_change_status,
    case_event_add,
    case_event_correct,
    case_event_remove,
    timeline_derive,
)
from tests.factories import CaseFactory

PURE_EXAMPLES = 1000
DATABASE_EXAMPLES = 150

STATUSES = [
    Status.INVESTIGATION,
    Status.PRETRIAL_DETENTION,
    Status.HOUSE_ARREST,
    Status.ON_TRIAL,
    Status.IMPRISONED,
    Status.RELEASED,
    Status.ACQUITTED,
    Status.UNKNOWN,
]
START = datetime.date(2024, 1, 1)
# Few distinct days, so that ties of date (ordered by recording) are common.
DATES = st.one_of(st.none(), st.integers(0, 4).map(lambda days: START + datetime.timedelta(days)))


@dataclass(frozen=True)
class Fact:
    pk: int
    kind: str
    status: str
    happened_on: datetime.date | None
    recorded_at: datetime.datetime


@dataclass(frozen=True)
class Expected:
    previous_statuses: dict[int, str]
    status: str
    status_since: datetime.date | None
    release_began_on: datetime.date | None
    on_trial_in_custody: bool


def _comes_before(first, second, dated) -> bool:
    def recorded(event):
        return (event.recorded_at, event.pk)

    def by_date(event):
        return (event.happened_on, event.recorded_at, event.pk)

    if first.happened_on is not None and second.happened_on is not None:
        return by_date(first) < by_date(second)
    if first.happened_on is None and second.happened_on is None:
        return recorded(first) < recorded(second)
    if first.happened_on is not None:
        # A dated event precedes an undated one when some dated event recorded before the
        # undated one is at or after it.
        return any(
            recorded(other) < recorded(second) and by_date(other) >= by_date(first)
            for other in dated
        )
    return not _comes_before(second, first, dated)


def reference(events) -> Expected:
    dated = [event for event in events if event.happened_on is not None]
    ordered = sorted(
        events,
        key=functools.cmp_to_key(
            lambda a, b: 0 if a.pk == b.pk else (-1 if _comes_before(a, b, dated) else 1)
        ),
    )
    statuses = [event for event in ordered if event.kind == CaseEvent.Kind.STATUS]
    previous = {
        event.pk: (statuses[index - 1].status if index else Status.UNKNOWN)
        for index, event in enumerate(statuses)
    }
    if not statuses:
        return Expected(previous, Status.UNKNOWN, None, None, False)
    current = statuses[-1].status
    run = []
    for event in reversed(statuses):
        if event.status != current:
            break
        run.append(event)
    since = max((event.happened_on for event in run if event.happened_on), default=None)
    release = None
    if current in FREED_STATUSES:
        freed = []
        for event in reversed(statuses):
            if event.status not in FREED_STATUSES:
                break
            freed.append(event)
        release = freed[-1].happened_on
    on_trial_in_custody = False
    if current == Status.ON_TRIAL:
        last_other = next(
            (e.status for e in reversed(statuses) if e.status != Status.ON_TRIAL), None
        )
        on_trial_in_custody = last_other in DETAINED_STATUSES
    return Expected(previous, current, since, release, on_trial_in_custody)


# --- The rule on its own, many examples ---------------------------------------------------

KINDS = [CaseEvent.Kind.STATUS, CaseEvent.Kind.STATUS, CaseEvent.Kind.HEARING]
# A day as DATES draws it: no date half the time, else one of its five days.
DAYS = [None] * 5 + [START + datetime.timedelta(days) for days in range(5)]
MINUTES = 7  # recorded minutes after the start: ties of recording too


def _fact(number: int) -> tuple[str, str, datetime.date | None, int]:
    """The fact numbered `number` of every (kind, status, day, minute) there is."""
    number, kind = divmod(number, len(KINDS))
    number, status = divmod(number, len(STATUSES))
    minutes, day = divmod(number, len(DAYS))
    return KINDS[kind], STATUSES[status], DAYS[day], minutes


# Each fact is one number drawn, not four values: drawing was nearly all of this test's
# processor time (the rule and the reference take 2% of it), and one draw a fact makes
# the thousand examples a third cheaper. The same facts: every kind, status, day and
# minute, no date about half the time, as the tuple of four drew them; as Hypothesis
# favours small numbers, the minute (the number's top digit) is more often an early one,
# which only makes ties of recording commoner.
FACTS = st.lists(
    st.integers(0, len(KINDS) * len(STATUSES) * len(DAYS) * MINUTES - 1).map(_fact),
    max_size=12,
)


@settings(max_examples=PURE_EXAMPLES, deadline=None, database=None)
@given(FACTS)
def test_the_rule_gives_the_reference_chain_for_any_events(facts):
    moment = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    events = [
        Fact(
            pk=index + 1,
            kind=kind,
            status=status if kind == CaseEvent.Kind.STATUS else "",
            happened_on=on,
            recorded_at=moment + datetime.timedelta(minutes=minutes),
        )
        for index, (kind, status, on, minutes) in enumerate(facts)
    ]
    state = timeline_derive(events)
    expected = reference(events)
    assert state.previous_statuses == expected.previous_statuses
    assert (state.status, state.status_since) == (expected.status, expected.status_since)
    assert state.release_began_on == expected.release_began_on
    assert state.on_trial_in_custody == expected.on_trial_in_custody


# --- Through the writers, on the database ---------------------------------------------------

OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("change"), st.sampled_from(STATUSES), DATES),
        st.tuples(st.just("event"), DATES),
        st.tuples(st.just("correct"), st.integers(0, 20), st.sampled_from(STATUSES), DATES),
        st.tuples(st.just("remove"), st.integers(0, 20)),
    ),
    min_size=1,
    max_size=10,
)


def _apply(case, operation, *, by) -> None:
    kind, *arguments = operation
    # The case's events, for the operations that pick one of them (not a query per change).
    events = (
        list(CaseEvent.objects.filter(case=case).order_by("pk"))
        if kind in ("correct", "remove")
        else []
    )
    if kind == "change":
        status, on = arguments
        case_change_status(case=case, status=status, on=on, source="test", by=by)
    elif kind == "event":
        case_event_add(case=case, kind=CaseEvent.Kind.VISIT, happened_on=arguments[0], by=by)
    elif kind == "correct" and events:
        index, status, on = arguments
        case_event_correct(event=events[index % len(events)], status=status, happened_on=on, by=by)
    elif kind == "remove" and events:
        case_event_remove(event=events[arguments[0] % len(events)], reason="wrong", by=by)


@pytest.fixture
def blank_case(db):
    """A case with no events, made once for all the examples (each starts from it again)."""
    return CaseFactory(status=Status.UNKNOWN, status_since=None, detained_on=None)


@settings(
    max_examples=DATABASE_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(OPERATIONS)
def test_changes_entered_in_any_order_give_the_reference_timeline(
    caseworker, blank_case, operations
):
    # Each example writes on the blank case inside a savepoint rolled back at its end, so
    # every example starts from a case with no events, as a new case would.
    with transaction.atomic():
        case = Case.objects.get(pk=blank_case.pk)
        for operation in operations:
            _apply(case, operation, by=caseworker)

        events = list(CaseEvent.objects.filter(case=case))
        expected = reference(events)
        case.refresh_from_db()
        assert {
            event.pk: event.previous_status
            for event in events
            if event.kind == CaseEvent.Kind.STATUS
        } == expected.previous_statuses
        assert (case.status, case.status_since) == (expected.status, expected.status_since)
        assert case.on_trial_in_custody == expected.on_trial_in_custody
        if expected.status in FREED_STATUSES and expected.release_began_on is not None:
            assert case.released_on == expected.release_began_on
        transaction.set_rollback(True)
