import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from casework.models import Case, CaseEvent, Status, liberty_deprived_condition
from casework.status import (
    case_change_status,
    case_event_add,
    case_event_correct,
    case_event_remove,
    case_timeline,
    cases_status_on,
    timelines_recompute,
)
from tests.factories import CaseFactory, cases_bulk_create, people_bulk_create

JAN = datetime.date(2024, 1, 10)
MAR = datetime.date(2024, 3, 1)
JUN = datetime.date(2024, 6, 3)


@pytest.fixture
def case(db):
    """A case with nothing on its timeline yet: its status is what the events will say."""
    return CaseFactory(status=Status.UNKNOWN, status_since=None, detained_on=None)


def chain(case) -> list[tuple[str, str, datetime.date | None]]:
    """(previous status, status, date) of each status event, oldest first."""
    return [
        (event.previous_status, event.status, event.happened_on)
        for event in reversed(case_timeline(case=case))
        if event.kind == CaseEvent.Kind.STATUS
    ]


def test_it_records_every_status_change_on_the_timeline(case, caseworker):
    case_change_status(case=case, status=Status.PRETRIAL_DETENTION, on=JAN, by=caseworker)
    event = case_change_status(
        case=case, status=Status.IMPRISONED, on=JUN,
        source="Verdict of the Almaty court", note="7 years", by=caseworker,
    )  # fmt: skip
    case.refresh_from_db()
    assert (case.status, case.status_since) == (Status.IMPRISONED, JUN)
    assert (event.kind, event.previous_status, event.created_by) == (
        CaseEvent.Kind.STATUS,
        Status.PRETRIAL_DETENTION,
        caseworker,
    )
    assert case.status_event_id == event.pk
    assert case.history.first().history_user == caseworker


def test_it_refuses_a_status_change_in_the_future(case, caseworker):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        case_change_status(case=case, status=Status.RELEASED, on=tomorrow, by=caseworker)
    assert "on" in error.value.message_dict
    assert not CaseEvent.objects.exists()


def test_it_refuses_a_status_change_dated_before_1900(case, caseworker):
    # A year typed short in a date box ("0021-03-01" for 2021) would top the chain's order.
    with pytest.raises(ValidationError) as error:
        case_change_status(
            case=case, status=Status.RELEASED, on=datetime.date(21, 3, 1), by=caseworker
        )
    assert error.value.message_dict == {"on": ["A date on the timeline cannot be before 1900."]}
    assert not CaseEvent.objects.exists()


def test_it_keeps_one_entry_when_the_same_person_records_the_same_change_again(
    case, caseworker, coordinator
):
    first = case_change_status(case=case, status=Status.RELEASED, on=JUN, by=caseworker)
    again = case_change_status(case=case, status=Status.RELEASED, on=JUN, by=caseworker)
    other_source = case_change_status(
        case=case, status=Status.RELEASED, on=JUN, source="Lawyer", by=caseworker
    )
    colleague = case_change_status(case=case, status=Status.RELEASED, on=JUN, by=coordinator)

    assert again.pk == first.pk
    assert len({first.pk, other_source.pk, colleague.pk}) == 3
    assert CaseEvent.objects.count() == 3


def test_a_backdated_change_takes_its_place_in_the_chain_and_the_next_one_follows_it(
    case, caseworker
):
    case_change_status(case=case, status=Status.IMPRISONED, on=JUN, by=caseworker)
    case_change_status(case=case, status=Status.PRETRIAL_DETENTION, on=JAN, by=caseworker)

    case.refresh_from_db()
    assert (case.status, case.status_since) == (Status.IMPRISONED, JUN)
    assert chain(case) == [
        (Status.UNKNOWN, Status.PRETRIAL_DETENTION, JAN),
        (Status.PRETRIAL_DETENTION, Status.IMPRISONED, JUN),
    ]


def test_a_change_between_two_others_is_the_from_of_the_later_one(case, caseworker):
    case_change_status(case=case, status=Status.PRETRIAL_DETENTION, on=JAN, by=caseworker)
    case_change_status(case=case, status=Status.IMPRISONED, on=JUN, by=caseworker)
    case_change_status(case=case, status=Status.ON_TRIAL, on=MAR, by=caseworker)

    assert chain(case) == [
        (Status.UNKNOWN, Status.PRETRIAL_DETENTION, JAN),
        (Status.PRETRIAL_DETENTION, Status.ON_TRIAL, MAR),
        (Status.ON_TRIAL, Status.IMPRISONED, JUN),
    ]


