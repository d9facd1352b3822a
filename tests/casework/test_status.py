import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from casework.models import CaseEvent, Status
from casework.status import case_change_status, cases_status_on
from tests.factories import CaseFactory


def test_it_records_every_status_change_on_the_timeline(caseworker):
    case = CaseFactory(status=Status.PRETRIAL_DETENTION, status_since=datetime.date(2024, 1, 10))
    event = case_change_status(
        case=case, status=Status.IMPRISONED, on=datetime.date(2024, 6, 3),
        source="Verdict of the Almaty court", note="7 years", by=caseworker,
    )  # fmt: skip
    case.refresh_from_db()
    assert (case.status, case.status_since) == (Status.IMPRISONED, datetime.date(2024, 6, 3))
    assert (event.kind, event.previous_status, event.created_by) == (
        CaseEvent.Kind.STATUS,
        Status.PRETRIAL_DETENTION,
        caseworker,
    )
    assert case.history.first().history_user == caseworker


def test_it_refuses_a_status_change_in_the_future(caseworker):
    case = CaseFactory()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        case_change_status(case=case, status=Status.RELEASED, on=tomorrow, by=caseworker)
    assert "on" in error.value.message_dict
    assert not CaseEvent.objects.exists()


def test_a_backdated_change_fills_the_timeline_without_rewriting_today(caseworker):
    case = CaseFactory(status=Status.IMPRISONED, status_since=datetime.date(2024, 6, 3))
    case_change_status(
        case=case, status=Status.PRETRIAL_DETENTION, on=datetime.date(2024, 1, 10), by=caseworker
    )
    case.refresh_from_db()
    assert case.status == Status.IMPRISONED
    assert case.events.filter(kind=CaseEvent.Kind.STATUS).count() == 1


def test_a_release_sets_the_release_date(caseworker):
    case = CaseFactory(
        detained_on=datetime.date(2024, 1, 10), status_since=datetime.date(2024, 1, 10)
    )
    case_change_status(
        case=case, status=Status.RELEASED, on=datetime.date(2025, 3, 1), by=caseworker
    )
    case.refresh_from_db()
    assert case.released_on == datetime.date(2025, 3, 1)


def test_it_tells_each_cases_status_on_a_given_day_in_one_query(
    caseworker, django_assert_num_queries
):
    first, second = CaseFactory(), CaseFactory()
    for case, status, on in (
        (first, Status.PRETRIAL_DETENTION, datetime.date(2020, 1, 1)),
        (first, Status.IMPRISONED, datetime.date(2021, 1, 1)),
        (first, Status.RELEASED, datetime.date(2022, 1, 1)),
        (second, Status.IN_EXILE, datetime.date(2021, 6, 1)),
    ):
        CaseEvent.objects.create(
            case=case, kind=CaseEvent.Kind.STATUS, status=status, happened_on=on
        )
    with django_assert_num_queries(1):
        statuses = cases_status_on(case_ids=[first.pk, second.pk], on=datetime.date(2021, 2, 11))
    assert statuses == {first.pk: Status.IMPRISONED, second.pk: Status.UNKNOWN}
