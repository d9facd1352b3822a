"""Marking a task done, cancelling and reassigning it (/tasks/<id>/done/, cancel/,
reassign/), and what the case page then shows."""

from __future__ import annotations

import datetime as dt

from casework.followups import follow_up_create
from casework.models import FollowUp, Reminder, Role
from tests.factories import member


def test_it_marks_a_task_done_with_a_note(client_as_caseworker, task):
    response = client_as_caseworker.post(f"/tasks/{task.pk}/done/", {"note": "Visited."})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == FollowUp.State.DONE
    assert task.completion_note == "Visited."


def test_it_hides_another_caseworkers_task(host, client_as_caseworker, case, coordinator):
    other = member(organisation=host, role=Role.CASEWORKER, username="other")
    theirs = follow_up_create(
        case=case, title="Theirs", assignee=other, by=coordinator, due_on=dt.date(2030, 5, 20)
    )
    assert client_as_caseworker.post(f"/tasks/{theirs.pk}/done/").status_code == 404


def test_it_shows_what_was_done_on_the_case_page(client_as_caseworker, case, task):
    client_as_caseworker.post(f"/tasks/{task.pk}/done/", {"note": "Visited; he has lost 10 kg."})
    page = client_as_caseworker.get(f"/cases/{case.pk}/").text
    assert f'id="follow-up-{task.pk}"' in page
    assert "What was done:</span> Visited; he has lost 10 kg." in page


def test_it_shows_what_was_done_on_the_tasks_own_page(client_as_caseworker, task):
    client_as_caseworker.post(f"/tasks/{task.pk}/done/", {"note": "Visited."})
    page = client_as_caseworker.get(f"/tasks/{task.pk}/done/").text
    assert "<dt>What was done</dt><dd>Visited.</dd>" in page


def test_it_offers_to_mark_an_open_task_done_from_the_case_page(client_as_caseworker, case, task):
    page = client_as_caseworker.get(f"/cases/{case.pk}/").text
    assert f'href="/tasks/{task.pk}/done/"' in page


def test_it_cancels_a_task(client_as_coordinator, task):
    client_as_coordinator.post(f"/tasks/{task.pk}/cancel/", {"reason": "Released"})
    task.refresh_from_db()
    assert task.status == FollowUp.State.CANCELLED
    assert not Reminder.objects.filter(follow_up=task, state=Reminder.State.PENDING).exists()


def test_it_shows_why_a_task_was_cancelled_on_the_case_page(client_as_coordinator, case, task):
    client_as_coordinator.post(f"/tasks/{task.pk}/cancel/", {"reason": "He was released."})
    page = client_as_coordinator.get(f"/cases/{case.pk}/").text
    assert "Why cancelled:</span> He was released." in page


def test_it_reassigns_and_tells_the_new_assignee(host, client_as_coordinator, task):
    other = member(organisation=host, role=Role.CASEWORKER, username="other")
    response = client_as_coordinator.post(f"/tasks/{task.pk}/reassign/", {"assignee": other.pk})
    assert response.status_code == 302
    assert Reminder.objects.filter(
        follow_up=task, recipient=other, kind=Reminder.Kind.REASSIGNED
    ).exists()
