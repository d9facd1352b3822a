"""Claiming due reminders: once each, by several dispatchers at once (threads, processes)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading

import pytest
import time_machine
from django.core import mail
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.followups import follow_up_create
from casework.models import Notification, Reminder
from casework.reminders import reminders_dispatch_due, reminders_send
from casework.reminders.dispatch import due_claim
from tests.support.reminders import emails_per_reminder, plan_of_the_update, utc
from tests.support.worker import BASE_DIR, wait_for, worker_environment


def test_it_dispatches_a_due_reminder_once(case, caseworker, coordinator):
    with time_machine.travel(utc(2026, 10, 1, 12), tick=False):
        follow_up_create(
            case=case,
            title="Visit",
            assignee=caseworker,
            by=coordinator,
            due_on=dt.date(2026, 10, 27),
        )
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


def test_it_never_sends_a_reminder_twice_when_two_senders_race(
    case, caseworker, coordinator, transactional_db
):
    with time_machine.travel(utc(2026, 10, 1, 12), tick=False):
        for day in range(10, 30):
            follow_up_create(
                case=case,
                title=f"Visit {day}",
                assignee=caseworker,
                by=coordinator,
                due_on=dt.date(2026, 11, day),
            )
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


def test_it_sends_nothing_twice_when_two_dispatcher_processes_run_at_once(
    case, caseworker, coordinator, transactional_db, tmp_path
):
    """Two real processes against the test database (SQLite, or PostgreSQL with
    DATABASE_URL), each claiming batches and sending them, side by side."""
    follow_up = follow_up_create(
        case=case,
        title="Visit",
        assignee=caseworker,
        by=coordinator,
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )
    moment = timezone.now() - dt.timedelta(minutes=1)
    Reminder.objects.bulk_create(
        Reminder(
            follow_up=follow_up,
            recipient=caseworker,
            kind=Reminder.Kind.OVERDUE,
            sequence=number,
            due_at=moment,
        )
        for number in range(1, 61)
    )
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
            [
                sys.executable,
                "-m",
                "tests.support.dispatch_process",
                str(tmp_path / f"ready-{n}"),
                str(go),
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(2)
    ]
    assert wait_for(lambda: all((tmp_path / f"ready-{n}").exists() for n in range(2)))
    go.touch()
    outputs = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    claimed = [int(out.strip()) for out, _err in outputs]
    assert sum(claimed) == total
    assert min(claimed) > 0, "both dispatchers took part"
    message_ids = emails_per_reminder(mailbox)
    assert len(message_ids) == total
    assert set(message_ids.values()) == {1}
    assert Reminder.objects.filter(state="sent").count() == total
    assert Notification.objects.filter(reminder__isnull=False).count() == total


def test_it_finds_due_rows_along_the_partial_index_on_pending_rows(case, caseworker, coordinator):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's choice depends on its statistics; SQLite's on the terms")
    with time_machine.travel(utc(2026, 10, 1, 12), tick=False):
        follow_up_create(
            case=case,
            title="Visit",
            assignee=caseworker,
            by=coordinator,
            due_on=dt.date(2026, 10, 27),
        )
    with CaptureQueriesContext(connection) as queries:
        due_claim(now=utc(2026, 10, 27, 9, 0, 30), batch=10)
    assert "USING INDEX reminder_pending_due" in plan_of_the_update(queries=queries)
