"""The reminder plan with frozen time, dispatch and idempotent sending."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import threading
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import close_old_connections, connection
from django.test import override_settings
from django.utils import timezone

from casework.followups import (
    follow_up_cancel,
    follow_up_complete,
    follow_up_create,
    follow_up_reassign,
    follow_up_update,
)
from casework.models import (
    Case,
    Confidentiality,
    FollowUp,
    Membership,
    Notification,
    Reminder,
    Role,
)
from casework.reminders import (
    next_digest_moment,
    reminders_dispatch_due,
    reminders_plan_digests,
    reminders_plan_for,
    reminders_reap_stale,
    reminders_send,
)
from tests.casework.hooked_email import HookedEmailBackend
from tests.factories import CaseFactory, member
from tests.worker import BASE_DIR, wait_for, worker_environment

UTC = dt.UTC
BRUSSELS = ZoneInfo("Europe/Brussels")
ALMATY = ZoneInfo("Asia/Almaty")


def set_timezone(user, name: str) -> None:
    Membership.objects.filter(user=user).update(timezone=name)
    user.membership.refresh_from_db()


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def pending(follow_up) -> list[tuple[str, str, dt.datetime]]:
    rows = Reminder.objects.filter(follow_up=follow_up, state=Reminder.State.PENDING)
    return sorted(
        (row.kind, row.recipient.username, row.due_at) for row in rows.select_related("recipient")
    )


@pytest.fixture
def case(caseworker):
    return CaseFactory(assigned_caseworker=caseworker)


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
        case=case, title="Call the lawyer", assignee=caseworker, by=coordinator,
        due_on=dt.date(2026, 3, 30),
    )  # fmt: skip
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
        case=case, assignee=caseworker, assigned_by=coordinator, due_on=dt.date(2026, 10, 27),
        status=FollowUp.State.DONE,
    )  # fmt: skip
    assert reminders_plan_for(follow_up) == []


@time_machine.travel(utc(2026, 10, 26, 12), tick=False)
def test_it_skips_moments_already_past_when_the_task_is_created(case, caseworker, coordinator):
    follow_up = follow_up_create(
        case=case, title="Urgent visit", assignee=caseworker, by=coordinator,
        due_on=dt.date(2026, 10, 27),
    )  # fmt: skip
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
        case=case, title="Monthly call", assignee=caseworker, by=coordinator,
        due_on=dt.date(2026, 10, 5), recurrence_days=30,
    )  # fmt: skip
    successor = follow_up_complete(follow_up=follow_up, by=caseworker)
    assert successor.due_on == dt.date(2026, 10, 31)
    assert successor.recurrence_of == follow_up
    assert successor.status == FollowUp.State.OPEN
    assert Reminder.objects.filter(follow_up=successor, kind=Reminder.Kind.DUE).count() == 1
    with pytest.raises(Exception, match="no longer open"):
        follow_up_complete(follow_up=follow_up, by=caseworker)
    assert FollowUp.objects.filter(recurrence_of=follow_up).count() == 1


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


def test_it_dispatches_a_due_reminder_once(case, caseworker, coordinator):
    with time_machine.travel(utc(2026, 10, 1, 12), tick=False):
        follow_up_create(
            case=case, title="Visit", assignee=caseworker, by=coordinator,
            due_on=dt.date(2026, 10, 27),
        )  # fmt: skip
    moment = utc(2026, 10, 27, 9, 0, 30)
    assert reminders_dispatch_due(now=moment) == 3  # assignment notice, before due, due
    assert reminders_dispatch_due(now=moment) == 0
    queued = list(Reminder.objects.filter(state="queued").values_list("pk", flat=True))
    assert len(queued) == 3
    assert reminders_send(reminder_ids=queued, now=moment) == 3
    assert reminders_send(reminder_ids=queued, now=moment) == 0
    assert Notification.objects.filter(reminder__in=queued).count() == 3
    assert len(mail.outbox) == 3
    assert mail.outbox[0].extra_headers["Message-ID"] == f"<reminder-{min(queued)}@advocase>"


def test_it_sends_in_app_only_when_email_is_switched_off(case, caseworker, coordinator):
    Membership.objects.filter(user=caseworker).update(email_notifications=False)
    with time_machine.travel(utc(2026, 10, 1, 12), tick=False):
        follow_up_create(
            case=case, title="Visit", assignee=caseworker, by=coordinator,
            due_on=dt.date(2026, 10, 27),
        )  # fmt: skip
    moment = utc(2026, 10, 27, 10)
    reminders_dispatch_due(now=moment)
    ids = list(Reminder.objects.filter(state="queued").values_list("pk", flat=True))
    assert reminders_send(reminder_ids=ids, now=moment) == 3
    assert mail.outbox == []
    assert Notification.objects.filter(user=caseworker).count() == 3


def test_it_retries_with_backoff_then_fails_and_tells_the_coordinator(
    case, caseworker, coordinator, settings
):
    settings.EMAIL_BACKEND = "tests.casework.failing_email.FailingEmailBackend"
    settings.REMINDER_MAX_ATTEMPTS = 3
    with time_machine.travel(utc(2026, 10, 1, 12), tick=False):
        follow_up = follow_up_create(
            case=case, title="Visit", assignee=caseworker, by=coordinator,
            due_on=dt.date(2026, 10, 27),
        )  # fmt: skip
    notice = Reminder.objects.get(follow_up=follow_up, kind="reassigned")
    moment = utc(2026, 10, 1, 12, 1)
    delays = []
    for _attempt in range(3):
        assert reminders_dispatch_due(now=moment) == 1
        reminders_send(reminder_ids=[notice.pk], now=moment)
        notice.refresh_from_db()
        delays.append(notice.due_at - moment)
        moment = notice.due_at
    assert delays[:2] == [dt.timedelta(minutes=2), dt.timedelta(minutes=4)]
    assert notice.state == Reminder.State.FAILED
    assert notice.attempts == 3
    assert "SMTP server refused" in notice.last_error
    alert = Notification.objects.get(user=coordinator, reminder__isnull=True)
    assert "could not be sent" in alert.title
    assert alert.url == "/tasks/failures/"
    # The in-app notification was still delivered, once, despite three attempts.
    assert Notification.objects.filter(reminder=notice).count() == 1


def test_it_puts_back_queued_rows_that_were_never_sent(case, caseworker, coordinator):
    with time_machine.travel(utc(2026, 10, 1, 12), tick=False):
        follow_up_create(
            case=case, title="Visit", assignee=caseworker, by=coordinator,
            due_on=dt.date(2026, 10, 27),
        )  # fmt: skip
    moment = utc(2026, 10, 1, 12, 1)
    assert reminders_dispatch_due(now=moment) == 1
    assert reminders_dispatch_due(now=moment + dt.timedelta(minutes=5)) == 0
    assert reminders_dispatch_due(now=moment + dt.timedelta(minutes=11)) == 1


@time_machine.travel(utc(2026, 10, 21, 12), tick=False)  # a Wednesday
def test_it_plans_the_weekly_digest_on_monday_at_eight_in_each_timezone(
    case, host, caseworker, coordinator
):
    almaty_user = member(organisation=host, role=Role.CASEWORKER, username="almaty")
    set_timezone(caseworker, "Europe/Brussels")
    set_timezone(almaty_user, "Asia/Almaty")
    for assignee in (caseworker, almaty_user):
        follow_up_create(
            case=case, title="Visit", assignee=assignee, by=coordinator,
            due_on=dt.date(2026, 11, 20),
        )  # fmt: skip
    assert reminders_plan_digests() == 2
    assert reminders_plan_digests() == 2
    digests = {
        row.recipient.username: row.due_at
        for row in Reminder.objects.filter(kind=Reminder.Kind.DIGEST).select_related("recipient")
    }
    # Monday 26 October: Brussels is back on CET (UTC+1) by then.
    assert digests == {"caseworker": utc(2026, 10, 26, 7), "almaty": utc(2026, 10, 26, 3)}


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


def test_it_never_sends_a_reminder_twice_when_two_senders_race(
    case, caseworker, coordinator, transactional_db
):
    with time_machine.travel(utc(2026, 10, 1, 12), tick=False):
        for day in range(10, 30):
            follow_up_create(
                case=case, title=f"Visit {day}", assignee=caseworker, by=coordinator,
                due_on=dt.date(2026, 11, day),
            )  # fmt: skip
    moment = utc(2026, 12, 31)
    results: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def dispatch_and_send() -> None:
        try:
            barrier.wait()
            reminders_dispatch_due(now=moment, batch=7)
            ids = list(Reminder.objects.values_list("pk", flat=True))
            results.append(reminders_send(reminder_ids=ids, now=moment))
        except BaseException as error:  # surfaced below, in the test thread
            errors.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=dispatch_and_send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    total = Reminder.objects.exclude(state="cancelled").count()
    assert sum(results) == total
    assert Reminder.objects.filter(state="sent").count() == total
    assert Notification.objects.filter(reminder__isnull=False).count() == total
    assert len(mail.outbox) == total


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
    # Claim, load, notify, mark the in-app ones: a fixed number; then one mark per email.
    with django_assert_max_num_queries(12 + emailed):
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


# --- The settings decide the plan -------------------------------------------------------


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


# --- Edits keep a failing reminder's backoff --------------------------------------------


def test_it_keeps_the_retry_moment_of_a_reminder_that_failed_once_when_the_task_is_edited(
    case, caseworker, coordinator
):
    with time_machine.travel(utc(2026, 10, 1, 12), tick=False):
        follow_up = follow_up_create(
            case=case, title="Visit", assignee=caseworker, by=coordinator,
            due_on=dt.date(2026, 10, 27),
        )  # fmt: skip
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


# --- A claim is held for the whole batch, and only by its sender ------------------------


@pytest.fixture
def hooked_mail(settings):
    settings.EMAIL_BACKEND = "tests.casework.hooked_email.HookedEmailBackend"
    yield HookedEmailBackend
    HookedEmailBackend.before_send = None


def overdue_batch(*, case, caseworker, coordinator, tasks: int = 2) -> list[int]:
    """Every reminder of a few tasks created on 1 October, dispatched on 31 December."""
    with time_machine.travel(utc(2026, 10, 1, 12), tick=False):
        for number in range(tasks):
            follow_up_create(
                case=case, title=f"Visit {number}", assignee=caseworker, by=coordinator,
                due_on=dt.date(2026, 11, 10 + number),
            )  # fmt: skip
    reminders_dispatch_due(now=utc(2026, 12, 31, 12))
    return list(Reminder.objects.filter(state="queued").order_by("pk").values_list("pk", flat=True))


def emails_per_reminder() -> Counter:
    return Counter(message.extra_headers["Message-ID"] for message in mail.outbox)


def test_it_never_sends_a_row_that_was_reaped_and_handed_to_another_sender(
    case, caseworker, coordinator, hooked_mail
):
    ids = overdue_batch(case=case, caseworker=caseworker, coordinator=coordinator)
    moment = utc(2026, 12, 31, 12)
    second_sender = {}
    with time_machine.travel(moment, tick=False) as traveller:

        def hang_then_refuse(messages):
            hooked_mail.before_send = None
            # The mail server hangs on the first message for longer than the visibility
            # timeout; meanwhile the reaper hands the batch to another sender, which
            # delivers all of it. Then the first server gives up.
            traveller.shift(dt.timedelta(minutes=11))
            second_sender["reaped"] = reminders_reap_stale(now=timezone.now())
            second_sender["sent"] = reminders_send(reminder_ids=ids, now=timezone.now())
            raise TimeoutError("The SMTP server did not answer")

        hooked_mail.before_send = hang_then_refuse
        first_sent = reminders_send(reminder_ids=ids, now=moment)

    assert second_sender == {"reaped": len(ids), "sent": len(ids)}
    assert first_sent == 0
    per_reminder = emails_per_reminder()
    assert len(per_reminder) == len(ids)
    assert set(per_reminder.values()) == {1}, "the first sender sent nothing it had lost"
    sent = Reminder.objects.filter(pk__in=ids, state=Reminder.State.SENT)
    assert sent.count() == len(ids)
    # Its late failure did not put the second sender's rows back to pending either.
    assert not Reminder.objects.filter(pk__in=ids, last_error__contains="did not answer").exists()
    assert Notification.objects.filter(reminder_id__in=ids).count() == len(ids)


def test_it_renews_its_claim_so_a_slow_batch_is_not_reaped_under_it(
    case, caseworker, coordinator, hooked_mail
):
    ids = overdue_batch(case=case, caseworker=caseworker, coordinator=coordinator, tasks=1)
    moment = utc(2026, 12, 31, 12)
    reaped = []
    with time_machine.travel(moment, tick=False) as traveller:

        def slow_server(messages):
            # Three minutes a message: the batch outlasts the ten-minute visibility
            # timeout several times over, while the dispatcher's reaper runs meanwhile.
            traveller.shift(dt.timedelta(minutes=3))
            reaped.append(reminders_reap_stale(now=timezone.now()))

        hooked_mail.before_send = slow_server
        assert reminders_send(reminder_ids=ids, now=moment) == len(ids)
    assert len(reaped) == len(ids) > 4
    assert sum(reaped) == 0
    assert set(emails_per_reminder().values()) == {1}


# --- Failures -------------------------------------------------------------------------


def test_it_records_a_batch_of_failures_in_a_fixed_number_of_queries(
    case, caseworker, coordinator, settings, django_assert_max_num_queries
):
    settings.EMAIL_BACKEND = "tests.casework.failing_email.FailingEmailBackend"
    settings.REMINDER_MAX_ATTEMPTS = 2
    with time_machine.travel(utc(2026, 10, 21, 12), tick=False):
        for number in range(3):
            follow_up_create(
                case=case, title=f"Visit {number}", assignee=caseworker, by=coordinator,
                due_on=dt.date(2026, 10, 22 + number),
            )  # fmt: skip
        reminders_plan_digests()
    moment = utc(2026, 12, 31, 12)
    reminders_dispatch_due(now=moment)
    ids = list(Reminder.objects.filter(state="queued").values_list("pk", flat=True))
    # Half of them are at their last attempt, the other half at their first.
    last_try = ids[::2]
    Reminder.objects.filter(pk__in=last_try).update(attempts=1)
    assert len(ids) > 25
    # The same queries for 1 failure or 500: read, one update per new state, alerts (on
    # PostgreSQL two more, for the relaxed commit of the marks).
    with django_assert_max_num_queries(17):
        assert reminders_send(reminder_ids=ids, now=moment) == 0
    failed = Reminder.objects.filter(state=Reminder.State.FAILED)
    assert set(failed.values_list("pk", flat=True)) == set(last_try)
    assert set(failed.values_list("attempts", flat=True)) == {2}
    retried = Reminder.objects.filter(pk__in=set(ids) - set(last_try))
    assert {(row.state, row.attempts, row.due_at) for row in retried} == {
        (Reminder.State.PENDING, 1, moment + dt.timedelta(minutes=2))
    }
    assert "SMTP server refused" in failed.first().last_error
    alerts = Notification.objects.filter(user=coordinator, reminder__isnull=True)
    assert alerts.count() == len(last_try)
    digest = Reminder.objects.get(kind=Reminder.Kind.DIGEST)
    if digest.pk in last_try:
        assert alerts.filter(body__startswith="Weekly digest").count() == 1


# --- Visibility ------------------------------------------------------------------------


def test_it_cancels_a_reminder_whose_recipient_can_no_longer_see_the_case(
    case, caseworker, coordinator
):
    with time_machine.travel(utc(2026, 10, 1, 12), tick=False):
        follow_up = follow_up_create(
            case=case, title="Visit", assignee=caseworker, by=coordinator,
            due_on=dt.date(2026, 10, 27),
        )  # fmt: skip
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
            case=case, title="Visible task", assignee=caseworker, by=coordinator,
            due_on=dt.date(2026, 11, 20),
        )  # fmt: skip
        follow_up_create(
            case=hidden_later, title="Hidden task", assignee=caseworker, by=coordinator,
            due_on=dt.date(2026, 11, 20),
        )  # fmt: skip
    Case.objects.filter(pk=hidden_later.pk).update(
        confidentiality=Confidentiality.RESTRICTED, assigned_caseworker=None
    )
    with time_machine.travel(utc(2026, 10, 21, 12), tick=False):
        reminders_plan_digests()
    digest = Reminder.objects.get(kind=Reminder.Kind.DIGEST, recipient=caseworker)
    reminders_send(reminder_ids=[digest.pk], now=digest.due_at)
    notification = Notification.objects.get(reminder=digest)
    assert notification.title == "Your week: 1 open tasks, 0 overdue"
    assert "Visible task" in notification.body
    assert "Hidden task" not in notification.body
    assert "KZ-HIDDEN-LATER" not in notification.body


# --- What an email may say --------------------------------------------------------------


def test_it_emails_a_neutral_line_and_a_link_and_keeps_the_details_in_the_app(
    case, caseworker, coordinator, settings
):
    settings.SITE_URL = "https://advocase.example.org"
    with time_machine.travel(utc(2026, 11, 1, 12), tick=False):
        follow_up = follow_up_create(
            case=case, title="Visit Almat in SIZO-1", assignee=caseworker, by=coordinator,
            due_on=dt.date(2026, 11, 30), note="His lawyer Ivanov has the new address.",
        )  # fmt: skip
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


# --- Two dispatchers in two processes ---------------------------------------------------


def test_it_sends_nothing_twice_when_two_dispatcher_processes_run_at_once(
    case, caseworker, coordinator, transactional_db, tmp_path
):
    """Two real processes against the test database (SQLite, or PostgreSQL with
    DATABASE_URL), each claiming batches and sending them, side by side."""
    follow_up = follow_up_create(
        case=case, title="Visit", assignee=caseworker, by=coordinator,
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )  # fmt: skip
    moment = timezone.now() - dt.timedelta(minutes=1)
    Reminder.objects.bulk_create(
        Reminder(
            follow_up=follow_up, recipient=caseworker, kind=Reminder.Kind.OVERDUE,
            sequence=number, due_at=moment,
        )
        for number in range(1, 61)
    )  # fmt: skip
    total = Reminder.objects.filter(due_at__lte=timezone.now(), state="pending").count()
    mailbox = tmp_path / "mail"
    mailbox.mkdir()
    env = worker_environment(
        CELERY_TASK_ALWAYS_EAGER="true",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mailbox),
        LOG_LEVEL="WARNING",
    )
    go = tmp_path / "go"
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.casework.dispatch_process", str(tmp_path / f"ready-{n}"), str(go)],
            cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for n in range(2)
    ]  # fmt: skip
    assert wait_for(lambda: all((tmp_path / f"ready-{n}").exists() for n in range(2)))
    go.touch()
    outputs = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    claimed = [int(out.strip()) for out, _err in outputs]
    assert sum(claimed) == total
    assert min(claimed) > 0, "both dispatchers took part"
    message_ids = Counter()
    for path in mailbox.glob("*.log"):
        message_ids.update(
            re.findall(r"^Message-ID: <reminder-(\d+)@advocase>$", path.read_text(), re.M)
        )
    assert len(message_ids) == total
    assert set(message_ids.values()) == {1}
    assert Reminder.objects.filter(state="sent").count() == total
    assert Notification.objects.filter(reminder__isnull=False).count() == total
