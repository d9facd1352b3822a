"""Real Celery worker and beat processes deliver due reminders through the real broker (the
filesystem transport, or Redis when REDIS_URL is set), and a worker killed in the middle
of a batch loses nothing and repeats at most the emails of its unmarked groups."""

from __future__ import annotations

import datetime as dt
import os
import signal
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from casework.models import FollowUp, Notification, Reminder, Role
from casework.reminders import reminders_dispatch_due
from casework.reminders.send import EMAILS_PER_MARK
from config.celery import app
from tests.factories import CaseFactory, member
from tests.support.reminders import emails_per_reminder
from tests.support.worker import celery_beat, celery_worker, wait_for

pytestmark = pytest.mark.worker


def test_it_runs_against_redis_under_ci_when_redis_url_is_set():
    if os.environ.get("CI", "").lower() == "true" and os.environ.get("REDIS_URL"):
        assert settings.CELERY_BROKER_URL.startswith("redis://")
    else:
        expected = "redis://" if os.environ.get("REDIS_URL") else "filesystem://"
        assert settings.CELERY_BROKER_URL.startswith(expected)


def test_beat_wakes_the_dispatcher_every_minute_and_plans_digests_hourly():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["reminders-dispatch-due"]["task"] == "casework.tasks.reminders_dispatch_task"
    assert schedule["reminders-dispatch-due"]["schedule"] == 60.0
    assert schedule["reminders-plan-digests"]["schedule"] == 3600.0
    # As a worker starts: autodiscovery imports every app's tasks module, whatever this
    # test process has imported before (alone, it has imported none).
    app.loader.import_default_modules()
    assert "casework.tasks.reminders_send_task" in app.tasks


def due_reminders(count: int) -> list[int]:
    host_coordinator = member(organisation=CaseFactory().owning_organisation, role=Role.COORDINATOR)
    assignee = member(organisation=host_coordinator.membership.organisation, role=Role.CASEWORKER)
    follow_up = FollowUp.objects.create(
        case=CaseFactory(assigned_caseworker=assignee),
        title="Visit in SIZO",
        assignee=assignee,
        assigned_by=host_coordinator,
        due_on=timezone.localdate() - dt.timedelta(days=1),
    )
    moment = timezone.now() - dt.timedelta(minutes=1)
    Reminder.objects.bulk_create(
        Reminder(
            follow_up=follow_up,
            recipient=assignee,
            kind=Reminder.Kind.OVERDUE,
            sequence=number,
            due_at=moment,
        )
        for number in range(1, count + 1)
    )
    return list(Reminder.objects.order_by("pk").values_list("pk", flat=True))


def sent_count() -> int:
    return Reminder.objects.filter(state=Reminder.State.SENT).count()


@pytest.fixture
def mailbox(tmp_path):
    folder = tmp_path / "mail"
    folder.mkdir()
    return folder


@pytest.fixture
def worker_env(mailbox):
    app.control.purge()  # messages left by an earlier run must not reach this worker
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mailbox),
        "LOG_LEVEL": "WARNING",
    }


@contextmanager
def worker(*, env: dict, log):
    """Two prefork processes; killed outright at the end (every row is in the database,
    so a graceful shutdown would only cost seconds)."""
    with celery_worker(concurrency=2, extra_env=env, log=log) as process:
        try:
            yield process
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def fail_with_log(log_path: Path, message: str):
    pytest.fail(f"{message}\n--- worker log ---\n{log_path.read_text()[-4000:]}")


def test_a_real_worker_delivers_due_reminders(transactional_db, mailbox, worker_env, tmp_path):
    # One batch of 120, sent by one task over one mail connection.
    ids = due_reminders(120)
    assert reminders_dispatch_due(now=timezone.now(), batch=120) == 120
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log, worker(env=worker_env, log=log):
        if not wait_for(lambda: sent_count() == 120, timeout=60):
            fail_with_log(log_path, f"Only {sent_count()} of 120 reminders were sent.")
    assert emails_per_reminder(mailbox) == Counter(ids)
    assert Notification.objects.filter(reminder_id__in=ids).count() == 120


