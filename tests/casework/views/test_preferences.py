"""Reminder preferences (/tasks/preferences/)."""

from __future__ import annotations

import datetime as dt

from casework.models import Membership, Reminder


def test_it_switches_emails_off_and_changes_the_timezone(client_as_caseworker, caseworker, task):
    response = client_as_caseworker.post(
        "/tasks/preferences/", {"timezone": "Asia/Almaty", "email_notifications": ""}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=caseworker)
    assert membership.timezone == "Asia/Almaty"
    assert membership.email_notifications is False
    due = Reminder.objects.get(follow_up=task, kind=Reminder.Kind.DUE, state=Reminder.State.PENDING)
    assert due.due_at == dt.datetime(2030, 5, 20, 4, tzinfo=dt.UTC)


def test_it_tells_the_reminder_hours_the_settings_say(client_as_caseworker, settings):
    settings.REMINDER_HOUR_LOCAL = 7
    settings.REMINDER_DIGEST_WEEKDAY = 4
    settings.REMINDER_DIGEST_HOUR_LOCAL = 17
    page = client_as_caseworker.get("/tasks/preferences/")
    assert "Reminders arrive at 07:00 and the weekly digest on Friday at 17:00" in page.text
    assert "09:00" not in page.text
