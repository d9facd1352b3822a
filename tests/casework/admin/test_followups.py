"""Tasks in the admin (casework/admin/followups.py): changed only through
casework.followups, which keeps their reminders in step."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from casework.followups import follow_up_create
from casework.models import (
    FollowUp,
    Reminder,
)
from tests.conftest import _signed_in
from tests.factories import CaseFactory
from tests.support.admin_forms import admin_change_page_post


@pytest.fixture
def open_task(coordinator, caseworker):
    case = CaseFactory(assigned_caseworker=caseworker)
    return follow_up_create(
        case=case,
        title="Call the lawyer",
        assignee=caseworker,
        by=coordinator,
        due_on=timezone.localdate() + datetime.timedelta(days=10),
    )


def test_it_moves_pending_reminders_when_the_admin_changes_a_due_date(
    client, host_admin, open_task
):
    pending = Reminder.objects.filter(
        follow_up=open_task, state=Reminder.State.PENDING, kind=Reminder.Kind.BEFORE_DUE
    )
    before = min(pending.values_list("due_at", flat=True))
    new_due = open_task.due_on + datetime.timedelta(days=20)
    _signed_in(client, host_admin)
    _data, response = admin_change_page_post(
        client, f"/admin/casework/followup/{open_task.pk}/change/", due_on=new_due
    )
    assert response.status_code == 302, response.text[:2000]
    open_task.refresh_from_db()
    assert open_task.due_on == new_due
    after = min(pending.values_list("due_at", flat=True))
    assert after - before == datetime.timedelta(days=20)


def test_it_does_not_change_a_tasks_assignee_or_status_from_the_admin_form(
    client, host_admin, open_task, coordinator
):
    _signed_in(client, host_admin)
    url = f"/admin/casework/followup/{open_task.pk}/change/"
    data, _response = admin_change_page_post(client, url)
    data.update({"status": FollowUp.State.DONE, "assignee": coordinator.pk})
    assert client.post(url, data).status_code == 302
    open_task.refresh_from_db()
    assert open_task.status == FollowUp.State.OPEN
    assert open_task.assignee_id != coordinator.pk
    assert client.get("/admin/casework/followup/add/").status_code == 403


def test_it_completes_a_task_from_the_admin_through_the_follow_up_actions(
    client, host_admin, open_task
):
    _signed_in(client, host_admin)
    response = client.post(
        "/admin/casework/followup/",
        {"action": "complete_selected", "_selected_action": [open_task.pk]},
    )
    assert response.status_code == 302
    open_task.refresh_from_db()
    assert open_task.status == FollowUp.State.DONE
    assert not Reminder.objects.filter(follow_up=open_task, state=Reminder.State.PENDING).exists()


def test_it_speaks_the_admins_language_in_the_task_and_reminder_lists(
    client, host_admin, open_task, monkeypatch
):
    from casework.models import Membership
    from tests.support.catalogues import every_marked_string_tagged

    # The actions, their messages and the reminders' delivery filter were English only.
    every_marked_string_tagged(monkeypatch, "ru", "[ru] ")
    Membership.objects.filter(user=host_admin).update(language="ru")
    _signed_in(client, host_admin)
    tasks = client.get("/admin/casework/followup/").text
    assert "[ru] Mark the selected tasks done" in tasks
    assert "[ru] Cancel the selected tasks" in tasks
    done = client.post(
        "/admin/casework/followup/",
        {"action": "complete_selected", "_selected_action": [open_task.pk]},
        follow=True,
    )
    assert "[ru] 1 task marked done." in done.text
    reminders = client.get("/admin/casework/reminder/").text
    for words in ("[ru] delivery", "[ru] Failed once, will retry", "[ru] Claimed, not sent yet"):
        assert words in reminders
    assert "[ru] Send the selected failed reminders again" in reminders
