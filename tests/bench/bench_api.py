"""The API's case list and case detail on PostgreSQL with 100,000 cases, through Django's
test client with a personal token (a host caseworker's): the list filtered as
bench_case_list filters the page (three filters and a name search), 50 per page, and one
case by id; prints p50 and p95 server time. Target (issue 18): the list's p95 <= 60 ms,
like the page.

Runs in a child process so its database settings cannot collide with another benchmark's;
the database is bench_case_list's (BENCH_DATABASE_URL to choose another).
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time

from tests.bench.bench_case_list import BENCH_DATABASE_URL, TARGET_CASES, _percentile
from tests.bench.databases import bench_database_ensure

REQUESTS = 200


def _timed(client, url: str, params_list: list[dict]) -> tuple[list[float], list[float], int]:
    timings, cpu_timings, rows = [], [], 0
    for params in params_list:
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(url.format(**params), params.get("query"))
        timings.append((time.perf_counter() - started) * 1000)
        cpu_timings.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200, (response.status_code, response.content[:200])
        rows += len(response.json().get("results", [None]))
    return timings, cpu_timings, rows


def _report(label: str, timings: list[float], cpu_timings: list[float], target: str = "") -> None:
    print(
        f"{label}: p50 {statistics.median(timings):.1f} ms, p95 {_percentile(timings, 0.95):.1f} ms, "
        f"max {max(timings):.1f} ms{target}; web-process CPU p50 "
        f"{statistics.median(cpu_timings):.1f} ms, p95 {_percentile(cpu_timings, 0.95):.1f} ms",
        flush=True,
    )


def run() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from casework.models import Case, Membership, Organisation, Person, Role
    from casework.visibility import cases_visible_to
    from tests.factories import HostOrganisationFactory, member
    from tests.support.api_clients import token_client

    call_command("migrate", verbosity=0, interactive=False)
    existing = Case.objects.count()
    if existing < TARGET_CASES:
        print(f"{existing} cases; generating {TARGET_CASES} (once) …", flush=True)
        started = time.perf_counter()
        call_command("generate_data", cases=TARGET_CASES, seed=1)
        print(f"generated in {time.perf_counter() - started:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    host = (
        Organisation.objects.filter(kind=Organisation.Kind.HOST).first()
        or HostOrganisationFactory()
    )
    membership = Membership.objects.filter(user__username="bench-caseworker").first()
    user = (
        membership.user
        if membership
        else member(organisation=host, role=Role.CASEWORKER, username="bench-caseworker")
    )
    settings.API_THROTTLE_RATE = "1000000/minute"  # measuring the endpoint, not the limit
    client = token_client(user, can_write=False)

    rng = random.Random(1)
    person_ids = list(
        Person.objects.values_list("pk", flat=True)[:: max(1, Person.objects.count() // 1000)]
    )
    names = list(
        Person.objects.filter(
            pk__in=rng.sample(person_ids, min(REQUESTS, len(person_ids)))
        ).values_list("full_name", "native_name")
    )
    regions = [r for r in Person.objects.values_list("region", flat=True).distinct() if r][:20]
    lists = []
    for index in range(REQUESTS):
        full_name, native_name = names[index % len(names)]
        surname = (native_name or full_name).split()[-1] if index % 2 else full_name.split()[-1]
        query = {
            "q": surname,
            "status": ["imprisoned", "pretrial_detention", "on_trial"],
            "detained_from": "2010-01-01",
            "region": rng.choice(regions) if regions else "",
            "page_size": 50,
        }
        lists.append({"query": query})
    case_ids = list(cases_visible_to(user).values_list("pk", flat=True)[:: TARGET_CASES // 1000])
    details = [{"pk": pk} for pk in rng.sample(case_ids, min(REQUESTS, len(case_ids)))]
    unfiltered = [{"query": {"page_size": 50}} for _ in range(50)]

    print(f"DEBUG {settings.DEBUG}; cases in database: {Case.objects.count()}", flush=True)
    _timed(client, "/api/v1/cases/", lists[:3])  # warm up: connections, caches
    timings, cpu, rows = _timed(client, "/api/v1/cases/", lists)
    _report(
        f"GET /api/v1/cases/ (3 filters + name search, 50 per page, {rows / len(lists):.1f} rows)",
        timings,
        cpu,
        " (target p95 <= 60 ms)",
    )
    timings, cpu, _rows = _timed(client, "/api/v1/cases/", unfiltered)
    _report("GET /api/v1/cases/ (no filter, 50 per page)", timings, cpu)
    timings, cpu, _rows = _timed(client, "/api/v1/cases/{pk}/", details)
    _report("GET /api/v1/cases/<id>/", timings, cpu)
    print(f"load average {os.getloadavg()[0]:.1f}", flush=True)


def main() -> None:
    url = (
        os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or BENCH_DATABASE_URL
    )
    if not url.startswith("postgres"):
        url = BENCH_DATABASE_URL
    bench_database_ensure(url)
    environment = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "false"}
    subprocess.run(
        [sys.executable, "-m", "tests.bench.bench_api", "--run"], env=environment, check=True
    )


if __name__ == "__main__":
    if "--run" in sys.argv:
        run()
    else:
        main()
