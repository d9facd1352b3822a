import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from casework.archive import case_archive, case_restore
from casework.conflicts import status_conflict_dismiss, status_conflicts_recompute
from casework.models import (
    CaseEvent,
    Confidentiality,
    Membership,
    Notification,
    Role,
    Status,
    StatusConflict,
)
from casework.status import case_change_status, status_conflict_record
from tests.factories import CaseFactory, PersonFactory, member

OLD = datetime.date(2016, 3, 30)
NEW = datetime.date(2024, 5, 2)


@pytest.fixture
def kozlov(db):
    return PersonFactory(full_name="Vladimir Kozlov")


def case_of(person, organisation, *, confidentiality=Confidentiality.INTERNAL, reference=""):
    extra = {"reference": reference} if reference else {}
    return CaseFactory(
        person=person,
        owning_organisation=organisation,
        confidentiality=confidentiality,
        status=Status.UNKNOWN,
        status_since=None,
        detained_on=None,
        **extra,
    )


@pytest.fixture
def host_case(kozlov, host, caseworker):
    case = case_of(kozlov, host, reference="SEED-KOZLOV")
    case_change_status(
        case=case, status=Status.IMPRISONED, on=OLD, source="EP resolution", by=caseworker
    )
    return case


@pytest.fixture
def partner_coordinator(partner_organisation):
    return member(organisation=partner_organisation, role=Role.COORDINATOR, username="kibhr-coord")


def test_two_organisations_disagreeing_open_one_conflict(
    host_case, kozlov, partner_organisation, partner_user
):
    partner_case = case_of(kozlov, partner_organisation)
    case_change_status(
        case=partner_case, status=Status.RELEASED, on=NEW, source="Lawyer", by=partner_user
    )

    conflict = StatusConflict.objects.get()
    assert (conflict.first_case, conflict.second_case) == (host_case, partner_case)
    assert (conflict.first_status, conflict.first_since) == (Status.IMPRISONED, OLD)
    assert (conflict.second_status, conflict.second_since) == (Status.RELEASED, NEW)
    assert conflict.is_open
    # Recomputing again changes nothing.
    assert status_conflicts_recompute(person_ids=[kozlov.pk]) == []
    assert StatusConflict.objects.count() == 1


def test_one_organisations_own_episodes_never_conflict(host_case, kozlov, host, caseworker):
    second = case_of(kozlov, host)
    case_change_status(case=second, status=Status.RELEASED, on=NEW, by=caseworker)
    assert not StatusConflict.objects.exists()


def test_an_unknown_status_is_no_claim_and_makes_no_conflict(
    host_case, kozlov, partner_organisation
):
    case_of(kozlov, partner_organisation)
    status_conflicts_recompute(person_ids=[kozlov.pk])
    assert not StatusConflict.objects.exists()


def test_the_older_organisations_coordinators_are_told_what_the_other_reports(
    host_case, kozlov, partner_organisation, partner_user, coordinator, caseworker, admin_user
):
    partner_case = case_of(kozlov, partner_organisation, reference="KIBHR-1-000001")
    case_change_status(
        case=partner_case, status=Status.RELEASED, on=NEW, source="His lawyer", by=partner_user
    )

    told = Notification.objects.filter(user=coordinator).get()
    assert told.case == host_case
    assert told.url == host_case.get_absolute_url()
    assert told.title == "Status conflict: Vladimir Kozlov"
    assert "Bostandyq Partner reports “Released” since 2 May 2024" in told.body
    assert "KIBHR-1-000001" in told.body
    assert "Your case SEED-KOZLOV says “Imprisoned” since 30 Mar 2016" in told.body
    assert "Their source: His lawyer" in told.body
    assert Notification.objects.filter(user=admin_user).count() == 1
    # Caseworkers are not told, nor the newer side's organisation.
    assert not Notification.objects.filter(user__in=[caseworker, partner_user]).exists()


def test_it_tells_each_coordinator_in_the_language_of_their_account(
    host_case, kozlov, partner_organisation, partner_user, coordinator, admin_user
):
    Membership.objects.filter(user=coordinator).update(language="kk")
    Membership.objects.filter(user=admin_user).update(language="ru")
    partner_case = case_of(kozlov, partner_organisation)
    with translation.override("en"):  # the writer reads English
        case_change_status(case=partner_case, status=Status.RELEASED, on=NEW, by=partner_user)

    assert Notification.objects.get(user=coordinator).title.startswith("Мәртебе сәйкессіздігі:")
    assert Notification.objects.get(user=admin_user).title.startswith("Расхождение статусов:")


def test_a_coordinator_who_may_not_see_the_other_case_is_told_only_that_it_exists(
    kozlov, host, partner_organisation, partner_coordinator, caseworker
):
    host_internal = case_of(kozlov, host, reference="HOST-SECRET-1")
    case_change_status(
        case=host_internal, status=Status.RELEASED, on=NEW, source="Informant", by=caseworker
    )
    partner_case = case_of(kozlov, partner_organisation)
    case_change_status(case=partner_case, status=Status.IMPRISONED, on=OLD, by=partner_coordinator)

    told = Notification.objects.get(user=partner_coordinator)
    assert told.case == partner_case
    assert "Another organisation reports a different status for Vladimir Kozlov" in told.body
    for secret in ("HOST-SECRET-1", "Released", "2 May 2024", "Informant", host.name):
        assert secret not in told.body + told.title