def test_two_changes_on_one_day_follow_the_order_they_were_recorded_in(case, caseworker):
    case_change_status(case=case, status=Status.ON_TRIAL, on=JUN, by=caseworker)
    case_change_status(case=case, status=Status.IMPRISONED, on=JUN, by=caseworker)

    case.refresh_from_db()
    assert case.status == Status.IMPRISONED
    assert chain(case)[-1] == (Status.ON_TRIAL, Status.IMPRISONED, JUN)


def test_an_undated_change_follows_the_dated_ones_recorded_before_it_and_dates_nothing(
    case, caseworker
):
    case_change_status(case=case, status=Status.IMPRISONED, on=JUN, by=caseworker)
    case_change_status(case=case, status=Status.RELEASED, on=None, by=caseworker)

    case.refresh_from_db()
    assert (case.status, case.status_since) == (Status.RELEASED, None)
    assert chain(case) == [
        (Status.UNKNOWN, Status.IMPRISONED, JUN),
        (Status.IMPRISONED, Status.RELEASED, None),
    ]
    # A dated change recorded afterwards but dated before the undated one was known of
    # goes before it: the undated one keeps its place after what was known when it came.
    case_change_status(case=case, status=Status.PRETRIAL_DETENTION, on=JAN, by=caseworker)
    assert [status for _, status, _ in chain(case)] == [
        Status.PRETRIAL_DETENTION,
        Status.IMPRISONED,
        Status.RELEASED,
    ]
    case.refresh_from_db()
    assert case.status_since is None


def test_an_undated_confirmation_of_the_status_keeps_its_date(case, caseworker):
    case_change_status(case=case, status=Status.IMPRISONED, on=JUN, by=caseworker)
    case_change_status(case=case, status=Status.IMPRISONED, on=None, by=caseworker)

    case.refresh_from_db()
    assert (case.status, case.status_since) == (Status.IMPRISONED, JUN)


def test_a_later_dated_change_recorded_after_an_undated_one_follows_it(case, caseworker):
    case_change_status(case=case, status=Status.PRETRIAL_DETENTION, on=JAN, by=caseworker)
    case_change_status(case=case, status=Status.ON_TRIAL, on=None, by=caseworker)
    case_change_status(case=case, status=Status.IMPRISONED, on=JUN, by=caseworker)

    assert chain(case) == [
        (Status.UNKNOWN, Status.PRETRIAL_DETENTION, JAN),
        (Status.PRETRIAL_DETENTION, Status.ON_TRIAL, None),
        (Status.ON_TRIAL, Status.IMPRISONED, JUN),
    ]


def test_correcting_a_date_moves_the_event_and_the_current_status(case, caseworker):
    first = case_change_status(case=case, status=Status.PRETRIAL_DETENTION, on=JAN, by=caseworker)
    case_change_status(case=case, status=Status.HOUSE_ARREST, on=MAR, by=caseworker)

    case_event_correct(event=first, happened_on=JUN, by=caseworker)

    case.refresh_from_db()
    assert (case.status, case.status_since) == (Status.PRETRIAL_DETENTION, JUN)
    assert chain(case) == [
        (Status.UNKNOWN, Status.HOUSE_ARREST, MAR),
        (Status.HOUSE_ARREST, Status.PRETRIAL_DETENTION, JUN),
    ]
    first.refresh_from_db()
    assert first.history.first().history_user == caseworker
    assert first.history.last().happened_on == JAN  # what it said before is kept


def test_a_correction_never_turns_a_status_change_into_another_kind(case, caseworker):
    event = case_change_status(case=case, status=Status.IMPRISONED, on=JUN, by=caseworker)
    with pytest.raises(ValidationError):
        case_event_correct(event=event, kind=CaseEvent.Kind.HEARING, by=caseworker)


