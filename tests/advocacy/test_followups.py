"""After a resolution: one task per named case still detained, and only once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from advocacy.followups import document_create_follow_ups, document_plan_follow_ups
from advocacy.models import Mention
from casework.models import Confidentiality, FollowUp, Reminder, Role, Status
from tests.factories import CaseFactory, DocumentFactory, MentionFactory, PersonFactory, member


@pytest.fixture
def resolution(caseworker, partner_organisation, partner_user):
    document = DocumentFactory(title="Resolution on Kazakhstan")
    detained = CaseFactory(assigned_caseworker=caseworker, status=Status.IMPRISONED)
    released = CaseFactory(assigned_caseworker=caseworker, status=Status.RELEASED)
    proposed = CaseFactory(assigned_caseworker=caseworker, status=Status.IMPRISONED)
    orphan = CaseFactory(status=Status.PRETRIAL_DETENTION, reference="KZ-NO-CASEWORKER")
    # Restricted to the partner's case team: the host coordinator must not even learn of it.
    hidden = CaseFactory(
        assigned_caseworker=partner_user,
        status=Status.IMPRISONED,
        confidentiality=Confidentiality.RESTRICTED,
        owning_organisation=partner_organisation,
    )
    for case in (detained, released, orphan, hidden):
        MentionFactory(document=document, case=case)
    MentionFactory(document=document, case=proposed, state=Mention.State.PROPOSED)
    return document, detained, hidden


def test_it_creates_one_task_per_named_case_still_detained(resolution, coordinator, caseworker):
    document, detained, _hidden = resolution
    assert document_create_follow_ups(document=document, by=coordinator) == 1
    follow_up = FollowUp.objects.get()
    assert follow_up.case == detained
    assert follow_up.assignee == caseworker
    assert follow_up.assigned_by == coordinator
    assert follow_up.origin == f"document:{document.pk}"
    assert follow_up.due_on == timezone.localdate() + dt.timedelta(days=14)
    assert not FollowUp.objects.filter(case=_hidden).exists()
    assert Reminder.objects.filter(follow_up=follow_up, kind=Reminder.Kind.DUE).exists()


@pytest.mark.django_db
def test_it_titles_a_task_with_the_date_it_is_due_by(resolution, coordinator, time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 6, 12, tzinfo=dt.UTC))
    document, _detained, _hidden = resolution
    document_create_follow_ups(document=document, by=coordinator)
    follow_up = FollowUp.objects.get()
    assert follow_up.due_on == dt.date(2026, 12, 20)
    assert follow_up.title == "Check status by 20 Dec 2026 — “Resolution on Kazakhstan”"


def test_it_creates_nothing_new_when_clicked_twice(resolution, coordinator):
    document, _detained, _hidden = resolution
    document_create_follow_ups(document=document, by=coordinator)
    second = document_plan_follow_ups(document=document, by=coordinator, due_in_days=30)
    assert second.created == 0
    assert second.already_there == 1
    assert FollowUp.objects.count() == 1


def test_it_tells_each_assignee_once_that_the_new_task_is_theirs(
    resolution, coordinator, caseworker
):
    document, _detained, _hidden = resolution
    document_create_follow_ups(document=document, by=coordinator)
    document_create_follow_ups(document=document, by=coordinator)
    notices = Reminder.objects.filter(kind=Reminder.Kind.REASSIGNED)
    assert list(notices.values_list("recipient", "state")) == [
        (caseworker.pk, Reminder.State.PENDING)
    ]
    assert notices.get().due_at <= timezone.now()


def test_it_names_the_cases_without_a_caseworker(resolution, coordinator):
    document, _detained, _hidden = resolution
    result = document_plan_follow_ups(document=document, by=coordinator)
    assert result.without_caseworker == ["KZ-NO-CASEWORKER"]


def test_it_refuses_a_caseworker(resolution, caseworker):
    document, _detained, _hidden = resolution
    with pytest.raises(PermissionDenied):
        document_create_follow_ups(document=document, by=caseworker)


def test_it_applies_the_same_assignee_checks_as_a_task_assigned_by_hand(
    resolution, coordinator, caseworker, partner_organisation, partner_user
):
    document, detained, _hidden = resolution
    # An internal case of the partner: the host coordinator sees it, but its caseworker
    # is the partner's, whom a host coordinator may not give tasks to.
    partners_case = CaseFactory(
        assigned_caseworker=partner_user,
        status=Status.IMPRISONED,
        owning_organisation=partner_organisation,
        reference="KZ-PARTNERS-CASE",
    )
    MentionFactory(document=document, case=partners_case)
    # And a host case whose caseworker has left (deactivated).
    gone = member(organisation=coordinator.membership.organisation, role=Role.CASEWORKER)
    gone.is_active = False
    gone.save()
    left_behind = CaseFactory(
        assigned_caseworker=gone, status=Status.IMPRISONED, reference="KZ-CASEWORKER-LEFT"
    )
    MentionFactory(document=document, case=left_behind)
    result = document_plan_follow_ups(document=document, by=coordinator)
    assert result.created == 1
    assert list(FollowUp.objects.values_list("case", flat=True)) == [detained.pk]
    assert result.not_assignable == [
        "KZ-CASEWORKER-LEFT: Assign the task to a member of your organisation.",
        "KZ-PARTNERS-CASE: Assign the task to a member of your organisation.",
    ]


def test_it_checks_every_assignee_in_a_fixed_number_of_queries(
    resolution, coordinator, caseworker, django_assert_max_num_queries
):
    document, _detained, _hidden = resolution
    for _number in range(10):
        MentionFactory(
            document=document,
            case=CaseFactory(assigned_caseworker=caseworker, status=Status.IMPRISONED),
        )
    with django_assert_max_num_queries(14):
        result = document_plan_follow_ups(document=document, by=coordinator)
    assert result.created == 11


def test_the_document_page_button_says_which_cases_got_no_task_and_why(
    client_as_coordinator, coordinator, partner_organisation, partner_user
):
    document = DocumentFactory(title="Resolution on Kazakhstan")
    partners_case = CaseFactory(
        assigned_caseworker=partner_user,
        status=Status.IMPRISONED,
        owning_organisation=partner_organisation,
        reference="KZ-PARTNERS-CASE",
    )
    MentionFactory(document=document, case=partners_case)
    response = client_as_coordinator.post(
        reverse("document_create_follow_ups", args=[document.pk]),
        {"due_in_days": "30"},
        follow=True,
    )
    assert response.status_code == 200
    assert "0 follow-up tasks created, due in 30 days." in response.text
    assert "No task for this case, whose caseworker you cannot assign" in response.text
    assert "whose caseworker you cannot assign: KZ-PARTNERS-CASE" in response.text
    assert not FollowUp.objects.exists()


def test_the_document_page_button_gives_404_for_an_archived_document(client_as_coordinator):
    document = DocumentFactory(archived_at=timezone.now())
    response = client_as_coordinator.post(
        reverse("document_create_follow_ups", args=[document.pk]), {"due_in_days": "30"}
    )
    assert response.status_code == 404


@pytest.fixture
def kozlov_named_twice(caseworker, partner_organisation):
    """One person with a host case and a partner's case of the same imprisonment, both
    confirmed as named by the document and both visible to the host coordinator."""
    document = DocumentFactory(title="Resolution on Kazakhstan")
    kozlov = PersonFactory(full_name="Vladimir Kozlov")
    own = CaseFactory(
        person=kozlov,
        reference="SEED-KOZLOV",
        assigned_caseworker=caseworker,
        status=Status.IMPRISONED,
        detained_on=None,
    )
    partners = CaseFactory(
        person=kozlov,
        reference="KIBHR-5-000009",
        owning_organisation=partner_organisation,
        status=Status.IMPRISONED,
    )
    for case in (own, partners):
        MentionFactory(document=document, case=case)
    return document, own, partners


def test_it_creates_one_task_for_a_person_named_through_two_cases(
    kozlov_named_twice, coordinator, caseworker
):
    document, own, _partners = kozlov_named_twice
    result = document_plan_follow_ups(document=document, by=coordinator)
    assert (result.created, result.without_caseworker, result.not_assignable) == (1, [], [])
    assert list(FollowUp.objects.values_list("case", "assignee")) == [(own.pk, caseworker.pk)]
    again = document_plan_follow_ups(document=document, by=coordinator)
    assert (again.created, again.already_there) == (0, 1)


def test_it_names_every_case_of_a_person_none_of_whose_cases_can_get_the_task(
    kozlov_named_twice, coordinator
):
    document, own, _partners = kozlov_named_twice
    own.assigned_caseworker = None
    own.save()
    result = document_plan_follow_ups(document=document, by=coordinator)
    assert result.created == 0
    assert result.without_caseworker == ["KIBHR-5-000009", "SEED-KOZLOV"]
