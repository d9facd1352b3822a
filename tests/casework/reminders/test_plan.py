"""The reminder plan with frozen time: which reminders a follow-up gets, in whose timezone,
and how edits, completion, reassignment and the settings move them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import override_settings

from casework.followups import (
    follow_up_cancel,
    follow_up_complete,
    follow_up_create,
    follow_up_reassign,
    follow_up_update,
)
from casework.models import FollowUp, Notification, Reminder, Role
from casework.reminders import (
    next_digest_moment,
    reminders_dispatch_due,
    reminders_plan_digests,
    reminders_plan_for,
    reminders_send,
)
from tests.factories import member
from tests.support.reminders import pending, set_timezone, utc

BRUSSELS = ZoneInfo("Europe/Brussels")
ALMATY = ZoneInfo("Asia/Almaty")


@time_machine.travel(utc(2026, 10, 1, 12), tick=False)
def test_it_plans_before_due_on_due_overdue_and_escalation_at_nine_in_brussels(
    case, caseworker, coordinator
):
    set_timezone(caseworker, "Europe/Brussels")
    set_timezone(coordinator, "Europe/Brussels")
    # Due Tuesday 27 October 2026; Brussels leaves summer time on Sunday 25 October.
    follow_up = follow_up_create(
        case=case,
        title="Visit in SIZO",
        assignee=caseworker,
        by=coordinator,
        due_on=dt.date(2026, 10, 27),
    )
    rows = pending(follow_up)
    planned = [row for row in rows if row[0] != Reminder.Kind.REASSIGNED]
    assert (Reminder.Kind.BEFORE_DUE, "caseworker", utc(2026, 10, 24, 7)) in planned  # 09:00 CEST
    assert (Reminder.Kind.DUE, "caseworker", utc(2026, 10, 27, 8)) in planned  # 09:00 CET
    overdue = [row[2] for row in planned if row[0] == Reminder.Kind.OVERDUE]
    assert overdue == [utc(2026, 10, 27 + day, 8) for day in range(1, 5)] + [
        utc(2026, 11, day, 8) for day in range(1, 4)
    ]
    assert (Reminder.Kind.ESCALATION, "coordinator", utc(2026, 10, 30, 8)) in planned
    assert all(row[2].astimezone(BRUSSELS).hour == 9 for row in planned)
    assert len(planned) == 1 + 1 + 7 + 1


@time_machine.travel(utc(2026, 3, 1, 12), tick=False)
def test_it_keeps_nine_oclock_across_the_spring_change_in_brussels(case, caseworker, coordinator):
    set_timezone(caseworker, "Europe/Brussels")
    # Brussels moves to summer time on Sunday 29 March 2026.
    follow_up = follow_up_create(
        case=case,
        title="Call the lawyer",
        assignee=caseworker,
        by=coordinator,
        due_on=dt.date(2026, 3, 30),
    )
    by_kind = {row[0]: row[2] for row in pending(follow_up)}
    assert by_kind[Reminder.Kind.BEFORE_DUE] == utc(2026, 3, 27, 8)  # CET, UTC+1
    assert by_kind[Reminder.Kind.DUE] == utc(2026, 3, 30, 7)  # CEST, UTC+2


def test_it_sends_at_nine_in_each_recipients_own_timezone(case, caseworker, coordinator):
    set_timezone(caseworker, "Asia/Almaty")
    set_timezone(coordinator, "Europe/Brussels")
    follow_up = FollowUp(
        case=case,
        assignee=caseworker,
        assigned_by=coordinator,
        due_on=dt.date(2026, 10, 27),
        title="Brief an MEP",
    )
    plan = {planned.kind: planned for planned in reminders_plan_for(follow_up)}
    assert plan[Reminder.Kind.DUE].due_at == utc(2026, 10, 27, 4)  # Almaty is UTC+5
    assert plan[Reminder.Kind.DUE].due_at.astimezone(ALMATY).hour == 9
    assert plan[Reminder.Kind.ESCALATION].recipient_id == coordinator.pk
    assert plan[Reminder.Kind.ESCALATION].due_at == utc(2026, 10, 30, 8)  # Brussels, CET


def test_it_plans_nothing_for_a_done_task(case, caseworker, coordinator):
    follow_up = FollowUp(
        case=case,
        assignee=caseworker,
        assigned_by=coordinator,
        due_on=dt.date(2026, 10, 27),
        status=FollowUp.State.DONE,
    )
    assert reminders_plan_for(follow_up) == []


@time_machine.travel(utc(2026, 10, 26, 12), tick=False)
def test_it_skips_moments_already_past_when_the_task_is_created(case, caseworker, coordinator):
    follow_up = follow_up_create(
        case=case,
        title="Urgent visit",
        assignee=caseworker,
        by=coordinator,
        due_on=dt.date(2026, 10, 27),
    )
    kinds = {row[0] for row in pending(follow_up)}
    assert Reminder.Kind.BEFORE_DUE not in kinds
    assert {Reminder.Kind.DUE, Reminder.Kind.OVERDUE, Reminder.Kind.REASSIGNED} <= kinds


@time_machine.travel(utc(2026, 10, 1, 12), tick=False)
def test_it_moves_pending_reminders_when_the_due_date_changes(case, caseworker, coordinator):
    follow_up = follow_up_create(
        case=case, title="Visit", assignee=caseworker, by=coordinator, due_on=dt.date(2026, 10, 27)
    )
    follow_up_update(follow_up=follow_up, by=coordinator, due_on=dt.date(2026, 11, 10))
    due = Reminder.objects.get(follow_up=follow_up, kind=Reminder.Kind.DUE, state="pending")
    assert due.due_at == utc(2026, 11, 10, 9)
    old_due = Reminder.objects.get(follow_up=follow_up, kind=Reminder.Kind.DUE, state="cancelled")
    assert old_due.due_at == utc(2026, 10, 27, 9)
    assert (
        not Reminder.objects.filter(
            follow_up=follow_up, state="pending", due_at__lt=utc(2026, 11, 7)
        )
        .exclude(kind=Reminder.Kind.REASSIGNED)
        .exists()
    )


@time_machine.travel(utc(2026, 10, 1, 12), tick=False)
def test_it_cancels_pending_reminders_when_the_task_is_done_or_cancelled(
    case, caseworker, coordinator
):
    done = follow_up_create(
        case=case, title="Visit", assignee=caseworker, by=coordinator, due_on=dt.date(2026, 10, 27)
    )
    cancelled = follow_up_create(
        case=case, title="Call", assignee=caseworker, by=coordinator, due_on=dt.date(2026, 10, 28)
    )
    follow_up_complete(follow_up=done, by=caseworker, note="Visited; he is in the infirmary.")
    follow_up_cancel(follow_up=cancelled, by=coordinator, reason="Lawyer replaced")
    assert pending(done) == []
    assert pending(cancelled) == []
    assert Reminder.objects.filter(follow_up=done, state="cancelled").count() == 11


@time_machine.travel(utc(2026, 10, 1, 12), tick=False)
def test_it_creates_the_next_task_of_a_recurring_one_once(case, caseworker, coordinator):
    follow_up = follow_up_create(
        case=case,
        title="Monthly call",
        assignee=caseworker,
        by=coordinator,
        due_on=dt.date(2026, 10, 5),
        recurrence_days=30,
    )
    successor = follow_up_complete(follow_up=follow_up, by=caseworker)
    assert successor.due_on == dt.date(2026, 10, 31)
    assert successor.recurrence_of == follow_up
    assert successor.status == FollowUp.State.OPEN
    assert Reminder.objects.filter(follow_up=successor, kind=Reminder.Kind.DUE).count() == 1
    with pytest.raises(Exception, match="no longer open"):
        follow_up_complete(follow_up=follow_up, by=caseworker)
    assert FollowUp.objects.filter(recurrence_of=follow_up).count() == 1


def test_it_counts_a_recurring_tasks_next_due_date_from_the_day_it_was_done_locally(
    case, caseworker, coordinator
):
    """Done at 02:00 on 8 December in Almaty (21:00 on the 7th in UTC), a weekly task is next
    due on the 15th, a week after the day its assignee did it, not on the 14th."""
    set_timezone(caseworker, "Asia/Almaty")
    with time_machine.travel(utc(2026, 12, 1, 12), tick=False):
        follow_up = follow_up_create(
            case=case,
            title="Weekly call",
            assignee=caseworker,
            by=coordinator,
            due_on=dt.date(2026, 12, 8),
            recurrence_days=7,
        )
    with time_machine.travel(utc(2026, 12, 7, 21), tick=False):
        successor = follow_up_complete(follow_up=follow_up, by=caseworker)
    assert successor.due_on == dt.date(2026, 12, 15)


def _digests(user) -> list[tuple[str, int, dt.datetime]]:
    rows = Reminder.objects.filter(recipient=user, kind=Reminder.Kind.DIGEST)
    return sorted((row.state, row.sequence, row.due_at) for row in rows)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # Wednesday: Monday 08:00 is ahead in both zones; the row moves to Almaty's.
        (utc(2026, 12, 2, 12), [("pending", 20261207, utc(2026, 12, 7, 3))]),
        # Monday 05:00 UTC: 08:00 has passed in Almaty (03:00 UTC), not in Warsaw (07:00
        # UTC): this Monday's row is cancelled and next Monday's planned.
        (
            utc(2026, 12, 7, 5),
            [
                ("cancelled", 20261207, utc(2026, 12, 7, 7)),
                ("pending", 20261214, utc(2026, 12, 14, 3)),
            ],
        ),
    ],
)
def test_it_moves_the_weekly_digest_when_its_reader_changes_time_zone(
    client, case, caseworker, coordinator, now, expected
):
    """A caseworker who moved from Warsaw to Almaty gets the digest at 08:00 in Almaty."""
    set_timezone(caseworker, "Europe/Warsaw")
    with time_machine.travel(now, tick=False):
        follow_up_create(
            case=case,
            title="Visit",
            assignee=caseworker,
            by=coordinator,
            due_on=dt.date(2027, 1, 5),
        )
        reminders_plan_digests()
        client.force_login(caseworker)
        response = client.post(
            "/tasks/preferences/", {"timezone": "Asia/Almaty", "email_notifications": "on"}
        )
    assert response.status_code == 302
    assert _digests(caseworker) == expected


@time_machine.travel(utc(2026, 10, 1, 12), tick=False)
def test_it_tells_the_new_assignee_and_moves_the_reminders_to_them(
    case, host, caseworker, coordinator
):
    other = member(organisation=host, role=Role.CASEWORKER, username="other-caseworker")
    follow_up = follow_up_create(
        case=case, title="Visit", assignee=caseworker, by=coordinator, due_on=dt.date(2026, 10, 27)
    )
    follow_up_reassign(follow_up=follow_up, assignee=other, by=coordinator)
    recipients = {row[1] for row in pending(follow_up) if row[0] != Reminder.Kind.ESCALATION}
    assert recipients == {"other-caseworker"}
    # The unsent "new task for you" of the previous assignee is withdrawn with the rest.
    old_notice = Reminder.objects.get(follow_up=follow_up, recipient=caseworker, kind="reassigned")
    assert old_notice.state == Reminder.State.CANCELLED
    notice = Reminder.objects.get(follow_up=follow_up, recipient=other, kind="reassigned")
    assert reminders_dispatch_due(now=utc(2026, 10, 1, 12, 1)) == 1
    reminders_send(reminder_ids=[notice.pk, old_notice.pk], now=utc(2026, 10, 1, 12, 1))
    assert Notification.objects.get(reminder=notice, user=other).title == "New task for you: Visit"
    assert not Notification.objects.filter(user=caseworker).exists()
    assert [message.to for message in mail.outbox] == [[other.email]]


@time_machine.travel(utc(2026, 10, 21, 12), tick=False)  # a Wednesday
def test_it_plans_the_weekly_digest_on_monday_at_eight_in_each_timezone(
    case, host, caseworker, coordinator
):
    almaty_user = member(organisation=host, role=Role.CASEWORKER, username="almaty")
    set_timezone(caseworker, "Europe/Brussels")
    set_timezone(almaty_user, "Asia/Almaty")
    for assignee in (caseworker, almaty_user):
        follow_up_create(
            case=case,
            title="Visit",
            assignee=assignee,
            by=coordinator,
            due_on=dt.date(2026, 11, 20),
        )
    assert reminders_plan_digests() == 2
    assert reminders_plan_digests() == 2
    digests = {
        row.recipient.username: row.due_at
        for row in Reminder.objects.filter(kind=Reminder.Kind.DIGEST).select_related("recipient")
    }
    # Monday 26 October: Brussels is back on CET (UTC+1) by then.
    assert digests == {"caseworker": utc(2026, 10, 26, 7), "almaty": utc(2026, 10, 26, 3)}


@override_settings(
    REMINDER_DAYS_BEFORE=5,
    REMINDER_MAX_OVERDUE=2,
    REMINDER_ESCALATE_AFTER_DAYS=1,
    REMINDER_HOUR_LOCAL=14,
    REMINDER_DIGEST_WEEKDAY=4,
    REMINDER_DIGEST_HOUR_LOCAL=17,
)
def test_it_follows_the_reminder_settings(case, caseworker, coordinator):
    follow_up = FollowUp(
        case=case, assignee=caseworker, assigned_by=coordinator, due_on=dt.date(2026, 10, 27)
    )
    plan = sorted((planned.kind, planned.due_at) for planned in reminders_plan_for(follow_up))
    assert plan == sorted(
        [
            (Reminder.Kind.BEFORE_DUE, utc(2026, 10, 22, 14)),
            (Reminder.Kind.DUE, utc(2026, 10, 27, 14)),
            (Reminder.Kind.OVERDUE, utc(2026, 10, 28, 14)),
            (Reminder.Kind.OVERDUE, utc(2026, 10, 29, 14)),
            (Reminder.Kind.ESCALATION, utc(2026, 10, 28, 14)),
        ]
    )
    # Friday at 17:00; on Wednesday 21 October that is the 23rd.
    moment = next_digest_moment(now=utc(2026, 10, 21, 12), zone=ZoneInfo("UTC"))
    assert moment == utc(2026, 10, 23, 17)


def test_it_keeps_the_retry_moment_of_a_reminder_that_failed_once_when_the_task_is_edited(
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
    retry_at = utc(2026, 10, 27, 9, 4)
    Reminder.objects.filter(follow_up=follow_up, kind=Reminder.Kind.DUE).update(
        attempts=1, due_at=retry_at, last_error="ConnectionRefusedError"
    )
    with time_machine.travel(utc(2026, 10, 27, 9, 1), tick=False):
        follow_up_update(follow_up=follow_up, by=coordinator, title="Visit the infirmary")
    due = Reminder.objects.get(follow_up=follow_up, kind=Reminder.Kind.DUE)
    assert (due.state, due.attempts, due.due_at) == (Reminder.State.PENDING, 1, retry_at)
    # A row that never failed still moves with the recipient's timezone.
    set_timezone(caseworker, "Asia/Almaty")
    with time_machine.travel(utc(2026, 10, 27, 9, 2), tick=False):
        follow_up_update(follow_up=follow_up, by=coordinator, priority=3)
    overdue = Reminder.objects.get(
        follow_up=follow_up, kind=Reminder.Kind.OVERDUE, sequence=20261028
    )
    assert overdue.due_at == utc(2026, 10, 28, 4)
    assert Reminder.objects.get(pk=due.pk).due_at == retry_at