def test_removing_an_event_needs_a_reason_and_keeps_it_out_of_the_timeline(
    case, caseworker, coordinator
):
    case_change_status(case=case, status=Status.PRETRIAL_DETENTION, on=JAN, by=caseworker)
    wrong = case_change_status(case=case, status=Status.RELEASED, on=JUN, by=caseworker)

    with pytest.raises(ValidationError):
        case_event_remove(event=wrong, reason="  ", by=coordinator)
    case_event_remove(event=wrong, reason="Confused with his brother's case", by=coordinator)

    case.refresh_from_db()
    assert (case.status, case.status_since) == (Status.PRETRIAL_DETENTION, JAN)
    assert not case.events.filter(pk=wrong.pk).exists()
    kept = CaseEvent.all_objects.get(pk=wrong.pk)
    assert (kept.removed_by, kept.removal_reason) == (
        coordinator,
        "Confused with his brother's case",
    )
    assert kept.history.first().history_user == coordinator


def test_a_release_sets_the_release_date_and_a_correction_moves_it(caseworker):
    case = CaseFactory(status=Status.UNKNOWN, status_since=None, detained_on=JAN)
    release = case_change_status(
        case=case, status=Status.RELEASED, on=datetime.date(2025, 3, 1), by=caseworker
    )
    case.refresh_from_db()
    assert case.released_on == datetime.date(2025, 3, 1)

    case_event_correct(event=release, happened_on=datetime.date(2025, 3, 5), by=caseworker)
    case.refresh_from_db()
    assert case.released_on == datetime.date(2025, 3, 5)


def test_acquittal_after_release_keeps_the_day_the_release_began(case, caseworker):
    case_change_status(case=case, status=Status.RELEASED, on=MAR, by=caseworker)
    case_change_status(case=case, status=Status.ACQUITTED, on=JUN, by=caseworker)
    case.refresh_from_db()
    assert (case.status, case.status_since, case.released_on) == (Status.ACQUITTED, JUN, MAR)


def test_a_trial_after_detention_is_custody_and_after_investigation_is_not(case, caseworker):
    free = CaseFactory(status=Status.UNKNOWN, status_since=None)
    case_change_status(case=case, status=Status.PRETRIAL_DETENTION, on=JAN, by=caseworker)
    case_change_status(case=case, status=Status.ON_TRIAL, on=MAR, by=caseworker)
    case_change_status(case=free, status=Status.INVESTIGATION, on=JAN, by=caseworker)
    case_change_status(case=free, status=Status.ON_TRIAL, on=MAR, by=caseworker)

    case.refresh_from_db()
    free.refresh_from_db()
    assert (case.on_trial_in_custody, case.is_detained) == (True, True)
    assert (free.on_trial_in_custody, free.is_detained) == (False, False)
    detained = set(Case.objects.filter(liberty_deprived_condition()).values_list("pk", flat=True))
    assert detained == {case.pk}


def test_other_events_take_a_place_in_the_chain_without_changing_the_status(case, caseworker):
    case_change_status(case=case, status=Status.IMPRISONED, on=JUN, by=caseworker)
    hearing = case_event_add(
        case=case, kind=CaseEvent.Kind.HEARING, happened_on=None, description="Appeal heard"
    )
    case.refresh_from_db()
    assert case.status == Status.IMPRISONED
    assert case_timeline(case=case)[0] == hearing


def test_it_tells_each_cases_status_on_a_given_day_in_one_query(
    caseworker, django_assert_num_queries
):
    first = CaseFactory(status=Status.UNKNOWN, status_since=None, detained_on=None)
    second = CaseFactory(status=Status.UNKNOWN, status_since=None, detained_on=None)
    for case, status, on in (
        (first, Status.PRETRIAL_DETENTION, datetime.date(2020, 1, 1)),
        (first, Status.IMPRISONED, datetime.date(2021, 1, 1)),
        (first, Status.RELEASED, datetime.date(2022, 1, 1)),
        (second, Status.IN_EXILE, datetime.date(2021, 6, 1)),
    ):
        case_change_status(case=case, status=status, on=on, by=caseworker)
    with django_assert_num_queries(1):
        statuses = cases_status_on(case_ids=[first.pk, second.pk], on=datetime.date(2021, 2, 11))
    assert statuses == {first.pk: Status.IMPRISONED, second.pk: Status.UNKNOWN}