def test_nobody_is_told_about_a_restricted_case_they_may_not_see(
    kozlov, host, partner_organisation, partner_coordinator, coordinator
):
    restricted = case_of(kozlov, host, confidentiality=Confidentiality.RESTRICTED)
    case_change_status(case=restricted, status=Status.RELEASED, on=NEW, by=coordinator)
    partner_case = case_of(kozlov, partner_organisation)
    case_change_status(case=partner_case, status=Status.IMPRISONED, on=OLD, by=partner_coordinator)

    assert StatusConflict.objects.filter(closed_at__isnull=True).count() == 1
    assert not Notification.objects.filter(user=partner_coordinator).exists()


def test_an_undated_report_tells_both_organisations(
    host_case, kozlov, partner_organisation, partner_coordinator, coordinator
):
    partner_case = case_of(kozlov, partner_organisation)
    case_change_status(case=partner_case, status=Status.RELEASED, on=None, by=partner_coordinator)

    assert Notification.objects.filter(user=coordinator, case=host_case).exists()
    told = Notification.objects.get(user=partner_coordinator)
    assert told.case == partner_case


def test_a_conflict_closes_when_the_cases_agree_again(
    host_case, kozlov, partner_organisation, partner_user, caseworker
):
    partner_case = case_of(kozlov, partner_organisation)
    case_change_status(case=partner_case, status=Status.RELEASED, on=NEW, by=partner_user)
    case_change_status(case=host_case, status=Status.RELEASED, on=NEW, by=caseworker)

    conflict = StatusConflict.objects.get()
    assert (conflict.outcome, conflict.closed_by) == (StatusConflict.Outcome.AGREED, caseworker)


def test_archiving_a_case_closes_its_conflicts_and_restoring_reopens_them(
    host_case, kozlov, partner_organisation, partner_user, coordinator
):
    partner_case = case_of(kozlov, partner_organisation)
    case_change_status(case=partner_case, status=Status.RELEASED, on=NEW, by=partner_user)

    case_archive(case=partner_case, by=coordinator)
    assert StatusConflict.objects.get().outcome == StatusConflict.Outcome.CLOSED
    case_restore(case=partner_case, by=coordinator)
    assert StatusConflict.objects.filter(closed_at__isnull=True).count() == 1


def test_a_dismissal_needs_a_reason_and_holds_until_a_case_says_something_new(
    host_case, kozlov, partner_organisation, partner_user, coordinator, caseworker
):
    partner_case = case_of(kozlov, partner_organisation)
    case_change_status(case=partner_case, status=Status.RELEASED, on=NEW, by=partner_user)
    conflict = StatusConflict.objects.get()

    with pytest.raises(ValidationError):
        status_conflict_dismiss(conflict=conflict, reason=" ", by=coordinator)
    status_conflict_dismiss(
        conflict=conflict, reason="The partner confused two people", by=coordinator
    )
    conflict.refresh_from_db()
    assert (conflict.outcome, conflict.reason, conflict.closed_by) == (
        StatusConflict.Outcome.DISMISSED,
        "The partner confused two people",
        coordinator,
    )
    assert conflict.history.first().history_user == coordinator

    status_conflicts_recompute(person_ids=[kozlov.pk])
    assert not StatusConflict.objects.filter(closed_at__isnull=True).exists()

    # A new report from the partner is a new disagreement.
    case_change_status(case=partner_case, status=Status.IN_EXILE, on=NEW, by=partner_user)
    assert StatusConflict.objects.filter(closed_at__isnull=True).count() == 1


def test_recording_the_other_status_cites_the_other_case_and_closes_the_conflict(
    host_case, kozlov, partner_organisation, partner_user, coordinator
):
    partner_case = case_of(kozlov, partner_organisation, reference="KIBHR-1-000001")
    case_change_status(
        case=partner_case, status=Status.RELEASED, on=NEW, source="His lawyer", by=partner_user
    )
    conflict = StatusConflict.objects.get()

    event = status_conflict_record(conflict=conflict, case=host_case, by=coordinator)

    host_case.refresh_from_db()
    assert (host_case.status, host_case.status_since) == (Status.RELEASED, NEW)
    assert (event.previous_status, event.created_by) == (Status.IMPRISONED, coordinator)
    assert "Reported by Bostandyq Partner in case KIBHR-1-000001." in event.source
    assert "His lawyer" in event.source
    conflict.refresh_from_db()
    assert (conflict.outcome, conflict.closed_by) == (StatusConflict.Outcome.RECORDED, coordinator)
    assert not StatusConflict.objects.filter(closed_at__isnull=True).exists()


def test_recording_an_undated_status_keeps_its_date_unknown(
    host_case, kozlov, partner_organisation, partner_user, coordinator
):
    partner_case = case_of(kozlov, partner_organisation)
    case_change_status(case=partner_case, status=Status.RELEASED, on=None, by=partner_user)

    status_conflict_record(conflict=StatusConflict.objects.get(), case=host_case, by=coordinator)

    host_case.refresh_from_db()
    assert (host_case.status, host_case.status_since) == (Status.RELEASED, None)
    assert host_case.events.filter(kind=CaseEvent.Kind.STATUS, happened_on=None).exists()
    assert not StatusConflict.objects.filter(closed_at__isnull=True).exists()
