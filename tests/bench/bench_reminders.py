"""100,000 due reminders on PostgreSQL + Redis with one real Celery worker of 2 prefork
processes: seconds from the first dispatch until every reminder is delivered (in-app
notification + email). Target (issue 4): <= 30 s.

The dispatcher (what beat runs every minute) runs in this process; the worker uses
Django's locmem email backend, so each email is built and "sent" in memory rather than
over SMTP. Runs in a child process so its settings cannot collide with another benchmark's.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.bench.databases import bench_database_ensure

# Overridable, so engineers benchmarking at the same time use their own database and Redis.
BENCH_DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/advocase_bench_reminders"
)
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")
REMINDERS = int(os.environ.get("BENCH_REMINDERS", "100000"))
BATCH = 500
TIMEOUT_SECONDS = 300
BASE_DIR = Path(__file__).resolve().parents[2]
WORKER_ARGUMENTS = [
    "worker",
    "--pool",
    "prefork",
    "--concurrency",
    "2",
    "--without-gossip",
    "--without-mingle",
    "--without-heartbeat",
]


def _wait(condition, *, timeout: float, interval: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return condition()


def _session_cpu_seconds(session_id: int) -> float:
    """User + system CPU seconds of every live process in the worker's session (the main
    process and its pool children), from /proc: less noisy than wall time on a shared
    machine."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command name: state is field 3, so session is index 3, utime 11, stime 12.
        if int(fields[3]) == session_id:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def run() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from casework.models import Case, FollowUp, Notification, Organisation, Reminder, Role
    from casework.reminders import reminders_dispatch_due
    from config.celery import app
    from tests.factories import CaseFactory, HostOrganisationFactory, member

    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE casework_notification, casework_reminder, casework_followup, "
            "casework_historicalfollowup RESTART IDENTITY CASCADE"
        )
    app.control.purge()

    host = Organisation.objects.filter(kind=Organisation.Kind.HOST).first()
    host = host or HostOrganisationFactory()

    def bench_member(username: str, role: str):
        existing = get_user_model().objects.filter(username=username).first()
        return existing or member(organisation=host, role=role, username=username)

    coordinator = bench_member("bench-coordinator", Role.COORDINATOR)
    caseworker = bench_member("bench-caseworker", Role.CASEWORKER)
    case = Case.objects.filter(reference="BENCH-REMINDERS").first() or CaseFactory(
        reference="BENCH-REMINDERS", owning_organisation=host, assigned_caseworker=caseworker
    )
    follow_up = FollowUp.objects.create(
        case=case,
        title="Visit in SIZO",
        assignee=caseworker,
        assigned_by=coordinator,
        due_on=timezone.localdate() - dt.timedelta(days=1),
    )
    now = timezone.now()
    later = now + dt.timedelta(hours=1)
    # One warm-up reminder due now tells when the worker is up; the 100,000 fall due later.
    rows = [
        Reminder(
            follow_up=follow_up,
            recipient=caseworker,
            kind=Reminder.Kind.OVERDUE,
            sequence=number,
            due_at=now if number == 0 else later,
        )
        for number in range(REMINDERS + 1)
    ]
    started = time.perf_counter()
    Reminder.objects.bulk_create(rows, batch_size=5000)
    print(f"created {REMINDERS} reminders in {time.perf_counter() - started:.1f} s", flush=True)

    log = Path(tempfile.gettempdir()) / "advocase-bench-reminders-worker.log"
    os.environ["EMAIL_BACKEND"] = os.environ.get(
        "BENCH_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"
    )
    environment = dict(os.environ)
    environment["LOG_LEVEL"] = os.environ.get("BENCH_WORKER_LOG_LEVEL", "WARNING")
    celery = str(Path(sys.executable).parent / "celery")
    with log.open("w") as log_file:
        worker = subprocess.Popen(
            [celery, "-A", "config", *WORKER_ARGUMENTS, "--loglevel", environment["LOG_LEVEL"]],
            cwd=BASE_DIR,
            env=environment,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        reminders_dispatch_due(now=now, batch=BATCH)
        if not _wait(
            lambda: Reminder.objects.filter(sequence=0, state="sent").exists(),
            timeout=120,
            interval=0.2,
        ):
            raise SystemExit(f"The worker did not start; see {log}")

        cpu_before = _session_cpu_seconds(worker.pid)
        started = time.perf_counter()
        claimed = reminders_dispatch_due(now=later, batch=BATCH)
        dispatched = time.perf_counter() - started
        delivered = _wait(
            lambda: Reminder.objects.filter(state="sent").count() == REMINDERS + 1,
            timeout=TIMEOUT_SECONDS,
            interval=0.25,
        )
        elapsed = time.perf_counter() - started
        worker_cpu = _session_cpu_seconds(worker.pid) - cpu_before
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()

    sent = Reminder.objects.filter(state="sent").count() - 1
    notifications = Notification.objects.filter(reminder__isnull=False).count() - 1
    print(
        f"email backend in the worker: {os.environ['EMAIL_BACKEND']} "
        "(locmem builds each message in memory; dummy builds nothing; neither talks SMTP)"
    )
    print(
        "broker: Redis; database: PostgreSQL; worker: 1 celery worker, prefork, 2 processes; "
        "DEBUG off; dispatcher in the benchmark process"
    )
    print(
        f"dispatch: {claimed} reminders claimed in {claimed // BATCH} tasks in {dispatched:.1f} s"
    )
    if not delivered:
        print(f"NOT DONE after {TIMEOUT_SECONDS} s: {sent} of {REMINDERS} sent; see {log}")
        return
    print(
        f"delivered {sent} reminders ({notifications} notifications) in {elapsed:.1f} s "
        f"= {sent / elapsed:,.0f} reminders/s (target <= 30 s)"
    )
    print(
        f"worker CPU (main process + pool children, user + system): {worker_cpu:.1f} s; "
        f"load average at the end: {' '.join(f'{v:.2f}' for v in os.getloadavg())}"
    )


def main() -> None:
    bench_database_ensure(BENCH_DATABASE_URL)
    environment = dict(os.environ)
    environment["DATABASE_URL"] = BENCH_DATABASE_URL
    environment["REDIS_URL"] = BENCH_REDIS_URL
    # As in production: with DEBUG on, Django records every SQL statement of the worker.
    environment["DJANGO_DEBUG"] = "false"
    environment.setdefault("ADVOCASE_VAR_DIR", str(Path(tempfile.gettempdir()) / "advocase-bench"))
    subprocess.run(
        [sys.executable, "-m", "tests.bench.bench_reminders", "--run"],
        cwd=BASE_DIR,
        env=environment,
        check=True,
    )


if __name__ == "__main__":
    if "--run" in sys.argv:
        run()
    else:
        main()
