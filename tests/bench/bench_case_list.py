"""The case list on PostgreSQL with 100,000 cases: three filters and a name search, 200
requests through Django's test client as a signed-in host caseworker; prints p50 and p95
server time. Target (issue 3): p95 <= 60 ms. Then the same requests for the htmx results
fragment (what typing in the name box asks for), and the unfiltered first page.

Runs in a child process so its database settings cannot collide with another benchmark's.
BENCH_PROFILE=1 also prints a cProfile of 20 requests (CPU time), to see where it goes.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time

from tests.bench.databases import bench_database_ensure

BENCH_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/advocase_bench"
TARGET_CASES = 100_000
REQUESTS = 200


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def _profile(client, queries: list[dict]) -> None:
    """BENCH_PROFILE=1: where a request's CPU goes (cProfile over 20 requests, CPU clock)."""
    import cProfile
    import pstats

    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for params in queries:
        client.get("/cases/", params)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


def run() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client

    from casework.models import Case, Membership, Organisation, Person, Role
    from tests.factories import HostOrganisationFactory, member

    call_command("migrate", verbosity=0, interactive=False)
    existing = Case.objects.count()
    if existing < TARGET_CASES:
        print(f"{existing} cases; generating {TARGET_CASES} (once) …", flush=True)
        started = time.perf_counter()
        call_command("generate_data", cases=TARGET_CASES, seed=1)
        print(f"generated in {time.perf_counter() - started:.0f} s", flush=True)
    # As autovacuum would have by now on a live system: fresh statistics, and a visibility
    # map so the name-key lookup is an index-only scan.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")

    host = (
        Organisation.objects.filter(kind=Organisation.Kind.HOST).first()
        or HostOrganisationFactory()
    )
    user = Membership.objects.filter(user__username="bench-caseworker").first()
    user = (
        user.user
        if user
        else member(organisation=host, role=Role.CASEWORKER, username="bench-caseworker")
    )
    client = Client()
    client.force_login(user)

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
    queries = []
    for index in range(REQUESTS):
        full_name, native_name = names[index % len(names)]
        # Alternate scripts and the surname alone, as people type.
        surname = (native_name or full_name).split()[-1] if index % 2 else full_name.split()[-1]
        queries.append(
            {
                "q": surname,
                "status": ["imprisoned", "pretrial_detention", "on_trial"],
                "detained_from": "2010-01-01",
                "region": rng.choice(regions) if regions else "",
            }
        )

    from django.conf import settings

    # As in production: DEBUG off, so templates come from the cached loader.
    print(f"DEBUG {settings.DEBUG}", flush=True)
    client.get("/cases/", queries[0])  # warm up: templates, connections
    if os.environ.get("BENCH_PROFILE"):
        _profile(client, queries[:20])
    connection.force_debug_cursor = True
    reset_queries()
    response = client.get("/cases/", queries[0])
    query_count = len(connection.queries)
    connection.force_debug_cursor = False
    assert response.status_code == 200, response.status_code
    timings = []
    cpu_timings = []
    rows = 0
    for params in queries:
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get("/cases/", params)
        timings.append((time.perf_counter() - started) * 1000)
        # CPU time of this process alone: what the request costs the web worker, apart
        # from the database and from whatever else the (shared) machine is running.
        cpu_timings.append((time.process_time() - cpu_started) * 1000)
        rows += response.content.count(b"<tr>") - 1
    print(f"cases in database: {Case.objects.count()}", flush=True)
    print(f"queries per request: {query_count}")
    print(f"requests: {len(timings)}, rows shown on average: {rows / len(timings):.1f}")
    print(
        f"case list (3 filters + name search): p50 {statistics.median(timings):.1f} ms, "
        f"p95 {_percentile(timings, 0.95):.1f} ms, max {max(timings):.1f} ms (target p95 <= 60 ms)"
    )
    print(
        f"  of which web-process CPU: p50 {statistics.median(cpu_timings):.1f} ms, "
        f"p95 {_percentile(cpu_timings, 0.95):.1f} ms; load average {os.getloadavg()[0]:.1f}"
    )
    # The results fragment htmx asks for as someone types in the name box or ticks a
    # filter: the same queries, the list without the page around it.
    fragment, fragment_cpu = [], []
    for params in queries:
        started, cpu_started = time.perf_counter(), time.process_time()
        client.get("/cases/", params, headers={"HX-Request": "true"})
        fragment.append((time.perf_counter() - started) * 1000)
        fragment_cpu.append((time.process_time() - cpu_started) * 1000)
    print(
        f"results fragment (htmx): p50 {statistics.median(fragment):.1f} ms, "
        f"p95 {_percentile(fragment, 0.95):.1f} ms; web-process CPU p50 "
        f"{statistics.median(fragment_cpu):.1f} ms, p95 {_percentile(fragment_cpu, 0.95):.1f} ms"
    )
    # The plain first page too: what everyone sees when they open Cases.
    plain = []
    for _ in range(50):
        started = time.perf_counter()
        client.get("/cases/")
        plain.append((time.perf_counter() - started) * 1000)
    print(
        f"case list, no filters: p50 {statistics.median(plain):.1f} ms, p95 {_percentile(plain, 0.95):.1f} ms"
    )


def main() -> None:
    url = (
        os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or BENCH_DATABASE_URL
    )
    if not url.startswith("postgres"):
        url = BENCH_DATABASE_URL
    bench_database_ensure(url)
    environment = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "false"}
    subprocess.run(
        [sys.executable, "-m", "tests.bench.bench_case_list", "--run"], env=environment, check=True
    )


if __name__ == "__main__":
    if "--run" in sys.argv:
        run()
    else:
        main()
