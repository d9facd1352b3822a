"""What a reminder says: the digest's list, and an email that carries no case data."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core import mail

from casework.followups import follow_up_create
from casework.models import Notification, Reminder
from casework.reminders import reminders_dispatch_due, reminders_plan_digests, reminders_send
from tests.support.reminders import utc


def test_it_sends_a_digest_listing_open_and_overdue_tasks(case, caseworker, coordinator):
    with time_machine.travel(utc(2026, 10, 1, 12), tick=False):
        for due in (dt.date(2026, 10, 20), dt.date(2026, 11, 20)):
            follow_up_create(
                case=case, title=f"Task due {due}", assignee=caseworker, by=coordinator, due_on=due
            )
    with time_machine.travel(utc(2026, 10, 21, 12), tick=False):
        reminders_plan_digests()
    digest = Reminder.objects.get(kind=Reminder.Kind.DIGEST, recipient=caseworker)
    reminders_send(reminder_ids=[digest.pk], now=digest.due_at)
    notification = Notification.objects.get(reminder=digest)
    assert notification.title == "Your week: 2 open tasks, 1 overdue"
    assert "Task due 2026-10-20 (" in notification.body  # the title the test gave it
    assert "), due 20 Oct 2026 — overdue" in notification.body


def test_it_emails_a_neutral_line_and_a_link_and_keeps_the_details_in_the_app(
    case, caseworker, coordinator, settings
):
    settings.SITE_URL = "https://advocase.example.org"
    with time_machine.travel(utc(2026, 11, 1, 12), tick=False):
        follow_up = follow_up_create(
            case=case,
            title="Visit Almat in SIZO-1",
            assignee=caseworker,
            by=coordinator,
            due_on=dt.date(2026, 11, 30),
            note="His lawyer Ivanov has the new address.",
        )
    moment = utc(2026, 11, 27, 9, 0, 30)
    reminders_dispatch_due(now=moment)
    before_due = Reminder.objects.get(follow_up=follow_up, kind=Reminder.Kind.BEFORE_DUE)
    reminders_send(reminder_ids=[before_due.pk], now=moment)
    (email,) = mail.outbox
    assert email.subject == "[Advocase] You have a task due on 30 Nov 2026"
    assert f"https://advocase.example.org/tasks/#task-{follow_up.pk}" in email.body
    everything = email.subject + email.body + str(email.message())
    for secret in ("Almat", "SIZO", "Ivanov", case.reference, case.person.full_name):
        assert secret not in everything
    notification = Notification.objects.get(reminder=before_due)
    assert notification.title == "Due on 30 Nov 2026: Visit Almat in SIZO-1"
    assert "Due: 30 Nov 2026\n" in notification.body
    assert case.reference in notification.body
    assert "Ivanov" in notification.body