def test_beat_and_a_worker_deliver_a_due_reminder_without_anyone_dispatching(
    transactional_db, mailbox, worker_env, tmp_path
):
    ids = due_reminders(3)
    # Beat's dispatch entry every second instead of every minute, so the first tick comes
    # at once; nothing else differs from `make run`.
    env = {**worker_env, "REMINDER_DISPATCH_INTERVAL_SECONDS": "1"}
    log_path = tmp_path / "worker-and-beat.log"
    with (
        log_path.open("w") as log,
        worker(env=env, log=log),
        celery_beat(schedule=tmp_path / "beat-schedule", extra_env=env, log=log) as beat,
    ):
        if not wait_for(lambda: sent_count() == 3, timeout=60):
            fail_with_log(log_path, f"Beat and worker sent {sent_count()} of 3 reminders.")
        assert beat.poll() is None
    assert emails_per_reminder(mailbox) == Counter(ids)
    assert Notification.objects.filter(reminder_id__in=ids).count() == 3


# The benchmark runs this test REMINDER_FAILOVER_RUNS times in a row (make bench: 20).
@pytest.mark.parametrize("run", range(int(os.environ.get("REMINDER_FAILOVER_RUNS", "1"))))
def test_a_worker_killed_mid_batch_loses_nothing_and_repeats_only_its_unmarked_group(
    transactional_db, mailbox, worker_env, tmp_path, run
):
    total = 200
    ids = due_reminders(total)
    # A batch is one group of marks here, so the kill lands inside a group.
    assert reminders_dispatch_due(now=timezone.now(), batch=EMAILS_PER_MARK) == total
    # Each of the two pool processes sends 25 emails (two batches and a half), then its
    # mail server hangs: the kill lands while both are in the middle of their third batch.
    hanging = {
        **worker_env,
        "EMAIL_BACKEND": "tests.support.hanging_email.HangingFileEmailBackend",
        "HANG_AFTER_MESSAGES": "25",
    }
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        with worker(env=hanging, log=log) as first:
            stuck = lambda: len(list(mailbox.glob("hanging-*"))) == 2  # noqa: E731
            if not wait_for(stuck, timeout=60):
                fail_with_log(log_path, "The first worker's processes never got stuck.")
            # The whole process group: the main process and both pool children.
            os.killpg(first.pid, signal.SIGKILL)
            first.wait(timeout=10)
        # The kill really landed mid-group: each process had marked two batches, and of
        # its third the mail server had accepted 5 emails, not yet marked (the window).
        assert sent_count() == 4 * EMAILS_PER_MARK
        claimed = set(
            Reminder.objects.filter(state=Reminder.State.SENDING).values_list("pk", flat=True)
        )
        assert len(claimed) == 2 * EMAILS_PER_MARK
        in_the_window = set(emails_per_reminder(mailbox)) & claimed
        assert len(in_the_window) == 2 * 5

        with worker(env=worker_env, log=log):
            # The reaper: rows claimed by the dead worker go back to pending once their
            # visibility timeout has passed, and are dispatched again.
            later = timezone.now() + dt.timedelta(
                minutes=settings.REMINDER_QUEUED_TIMEOUT_MINUTES + 1
            )
            reminders_dispatch_due(now=later, batch=10)
            if not wait_for(lambda: sent_count() == total, timeout=60):
                fail_with_log(log_path, f"Only {sent_count()} of {total} reminders were sent.")

    per_reminder = emails_per_reminder(mailbox)
    assert set(per_reminder) == set(ids), "every reminder has its email"
    repeated = {pk for pk, count in per_reminder.items() if count > 1}
    assert repeated == in_the_window, "only the killed groups' accepted emails came twice"
    assert max(per_reminder.values()) == 2
    notified = Counter(
        Notification.objects.filter(reminder_id__in=ids).values_list("reminder_id", flat=True)
    )
    assert notified == Counter(ids), "every reminder has one notification"
    assert Reminder.objects.filter(state=Reminder.State.SENT).count() == total
