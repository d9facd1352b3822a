"""Load: 50 signed-in users for 60 s against gunicorn (5 workers) on PostgreSQL with
generated data (2,000 cases), half of them partner sessions; each user opens the case list
(filters, a name search, later pages), case pages and the dashboard, with a think time
of 0.5-1.5 s between requests. Prints requests/s, errors and p50/p95/p99 per kind of page,
and the load average (the machine is shared: read the figures against it).

Bounded: the run stops after BENCH_LOAD_SECONDS whatever happens, every request times out
after 30 s, and gunicorn is stopped at the end. Only 127.0.0.1 is ever asked.

    make bench                                    # with the other benchmarks
    .venv/bin/python -m tests.bench.run_all bench_load
    BENCH_LOAD_USERS=200 .venv/bin/python -m tests.bench.run_all bench_load

BENCH_LOAD_USERS, BENCH_LOAD_SECONDS, BENCH_LOAD_CASES, BENCH_LOAD_WORKERS change the
figures above; BENCH_LOAD_DATABASE_URL the database (made if missing).
"""

from __future__ import annotations

import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.bench.databases import bench_database_ensure
from tests.support.web_server import free_port, web_server

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = "postgres://postgres@127.0.0.1:5432/advocase_bench_load"
USERS = int(os.environ.get("BENCH_LOAD_USERS", "50"))
SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "60"))
CASES = int(os.environ.get("BENCH_LOAD_CASES", "2000"))
WORKERS = int(os.environ.get("BENCH_LOAD_WORKERS", "5"))
SPAWN_SECONDS = 5.0  # users start over this many seconds, as locust's spawn rate would
THINK_SECONDS = (0.5, 1.5)
REQUEST_TIMEOUT = 30.0
# What a user opens next: the list (with filters or a search), a case page, the dashboard.
MIX = (("list", 0.4), ("detail", 0.4), ("dashboard", 0.2))
BENCH_ACCOUNTS_PER_KIND = 5  # sessions are spread over this many accounts of each kind


def prepare() -> None:
    """In a child process with DATABASE_URL set: the schema, the data, the accounts, and one
    signed-in session per simulated user, printed as JSON on the last line."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from casework.demo import HOST, PARTNER, organisation_ensure
    from casework.models import Case, Membership, Role
    from casework.visibility import cases_visible_to
    from tests.factories import member

    call_command("migrate", verbosity=0, interactive=False)
    existing = Case.objects.count()
    if existing < CASES:
        print(f"{existing} cases; generating {CASES} …", flush=True)
        call_command("generate_data", cases=CASES - existing, seed=existing + 1, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    host, partner = organisation_ensure(**HOST), organisation_ensure(**PARTNER)
    accounts = {"host": [], "partner": []}
    for kind, organisation, role in (
        ("host", host, Role.CASEWORKER),
        ("partner", partner, Role.PARTNER),
    ):
        for number in range(BENCH_ACCOUNTS_PER_KIND):
            username = f"bench-load-{kind}-{number}"
            found = Membership.objects.filter(user__username=username).first()
            user = (
                found.user
                if found
                else member(organisation=organisation, role=role, username=username)
            )
            visible = list(cases_visible_to(user).values_list("pk", flat=True)[:2000])
            surnames = [
                name.split()[-1]
                for name in cases_visible_to(user).values_list("person__full_name", flat=True)[:200]
                if name.split()
            ]
            accounts[kind].append((user, visible, surnames))
    sessions = []
    for index in range(USERS):
        kind = "partner" if index % 2 else "host"
        user, visible, surnames = accounts[kind][index // 2 % BENCH_ACCOUNTS_PER_KIND]
        client = Client()
        client.force_login(user)
        sessions.append(
            {
                "kind": kind,
                "cookie": f"sessionid={client.cookies['sessionid'].value}",
                "cases": visible,
                "surnames": surnames,
            }
        )
    print(json.dumps({"cases": Case.objects.count(), "sessions": sessions}))


@dataclass
class Results:
    timings: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, milliseconds: float, error: str | None) -> None:
        with self.lock:
            self.timings.setdefault(kind, []).append(milliseconds)
            if error:
                self.errors[error] = self.errors.get(error, 0) + 1


def _path(kind: str, session: dict, rng: random.Random) -> str:
    if kind == "dashboard" or (kind == "detail" and not session["cases"]):
        return "/"
    if kind == "detail":
        return f"/cases/{rng.choice(session['cases'])}/"
    choice = rng.random()
    if choice < 0.3 and session["surnames"]:
        return f"/cases/?q={rng.choice(session['surnames'])}"
    if choice < 0.6:
        return "/cases/?status=imprisoned&status=pretrial_detention&sort=-detained"
    if choice < 0.8:
        return f"/cases/?page={rng.randint(2, 10)}"
    return "/cases/"


def _user(port: int, session: dict, seed: int, stop_at: float, results: Results) -> None:
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    headers = {"Cookie": session["cookie"], "Connection": "keep-alive"}
    while time.monotonic() < stop_at:
        kind = rng.choices([name for name, _ in MIX], [weight for _, weight in MIX])[0]
        path = _path(kind, session, rng)
        started = time.perf_counter()
        error = None
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                error = f"HTTP {response.status} on {kind}"
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
        except (OSError, http.client.HTTPException) as exception:
            error = f"{type(exception).__name__} on {kind}"
            connection.close()
        results.record(f"{session['kind']} {kind}", (time.perf_counter() - started) * 1000, error)
        time.sleep(rng.uniform(*THINK_SECONDS))
    connection.close()


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def _summary(label: str, values: list[float]) -> str:
    return (
        f"{label:<20} {len(values):>6} requests  p50 {statistics.median(values):7.1f} ms  "
        f"p95 {_percentile(values, 0.95):7.1f} ms  p99 {_percentile(values, 0.99):7.1f} ms"
    )


def _wait_until_serving(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/accounts/login/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within 60 s")


def _cpu_milliseconds(pid: int) -> float:
    """User and system CPU a process has used so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _worker_pids(master: int) -> list[int]:
    """gunicorn's workers: the master's children."""
    try:
        return [
            int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()
        ]
    except OSError:
        return []


