"""100,000 due reminders on PostgreSQL + Redis with one real Celery worker of 2 prefork
processes: seconds from the first dispatch until every reminder is delivered (in-app
notification + email). Target (issue 17): <= 10 s.

Also, in the same run:
- where a sender's time goes, per phase (claim, load, notify, build, send, mark), CPU and
  wall, measured in this process over BENCH_PHASE_REMINDERS reminders, with the CPU the
  database server spent on its connection;
- the anchor: a Celery task per reminder, over BENCH_BASELINE_REMINDERS (5,000), same worker;
- the SIGKILL failover test, BENCH_FAILOVER_RUNS (20) times in a row, on PostgreSQL + Redis.

The dispatcher (what beat runs every minute) runs in this process; the worker uses
Django's locmem email backend, so each email is built and "sent" in memory rather than
over SMTP. Runs in a child process so its settings cannot collide with another benchmark's.
CPU seconds are reported beside wall seconds: on a shared machine they depend far less on
what else runs.
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
PHASE_REMINDERS = int(os.environ.get("BENCH_PHASE_REMINDERS", "10000"))
BASELINE_REMINDERS = int(os.environ.get("BENCH_BASELINE_REMINDERS", "5000"))
FAILOVER_RUNS = int(os.environ.get("BENCH_FAILOVER_RUNS", "20"))
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


def _process_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process (a PostgreSQL backend), from /proc."""
    try:
        fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _database_backends_cpu(database: str) -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend connected to `database` (same machine)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [database])
        return {pid: _process_cpu_seconds(pid) for (pid,) in cursor.fetchall()}


def _settled() -> bool:
    """Whether no reminder is left pending or in flight, in one snapshot."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT NOT EXISTS (SELECT 1 FROM casework_reminder WHERE state = 'pending') "
            "AND NOT EXISTS (SELECT 1 FROM casework_reminder "
            "WHERE state IN ('queued', 'sending'))"
        )
        return cursor.fetchone()[0]


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


DATABASE_PHASES = ("claim", "load", "notify", "mark")


class Phases:
    """CPU and wall seconds per phase of a sender, by wrapping the functions reminders_send
    calls (nothing in the application is changed for it)."""

    def __init__(self, *, backend: int = 0) -> None:
        self.cpu: dict[str, float] = {}
        self.wall: dict[str, float] = {}
        # The database server's CPU for this process's connection, per phase.
        self.database: dict[str, float] = {}
        self.backend = backend

    def timed(self, phase: str, function):
        def wrapper(*args, **kwargs):
            cpu, wall = time.process_time(), time.perf_counter()
            # Read only around the phases that talk to the database: reading /proc costs
            # more than building or "sending" one email.
            reads = self.backend and phase in DATABASE_PHASES
            database = _process_cpu_seconds(self.backend) if reads else 0.0
            try:
                return function(*args, **kwargs)
            finally:
                self.cpu[phase] = self.cpu.get(phase, 0.0) + time.process_time() - cpu
                self.wall[phase] = self.wall.get(phase, 0.0) + time.perf_counter() - wall
                if reads:
                    self.database[phase] = (
                        self.database.get(phase, 0.0)
                        + _process_cpu_seconds(self.backend)
                        - database
                    )

        return wrapper

    def install(self, send_module) -> None:
        from contextlib import contextmanager

        from django.core.mail.backends.locmem import EmailBackend

        marks = send_module.sent_marks

        @contextmanager
        def timed_marks(**kwargs):
            with marks(**kwargs) as mark:
                yield self.timed("mark", mark)

        self.originals = [
            (send_module, "reminders_claim", "claim"),
            (send_module, "batch_load", "load"),
            (send_module, "batch_messages", "load"),
            (send_module, "notifications_create", "notify"),
            (send_module.EmailTemplate, "build", "build"),
            (send_module, "ReminderEmail", "build"),
            (EmailBackend, "send_messages", "send"),
        ]
        self.originals = [
            (owner, name, phase, getattr(owner, name)) for owner, name, phase in self.originals
        ]
        for owner, name, phase, original in self.originals:
            setattr(owner, name, self.timed(phase, original))
        self.originals.append((send_module, "sent_marks", "mark", marks))
        send_module.sent_marks = timed_marks

    def uninstall(self) -> None:
        for owner, name, _phase, original in self.originals:
            if isinstance(owner, type) and name == "build":
                original = classmethod(original.__func__)
            setattr(owner, name, original)


def _fixture():
    """The host, a coordinator, a caseworker, a case and an overdue task of theirs."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from casework.models import Case, FollowUp, Organisation, Role
    from tests.factories import CaseFactory, HostOrganisationFactory, member

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
    return follow_up, caseworker


def _reminders_create(*, follow_up, recipient, count: int, first: int, due_at) -> None:
    from casework.models import Reminder

    Reminder.objects.bulk_create(
        (
            Reminder(
                follow_up=follow_up,
                recipient=recipient,
                kind=Reminder.Kind.OVERDUE,
                sequence=number,
                due_at=due_at,
            )
            for number in range(first, first + count)
        ),
        batch_size=5000,
    )


