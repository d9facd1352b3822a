"""Follow-up actions: who may do what, and what they do to the task."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from casework.followups import (
    follow_up_complete,
    follow_up_create,
    follow_up_reassign,
    follow_up_update,
    follow_ups_visible_to,
)
from casework.models import Confidentiality, FollowUp, Reminder, Role
from tests.factories import CaseFactory, member
from tests.support.catalogues import every_marked_string_tagged

DUE = dt.date(2030, 5, 20)


@pytest.fixture
def case(caseworker):
    return CaseFactory(assigned_caseworker=caseworker)


def test_it_refuses_a_caseworker_assigning_tasks_to_someone_else(case, caseworker, coordinator):
    with pytest.raises(PermissionDenied) as refusal:
        follow_up_create(case=case, title="Visit", assignee=coordinator, by=caseworker, due_on=DUE)
    assert "Only coordinators assign tasks to others" in str(refusal.value)
    assert not FollowUp.objects.exists()


def test_it_lets_a_caseworker_record_a_task_for_themselves_on_a_case_they_may_change(
    case, caseworker
):
    follow_up = follow_up_create(
        case=case, title="Visit", assignee=caseworker, by=caseworker, due_on=DUE
    )
    assert (follow_up.assignee, follow_up.assigned_by) == (caseworker, caseworker)


def test_it_refuses_a_caseworker_a_task_about_no_case(caseworker):
    with pytest.raises(PermissionDenied):
        follow_up_create(case=None, title="Visit", assignee=caseworker, by=caseworker, due_on=DUE)


def test_it_refuses_a_caseworker_a_task_on_a_case_they_may_only_see(
    host, caseworker, partner_organisation
):
    theirs = member(organisation=partner_organisation, role=Role.CASEWORKER, username="their-cw")
    hosts = CaseFactory(owning_organisation=host, confidentiality=Confidentiality.PUBLIC)
    with pytest.raises(PermissionDenied):
        follow_up_create(case=hosts, title="Visit", assignee=theirs, by=theirs, due_on=DUE)
    partners = CaseFactory(owning_organisation=partner_organisation)
    # The host's staff may change every record they see.
    assert follow_up_create(
        case=partners, title="Visit", assignee=caseworker, by=caseworker, due_on=DUE
    )


def test_it_refuses_a_partner_user_any_task(partner_user, partner_organisation):
    own = CaseFactory(owning_organisation=partner_organisation)
    with pytest.raises(PermissionDenied) as refusal:
        follow_up_create(
            case=own, title="Visit", assignee=partner_user, by=partner_user, due_on=DUE
        )
    assert "Partner users do not record tasks" in str(refusal.value)


def test_it_refuses_an_assignee_from_another_organisation(case, coordinator, partner_user):
    with pytest.raises(ValidationError) as error:
        follow_up_create(
            case=case, title="Visit", assignee=partner_user, by=coordinator, due_on=DUE
        )
    assert "member of your organisation" in str(error.value)
    assert not FollowUp.objects.exists()


def test_it_refuses_an_assignee_who_cannot_see_a_restricted_case(host, coordinator, caseworker):
    restricted = CaseFactory(confidentiality=Confidentiality.RESTRICTED)
    with pytest.raises(ValidationError) as error:
        follow_up_create(
            case=restricted, title="Visit", assignee=caseworker, by=coordinator, due_on=DUE
        )
    assert "cannot see case" in str(error.value)


def test_it_refuses_an_empty_title(case, coordinator, caseworker):
    with pytest.raises(ValidationError) as error:
        follow_up_create(case=case, title="  ", assignee=caseworker, by=coordinator, due_on=DUE)
    assert "title" in error.value.message_dict


def test_it_refuses_editing_a_field_that_is_not_editable(case, coordinator, caseworker):
    follow_up = follow_up_create(
        case=case, title="Visit", assignee=caseworker, by=coordinator, due_on=DUE
    )
    with pytest.raises(ValidationError):
        follow_up_update(follow_up=follow_up, by=coordinator, assignee=coordinator)


def test_it_refuses_reassigning_to_the_same_person(case, coordinator, caseworker):
    follow_up = follow_up_create(
        case=case, title="Visit", assignee=caseworker, by=coordinator, due_on=DUE
    )
    with pytest.raises(ValidationError):
        follow_up_reassign(follow_up=follow_up, assignee=caseworker, by=coordinator)


def test_it_refuses_reassigning_a_task_someone_completed_since_it_was_read(
    case, coordinator, caseworker, host
):
    other = member(organisation=host, role=Role.CASEWORKER, username="other")
    follow_up = follow_up_create(
        case=case, title="Visit", assignee=caseworker, by=coordinator, due_on=DUE
    )
    read_before = FollowUp.objects.get(pk=follow_up.pk)
    follow_up_complete(follow_up=follow_up, by=caseworker)

    with pytest.raises(ValidationError):
        follow_up_reassign(follow_up=read_before, assignee=other, by=coordinator)

    follow_up.refresh_from_db()
    assert follow_up.assignee == caseworker
    assert not Reminder.objects.filter(follow_up=follow_up, recipient=other).exists()


def test_it_shows_a_caseworker_only_their_own_tasks(host, case, coordinator, caseworker):
    other = member(organisation=host, role=Role.CASEWORKER, username="other")
    mine = follow_up_create(
        case=case, title="Mine", assignee=caseworker, by=coordinator, due_on=DUE
    )
    theirs = follow_up_create(case=case, title="Theirs", assignee=other, by=coordinator, due_on=DUE)
    assert list(follow_ups_visible_to(caseworker)) == [mine]
    assert set(follow_ups_visible_to(coordinator)) == {mine, theirs}


def test_it_does_not_tell_a_coordinator_who_assigns_a_task_to_themselves(case, coordinator):
    follow_up = follow_up_create(
        case=case, title="Brief an MEP", assignee=coordinator, by=coordinator, due_on=DUE
    )
    kinds = set(Reminder.objects.filter(follow_up=follow_up).values_list("kind", flat=True))
    assert Reminder.Kind.REASSIGNED not in kinds
    assert Reminder.Kind.ESCALATION not in kinds
    assert Reminder.Kind.DUE in kinds


def test_it_refuses_an_empty_title_or_an_invisible_case_in_the_readers_language(
    case, coordinator, caseworker, partner_organisation, monkeypatch
):
    every_marked_string_tagged(monkeypatch, "ru", "[ru] ")
    hidden = CaseFactory(
        owning_organisation=partner_organisation, confidentiality=Confidentiality.RESTRICTED
    )
    with translation.override("ru"):
        with pytest.raises(ValidationError) as untitled:
            follow_up_create(case=case, title="  ", assignee=caseworker, by=coordinator, due_on=DUE)
        with pytest.raises(ValidationError) as unseen:
            follow_up_create(
                case=hidden, title="Visit", assignee=caseworker, by=coordinator, due_on=DUE
            )
        assert untitled.value.message_dict["title"] == ["[ru] A task needs a title."]
        assert unseen.value.message_dict["case"] == ["[ru] Unknown case."]


def test_it_assigns_one_task_when_the_same_form_is_sent_twice(case, coordinator, caseworker):
    def send(title="Visit in the SIZO"):
        return follow_up_create(
            case=case,
            title=title,
            assignee=caseworker,
            by=coordinator,
            due_on=DUE,
        )

    first = send()
    assert send() == first  # a double click on "Assign task"
    assert FollowUp.objects.count() == 1
    assert Reminder.objects.filter(follow_up=first, kind=Reminder.Kind.REASSIGNED).count() == 1
    send(title="Call the lawyer")
    assert FollowUp.objects.count() == 2


def test_it_refuses_an_assignee_in_the_coordinators_language(
    monkeypatch, host, coordinator, caseworker, partner_user
):
    """A Russian- or Kazakh-speaking coordinator reads why an assignee is refused in their
    language, not in English."""
    every_marked_string_tagged(monkeypatch, "ru", "[ru] ")
    restricted = CaseFactory(confidentiality=Confidentiality.RESTRICTED)
    with translation.override("ru"):
        with pytest.raises(ValidationError) as hidden:
            follow_up_create(
                case=restricted, title="Visit", assignee=caseworker, by=coordinator, due_on=DUE
            )
        with pytest.raises(ValidationError) as outsider:
            follow_up_create(
                case=restricted, title="Visit", assignee=partner_user, by=coordinator, due_on=DUE
            )
    assert hidden.value.message_dict["assignee"][0].startswith("[ru] ")
    assert restricted.reference in hidden.value.message_dict["assignee"][0]
    assert outsider.value.message_dict["assignee"][0].startswith("[ru] ")
