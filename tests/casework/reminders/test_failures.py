"""Failed sends: backoff, the failed mark, the coordinator's alert, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import time_machine

from casework.followups import follow_up_create
from casework.models import Membership, Notification, Reminder
from casework.reminders import reminders_dispatch_due, reminders_plan_digests, reminders_send
from tests.support.catalogues import every_marked_string_tagged
from tests.support.reminders import utc


def test_it_retries_with_backoff_then_fails_and_tells_the_coordinator(
    case, caseworker, coordinator, settings
):
    settings.EMAIL_BACKEND = "tests.support.failing_email.FailingEmailBackend"
    settings.REMINDER_MAX_ATTEMPTS = 3
    with time_machine.travel(utc(2026, 10, 1, 12), tick=False):
        follow_up = follow_up_create(
            case=case,
            title="Visit",
            assignee=caseworker,
            by=coordinator,
            due_on=dt.date(2026, 10, 27),
        )
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


def test_it_tells_the_coordinator_of_a_failure_in_their_language(
    monkeypatch, case, caseworker, coordinator, settings
):
    """A Kazakh-speaking coordinator's alert that a reminder failed is written in Kazakh,
    as every reminder is in its reader's language; the worker itself runs in English."""
    every_marked_string_tagged(monkeypatch, "kk", "[kk] ")
    Membership.objects.filter(user=coordinator).update(language="kk")
    settings.EMAIL_BACKEND = "tests.support.failing_email.FailingEmailBackend"
    settings.REMINDER_MAX_ATTEMPTS = 1
    with time_machine.travel(utc(2026, 10, 1, 12), tick=False):
        follow_up_create(
            case=case,
            title="Visit",
            assignee=caseworker,
            by=coordinator,
            due_on=dt.date(2026, 10, 27),
        )
    moment = utc(2026, 10, 1, 12, 1)
    reminders_dispatch_due(now=moment)
    reminders_send(
        reminder_ids=Reminder.objects.filter(state="queued").values_list("pk", flat=True),
        now=moment,
    )
    alert = Notification.objects.get(user=coordinator, reminder__isnull=True)
    assert alert.title.startswith("[kk] ") and "caseworker" in alert.title
    assert alert.body.startswith("[kk] ")


def test_it_records_a_batch_of_failures_in_a_fixed_number_of_queries(
    case, caseworker, coordinator, settings, django_assert_max_num_queries
):
    settings.EMAIL_BACKEND = "tests.support.failing_email.FailingEmailBackend"
    settings.REMINDER_MAX_ATTEMPTS = 2
    with time_machine.travel(utc(2026, 10, 21, 12), tick=False):
        for number in range(3):
            follow_up_create(
                case=case,
                title=f"Visit {number}",
                assignee=caseworker,
                by=coordinator,
                due_on=dt.date(2026, 10, 22 + number),
            )
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