def _truncate() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE casework_notification, casework_reminder, casework_followup, "
            "casework_historicalfollowup RESTART IDENTITY CASCADE"
        )


def phases_measure() -> None:
    """A sender's phases in this process, batch after batch as a worker process sends them."""
    from django.core import mail
    from django.db import connection
    from django.utils import timezone

    from casework.models import Reminder
    from casework.reminders import send as send_module
    from casework.reminders.dispatch import due_claim

    _truncate()
    follow_up, caseworker = _fixture()
    now = timezone.now()
    _reminders_create(
        follow_up=follow_up, recipient=caseworker, count=PHASE_REMINDERS, first=1, due_at=now
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
    dispatch_database = _process_cpu_seconds(backend)
    batches = []
    while ids := due_claim(now=now, batch=BATCH):
        batches.append(ids)
    dispatch_database = _process_cpu_seconds(backend) - dispatch_database
    # What a worker's main process does once before it forks (config/celery.py): without
    # it, the first batch's reverse() imported every URL module, some 0.7 s of CPU that the
    # table put on "load" as if every batch paid it. Its cost is printed on its own.
    from config.celery import url_resolver_warm

    warm_cpu = time.process_time()
    url_resolver_warm()
    warm_cpu = time.process_time() - warm_cpu
    phases = Phases(backend=backend)
    phases.install(send_module)
    database_cpu = _process_cpu_seconds(backend)
    cpu, wall = time.process_time(), time.perf_counter()
    sent = 0
    try:
        for ids in batches:
            sent += send_module.reminders_send(reminder_ids=ids, now=now)
            mail.outbox = []
    finally:
        phases.uninstall()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    database_cpu = _process_cpu_seconds(backend) - database_cpu
    assert sent == PHASE_REMINDERS == Reminder.objects.filter(state="sent").count()
    print(
        f"phases of one sender, in this process, {sent:,} reminders in batches of {BATCH} "
        f"(locmem email backend), load {_load()}:"
    )
    print(f"  {'phase':<8}{'CPU s':>8}{'wall s':>8}{'CPU µs/reminder':>17}{'DB µs/reminder':>16}")
    for phase in ("claim", "load", "notify", "build", "send", "mark"):
        phase_cpu, phase_wall = phases.cpu.get(phase, 0.0), phases.wall.get(phase, 0.0)
        phase_database = phases.database.get(phase, 0.0)
        database_column = (
            f"{phase_database * 1e6 / sent:>16.0f}" if phase in DATABASE_PHASES else ""
        )
        print(
            f"  {phase:<8}{phase_cpu:>8.2f}{phase_wall:>8.2f}{phase_cpu * 1e6 / sent:>17.0f}"
            f"{database_column}"
        )
    other_cpu = cpu - sum(phases.cpu.values())
    other_wall = wall - sum(phases.wall.values())
    print(f"  {'other':<8}{other_cpu:>8.2f}{other_wall:>8.2f}{other_cpu * 1e6 / sent:>17.0f}")
    print(f"  {'total':<8}{cpu:>8.2f}{wall:>8.2f}{cpu * 1e6 / sent:>17.0f}")
    print(
        f"  the database server's CPU for this connection: {database_cpu:.2f} s "
        f"({database_cpu * 1e6 / sent:.0f} µs/reminder); for the dispatcher's claims before "
        f"that: {dispatch_database:.2f} s ({dispatch_database * 1e6 / sent:.0f} µs/reminder)",
        flush=True,
    )
    print(
        f"  before that, once per process as a worker's main process does before it forks "
        f"(url_resolver_warm: every URL module, gc.freeze): {warm_cpu:.2f} s CPU",
        flush=True,
    )


def run() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["EMAIL_BACKEND"] = os.environ.get(
        "BENCH_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"
    )
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from casework.models import Notification, Reminder
    from casework.reminders import reminders_dispatch_due
    from config.celery import app

    call_command("migrate", verbosity=0, interactive=False)
    app.control.purge()
    if PHASE_REMINDERS:
        phases_measure()
    _truncate()
    follow_up, caseworker = _fixture()
    now = timezone.now()
    later = now + dt.timedelta(hours=1)
    # One warm-up reminder due now tells when the worker is up; the 100,000 fall due later.
    started = time.perf_counter()
    _reminders_create(follow_up=follow_up, recipient=caseworker, count=1, first=0, due_at=now)
    _reminders_create(
        follow_up=follow_up, recipient=caseworker, count=REMINDERS, first=1, due_at=later
    )
    print(f"created {REMINDERS} reminders in {time.perf_counter() - started:.1f} s", flush=True)

    log = Path(tempfile.gettempdir()) / "advocase-bench-reminders-worker.log"
    environment = dict(os.environ)
    environment["LOG_LEVEL"] = os.environ.get("BENCH_WORKER_LOG_LEVEL", "WARNING")
    celery = str(Path(sys.executable).parent / "celery")
    database = settings.DATABASES["default"]["NAME"]
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
        database_before = _database_backends_cpu(database)
        started = time.perf_counter()
        claimed = reminders_dispatch_due(now=later, batch=BATCH)
        dispatched = time.perf_counter() - started
        # Polled along the partial indexes on pending and in-flight rows: counting the sent
        # rows every quarter second read the whole table each time (70 ms of the database's
        # CPU per poll at 100,000, on the machine the senders share), then counted once.
        _wait(_settled, timeout=TIMEOUT_SECONDS, interval=0.25)
        delivered = Reminder.objects.filter(state="sent").count() == REMINDERS + 1
        elapsed = time.perf_counter() - started
        worker_cpu = _session_cpu_seconds(worker.pid) - cpu_before
        database_after = _database_backends_cpu(database)
        database_cpu = sum(
            cpu - database_before.get(pid, 0.0) for pid, cpu in database_after.items()
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (own_backend,) = cursor.fetchone()
        # This process's backend served the dispatcher (and the polling); the rest the senders
        # (and autovacuum, when it is working on the bench database at the end).
        dispatcher_database_cpu = database_after.get(own_backend, 0.0) - database_before.get(
            own_backend, 0.0
        )
        load = _load()
        sent = Reminder.objects.filter(state="sent").count() - 1
        notifications = Notification.objects.filter(reminder__isnull=False).count() - 1
        baseline = baseline_measure(follow_up=follow_up, caseworker=caseworker, worker=worker)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()

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
    else:
        print(
            f"delivered {sent} reminders ({notifications} notifications) in {elapsed:.1f} s "
            f"= {sent / elapsed:,.0f} reminders/s (target <= 10 s for 100,000)"
        )
    print(
        f"worker CPU (main process + pool children, user + system): {worker_cpu:.1f} s "
        f"({worker_cpu * 1e6 / max(sent, 1):.0f} µs/reminder); database server CPU "
        f"(backends of the bench database alive at the end): {database_cpu:.1f} s, of which "
        f"the dispatcher's and the polling's {dispatcher_database_cpu:.1f} s; "
        f"load average at the end: {load}"
    )
    print(baseline, flush=True)
    if FAILOVER_RUNS:
        failover_repeat()


def baseline_measure(*, follow_up, caseworker, worker) -> str:
    """The anchor: one Celery task per reminder (the design batches replaced), same worker."""
    from django.utils import timezone

    from casework.models import Reminder
    from casework.tasks import reminders_send_task

    if not BASELINE_REMINDERS:
        return "baseline: skipped"
    now = timezone.now()
    _reminders_create(
        follow_up=follow_up,
        recipient=caseworker,
        count=BASELINE_REMINDERS,
        first=REMINDERS + 1,
        due_at=now,
    )
    ids = list(Reminder.objects.filter(state=Reminder.State.PENDING).values_list("pk", flat=True))
    Reminder.objects.filter(pk__in=ids).update(state=Reminder.State.QUEUED, queued_at=now)
    target = Reminder.objects.filter(state="sent").count() + len(ids)
    cpu_before = _session_cpu_seconds(worker.pid)
    started = time.perf_counter()
    for pk in ids:
        reminders_send_task.delay(reminder_ids=[pk])
    delivered = _wait(
        lambda: Reminder.objects.filter(state="sent").count() == target,
        timeout=TIMEOUT_SECONDS,
        interval=0.25,
    )
    elapsed = time.perf_counter() - started
    worker_cpu = _session_cpu_seconds(worker.pid) - cpu_before
    done = len(ids) - (target - Reminder.objects.filter(state="sent").count())
    state = "" if delivered else f" (NOT DONE after {TIMEOUT_SECONDS} s: {done:,} sent)"
    return (
        f"baseline, a task per reminder: {done:,} of {len(ids):,} reminders in {elapsed:.1f} s "
        f"= {done / elapsed:,.0f} reminders/s{state}; worker CPU {worker_cpu:.1f} s "
        f"({worker_cpu * 1e6 / max(done, 1):.0f} µs/reminder); load average {_load()}"
    )


def failover_repeat() -> None:
    """The SIGKILL failover test, FAILOVER_RUNS times in a row, on PostgreSQL + Redis: each
    run asserts every reminder emailed and notified, no notification twice, and no email
    repeated except those the killed processes had handed over in their unmarked group."""
    node = (
        "tests/casework/reminders/test_worker.py::"
        "test_a_worker_killed_mid_batch_loses_nothing_and_repeats_only_its_unmarked_group"
    )
    environment = {**os.environ, "REMINDER_FAILOVER_RUNS": str(FAILOVER_RUNS)}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    environment.pop("EMAIL_BACKEND", None)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", node, "-q", "-p", "no:randomly", "-p", "no:cacheprovider"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
    )
    summary = (result.stdout.strip().splitlines() or ["no output"])[-1]
    print(
        f"failover (SIGKILL mid-group, PostgreSQL + Redis) x{FAILOVER_RUNS}: {summary} "
        f"in {time.perf_counter() - started:.0f} s; load average {_load()}"
    )
    if result.returncode != 0:
        print(result.stdout[-6000:])


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
