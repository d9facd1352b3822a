"""After a resolution: one task per named case still detained, and only once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from advocacy.followups import document_create_follow_ups, document_plan_follow_ups
from advocacy.models import Mention
from casework.models import Confidentiality, FollowUp, Reminder, Status
from tests.factories import CaseFactory, DocumentFactory, MentionFactory


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
    assert follow_up.due_on == timezone.localdate() + dt.timedelta(days=90)
    assert not FollowUp.objects.filter(case=_hidden).exists()
    assert Reminder.objects.filter(follow_up=follow_up, kind=Reminder.Kind.DUE).exists()


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