def _database_backend_cpu(url: str) -> float:
    """CPU the PostgreSQL server processes serving this database have used (the workers keep
    theirs for the whole run: DATABASE_CONN_MAX_AGE)."""
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as db:
        pids = db.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        ).fetchall()
    return sum(_cpu_milliseconds(pid) for (pid,) in pids)


def run(*, url: str) -> None:
    environment = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "false"}
    environment.pop("DJANGO_ENV", None)
    prepared = subprocess.run(
        [sys.executable, "-m", "tests.bench.bench_load", "--prepare"],
        env=environment,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    data = json.loads(prepared.stdout.strip().splitlines()[-1])
    sessions = data["sessions"]
    port = free_port()
    log_path = ROOT / "var" / "bench-load-gunicorn.log"
    log_path.parent.mkdir(exist_ok=True)
    with web_server(
        "gunicorn", port=port, log=log_path, environment=environment, workers=WORKERS
    ) as server:
        _wait_until_serving(port, server)
        results = Results()
        print(
            f"{data['cases']} cases on {url.rsplit('@', 1)[-1]}; gunicorn {WORKERS} workers; "
            f"{len(sessions)} users (half partner sessions) for {SECONDS:.0f} s; "
            f"load average before {os.getloadavg()[0]:.1f}",
            flush=True,
        )
        workers = _worker_pids(server.pid)
        worker_cpu_before = sum(_cpu_milliseconds(pid) for pid in workers)
        database_cpu_before = _database_backend_cpu(url)
        started = time.monotonic()
        stop_at = started + SECONDS
        threads = []
        for index, session in enumerate(sessions):
            thread = threading.Thread(
                target=_user, args=(port, session, index, stop_at, results), daemon=True
            )
            thread.start()
            threads.append(thread)
            time.sleep(SPAWN_SECONDS / len(sessions))
        for thread in threads:
            thread.join(timeout=SECONDS + REQUEST_TIMEOUT + 10)
        elapsed = time.monotonic() - started
        worker_cpu = sum(_cpu_milliseconds(pid) for pid in workers) - worker_cpu_before
        database_cpu = _database_backend_cpu(url) - database_cpu_before
    every = [value for values in results.timings.values() for value in values]
    error_count = sum(results.errors.values())
    print(
        f"requests {len(every)} in {elapsed:.1f} s: {len(every) / elapsed:.1f} requests/s, "
        f"errors {error_count}; load average after {os.getloadavg()[0]:.1f} (1 min), "
        f"{os.getloadavg()[1]:.1f} (5 min)"
    )
    # What a request costs whatever else runs on the machine (the wall times above are
    # stretched by the load average): CPU of gunicorn's workers and of the database server
    # processes serving them.
    print(
        f"CPU per request: {worker_cpu / max(len(every), 1):.1f} ms in gunicorn's workers, "
        f"{database_cpu / max(len(every), 1):.1f} ms in PostgreSQL"
    )
    print(_summary("all", every))
    for label in sorted(results.timings):
        print(_summary(label, results.timings[label]))
    for error, count in sorted(results.errors.items()):
        print(f"  error: {error} × {count}")
    # gunicorn's access log ends each line with the time the worker took (config/gunicorn.py):
    # the rest of what a user waited was the queue for a free worker.
    served = [
        float(line.rsplit(" ", 1)[1].removesuffix("ms"))
        for line in log_path.read_text().splitlines()
        if line.endswith("ms") and '" 200 ' in line
    ]
    if served:
        print(_summary("time in a worker", served))


def main() -> None:
    url = os.environ.get("BENCH_LOAD_DATABASE_URL", DATABASE_URL)
    bench_database_ensure(url)
    run(url=url)


if __name__ == "__main__":
    if "--prepare" in sys.argv:
        prepare()
    else:
        main()
