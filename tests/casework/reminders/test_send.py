"""Sending a batch: in-app only, a bounded number of queries, and what visibility withholds."""

from __future__ import annotations

import datetime as dt
import math

import time_machine
from django.core import mail

from casework.followups import follow_up_create
from casework.models import Case, Confidentiality, Membership, Notification, Reminder, Role
from casework.reminders import reminders_dispatch_due, reminders_plan_digests, reminders_send
from casework.reminders.send import EMAILS_PER_MARK
from tests.factories import CaseFactory, member
from tests.support.reminders import utc


def test_it_sends_in_app_only_when_email_is_switched_off(case, caseworker, coordinator):
    Membership.objects.filter(user=caseworker).update(email_notifications=False)
    with time_machine.travel(utc(2026, 10, 1, 12), tick=False):
        follow_up_create(
            case=case,
            title="Visit",
            assignee=caseworker,
            by=coordinator,
            due_on=dt.date(2026, 10, 27),
        )
    moment = utc(2026, 10, 27, 10)
    reminders_dispatch_due(now=moment)
    ids = list(Reminder.objects.filter(state="queued").values_list("pk", flat=True))
    assert reminders_send(reminder_ids=ids, now=moment) == 3
    assert mail.outbox == []
    assert Notification.objects.filter(user=caseworker).count() == 3


def test_it_sends_a_batch_about_several_tasks_in_a_bounded_number_of_queries(
    case, host, caseworker, coordinator, django_assert_max_num_queries
):
    quiet = member(organisation=host, role=Role.CASEWORKER, username="quiet")
    Membership.objects.filter(user=quiet).update(email_notifications=False)
    with time_machine.travel(utc(2026, 10, 1, 12), tick=False):
        tasks = [
            follow_up_create(
                case=case,
                title=f"Visit {number}",
                assignee=assignee,
                by=coordinator,
                due_on=dt.date(2026, 10, 20 + number),
            )
            for number, assignee in enumerate([caseworker, caseworker, quiet])
        ]
    moment = utc(2026, 12, 31)
    reminders_dispatch_due(now=moment)
    queued = list(Reminder.objects.filter(state="queued").values_list("pk", flat=True))
    emailed = Reminder.objects.filter(pk__in=queued).exclude(recipient=quiet).count()
    assert emailed > 10
    # Claim, load, notify, mark the in-app ones: a fixed number; then one mark per group of
    # emails.
    with django_assert_max_num_queries(10 + math.ceil(emailed / EMAILS_PER_MARK)):
        assert reminders_send(reminder_ids=queued, now=moment) == len(queued)
    assert len(mail.outbox) == emailed
    assert {message.to[0] for message in mail.outbox} == {caseworker.email, coordinator.email}
    for task in tasks:
        overdue = Notification.objects.filter(
            reminder__follow_up=task, reminder__kind=Reminder.Kind.OVERDUE
        )
        due = f"{task.due_on.day} {task.due_on:%b %Y}"
        assert {n.title for n in overdue} == {f"Overdue since {due}: {task.title}"}
    assert (
        Notification.objects.filter(user=quiet).count()
        == Reminder.objects.filter(recipient=quiet, state="sent").count()
        > 0
    )
    assert len({message.extra_headers["Message-ID"] for message in mail.outbox}) == emailed


def test_it_cancels_a_reminder_whose_recipient_can_no_longer_see_the_case(
    case, caseworker, coordinator
):
    with time_machine.travel(utc(2026, 10, 1, 12), tick=False):
        follow_up = follow_up_create(
            case=case,
            title="Visit",
            assignee=caseworker,
            by=coordinator,
            due_on=dt.date(2026, 10, 27),
        )
    # The case is now restricted to its team, and the caseworker is no longer on it.
    Case.objects.filter(pk=case.pk).update(
        confidentiality=Confidentiality.RESTRICTED, assigned_caseworker=None
    )
    moment = utc(2026, 10, 31, 12)
    reminders_dispatch_due(now=moment)
    ids = list(Reminder.objects.filter(state="queued").values_list("pk", flat=True))
    assert reminders_send(reminder_ids=ids, now=moment) == 1  # the coordinator's escalation
    withheld = Reminder.objects.filter(follow_up=follow_up, recipient=caseworker, pk__in=ids)
    assert withheld.count() > 1
    assert {(row.state, row.last_error) for row in withheld} == {
        (Reminder.State.CANCELLED, "The recipient can no longer see this case.")
    }
    assert not Notification.objects.filter(user=caseworker).exists()
    assert [message.to for message in mail.outbox] == [[coordinator.email]]


def test_it_lists_in_the_digest_only_tasks_on_cases_the_recipient_can_see(
    case, caseworker, coordinator
):
    hidden_later = CaseFactory(assigned_caseworker=caseworker, reference="KZ-HIDDEN-LATER")
    with time_machine.travel(utc(2026, 10, 1, 12), tick=False):
        follow_up_create(
            case=case,
            title="Visible task",
            assignee=caseworker,
            by=coordinator,
            due_on=dt.date(2026, 11, 20),
        )
        follow_up_create(
            case=hidden_later,
            title="Hidden task",
            assignee=caseworker,
            by=coordinator,
            due_on=dt.date(2026, 11, 20),
        )
    Case.objects.filter(pk=hidden_later.pk).update(
        confidentiality=Confidentiality.RESTRICTED, assigned_caseworker=None
    )
    with time_machine.travel(utc(2026, 10, 21, 12), tick=False):
        reminders_plan_digests()
    digest = Reminder.objects.get(kind=Reminder.Kind.DIGEST, recipient=caseworker)
    reminders_send(reminder_ids=[digest.pk], now=digest.due_at)
    notification = Notification.objects.get(reminder=digest)
    assert notification.title == "Your week: 1 open task, 0 overdue"
    assert "Visible task" in notification.body
    assert "Hidden task" not in notification.body
    assert "KZ-HIDDEN-LATER" not in notification.body