def test_an_undated_status_counts_on_a_day_only_once_it_was_recorded(case, caseworker):
    case_change_status(case=case, status=Status.IMPRISONED, on=JAN, by=caseworker)
    case_change_status(case=case, status=Status.RELEASED, on=None, by=caseworker)
    CaseEvent.objects.filter(status=Status.IMPRISONED).update(
        recorded_at=datetime.datetime(2024, 1, 11, tzinfo=datetime.UTC)
    )
    CaseEvent.objects.filter(status=Status.RELEASED).update(
        recorded_at=datetime.datetime(2024, 9, 1, tzinfo=datetime.UTC)
    )

    assert cases_status_on(case_ids=[case.pk], on=JUN) == {case.pk: Status.IMPRISONED}
    assert cases_status_on(case_ids=[case.pk], on=datetime.date(2024, 9, 2)) == {
        case.pk: Status.RELEASED
    }


# --- The bulk form ---------------------------------------------------------------------------


def _raw_status_event(case, status, on, recorded_at):
    """A status event as a bulk writer writes it: no previous status, case untouched."""
    return CaseEvent(
        case=case,
        kind=CaseEvent.Kind.STATUS,
        status=status,
        happened_on=on,
        recorded_at=recorded_at,
    )


def test_the_bulk_form_derives_what_bulk_writers_leave_out(caseworker):
    when = timezone.now()
    cases = [CaseFactory(status=Status.UNKNOWN, status_since=None) for _ in range(3)]
    CaseEvent.objects.bulk_create(
        [
            _raw_status_event(cases[0], Status.IMPRISONED, JUN, when),
            _raw_status_event(cases[0], Status.PRETRIAL_DETENTION, JAN, when),
            _raw_status_event(cases[1], Status.RELEASED, None, when),
        ]
    )

    changed = timelines_recompute(case_ids=[case.pk for case in cases], by=caseworker)

    assert changed == 2
    for case in cases:
        case.refresh_from_db()
    assert (cases[0].status, cases[0].status_since) == (Status.IMPRISONED, JUN)
    assert chain(cases[0]) == [
        (Status.UNKNOWN, Status.PRETRIAL_DETENTION, JAN),
        (Status.PRETRIAL_DETENTION, Status.IMPRISONED, JUN),
    ]
    assert (cases[1].status, cases[1].status_since) == (Status.RELEASED, None)
    assert cases[0].history.first().history_user == caseworker
    assert timelines_recompute(case_ids=[case.pk for case in cases]) == 0


def test_the_bulk_form_runs_a_fixed_number_of_queries_however_many_cases(
    caseworker, host, django_assert_max_num_queries
):
    when = timezone.now()
    # 30 cases as CaseFactory makes them, each with its person, in a few statements.
    cases = cases_bulk_create(
        people=people_bulk_create(count=30, organisation=host),
        organisation=host,
        status=Status.UNKNOWN,
        status_since=None,
    )
    CaseEvent.objects.bulk_create(
        [_raw_status_event(case, Status.IMPRISONED, JUN, when) for case in cases]
        + [_raw_status_event(case, Status.RELEASED, None, when) for case in cases]
    )
    with django_assert_max_num_queries(20):
        timelines_recompute(case_ids=[case.pk for case in cases], by=caseworker)
    assert set(Case.objects.values_list("status", flat=True)) == {Status.RELEASED}


def test_the_bulk_form_keeps_the_charges_in_the_history_it_writes(caseworker):
    from casework.history import case_change_history
    from tests.factories import ChargeFactory

    case = CaseFactory(status=Status.UNKNOWN, status_since=None)
    case.charges.set([ChargeFactory()])
    case.save()  # a history row with the charge, as a form would leave it
    CaseEvent.objects.bulk_create([_raw_status_event(case, Status.IMPRISONED, JUN, timezone.now())])

    timelines_recompute(case_ids=[case.pk], by=caseworker, reason="import")

    latest = case_change_history(case=case, show_sensitive=True)[0]
    assert latest.who == caseworker.username
    assert {change.label for change in latest.changes} == {"status", "status since"}
    assert case.history.first().history_change_reason == "import"
