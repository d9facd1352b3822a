"""Partner import, end to end, on PostgreSQL: a 50,000-row XLSX in which 10% of the people
already exist (half of those with a changed status), through casework.importing (parse,
match, write, history) — and the same rows through plain django-import-export
ModelResources with default options (people with a Person resource, then their cases with a
Case resource), for the ratio.

The plain resources import about a hundred rows a second, so all 50,000 rows would take
hours: they import the same rows in rounds of 1,000 until all are done,
BENCH_IMPORT_RESOURCE_SECONDS (default 300, about five minutes) have passed or
BENCH_IMPORT_RESOURCE_ROWS rows (default all) are done, and the output says how many rows
that was. The ratio compares rows per second over those rows.

The import's time is also broken down by phase (read the file, parse the rows, match them,
write changes to records already there, build and send the new rows, wait for the database
to store them, the new rows' foreign keys checked once per key (common.foreign_keys), the
timeline chain and conflicts (casework.status.timelines_recompute), the match decisions,
commit — where PostgreSQL checks the deferred foreign keys of any row left to it, all of
them when the database user may not set session_replication_role — and what falls outside
them), each with this process's and the database server's processor seconds: the
new rows are stored by the server while this process builds the next ones, so their server
time shows under "build and send" as much as under "wait". The WAL the server wrote during
the import (pg_current_wal_lsn before and after: the whole server's, so other databases'
writes count too) and the load average are printed with them, and the last line sums it
all up: rows/s end to end, processor seconds, the phases and the ratio to the plain
resources. pg_stat_statements needs shared_preload_libraries, which a shared server may
not have: the server's processor time is read from /proc instead.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/advocase_bench_import \\
        .venv/bin/python -m tests.bench.run_all bench_import

The database named in DATABASE_URL is dropped and re-created: never point it at real data.
BENCH_IMPORT_PROFILE=profile.txt writes the import's pyinstrument call tree there.
The machine is shared: besides wall time, the import's processor seconds (this process, and
the PostgreSQL server process serving it when it runs on this machine) are printed.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import random
import time

from tests.bench.databases import bench_database_ensure

ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "50000"))
EXISTING_SHARE = 0.10
RESOURCE_SECONDS = float(os.environ.get("BENCH_IMPORT_RESOURCE_SECONDS", "300"))
RESOURCE_ROWS = int(os.environ.get("BENCH_IMPORT_RESOURCE_ROWS", "0")) or None
RESOURCE_ROUND = 1000
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/advocase_bench_import"
SYLLABLES = [
    "ba",
    "ku",
    "to",
    "ren",
    "sa",
    "li",
    "mo",
    "dar",
    "ne",
    "zhu",
    "ka",
    "vi",
    "ser",
    "gul",
]
HEADERS = [
    "№",
    "ФИО",
    "Год рождения",
    "Статья",
    "Дата задержания",
    "Статус",
    "Регион",
    "Место содержания",
    "Примечание",
]
STATUSES = ["в СИЗО", "осужден", "под домашним арестом", "освобожден", "в эмиграции"]
REGIONS = ["Алматы", "Астана", "Шымкент", "Актобе", "Караганда", "Уральск"]


def _name(number: int) -> tuple[str, str]:
    """(Latin 'Given Familyov', Cyrillic-free) — distinct per number, no near misses."""
    digits = [(number // len(SYLLABLES) ** power) % len(SYLLABLES) for power in range(5)]
    given = "".join(SYLLABLES[digit] for digit in digits).capitalize()
    family = "".join(SYLLABLES[(digit * 5 + 3) % len(SYLLABLES)] for digit in reversed(digits))
    return given, family.capitalize() + "ov"


def _row(number: int, rng: random.Random, *, status: str | None = None) -> list:
    given, family = _name(number)
    return [
        number + 1,
        f"{family} {given}",
        1950 + number % 50,
        f"ст. {rng.choice(['174 ч.1', '405 ч.2', '274', '179'])} УК РК",
        f"{1 + number % 28:02d}.{1 + number % 12:02d}.{2015 + number % 9}",
        status or STATUSES[number % len(STATUSES)],
        REGIONS[number % len(REGIONS)],
        f"ИК-{number % 40}",
        "",
    ]


def _xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Лист1")
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main() -> None:
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        print("bench_import measures PostgreSQL; set DATABASE_URL=postgres://…")
        return
    bench_database_ensure(url, fresh=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    _run()


def _run() -> None:
    from django.db import connection

    from casework.importing.runs import import_file_run
    from casework.models import Case, CaseEvent, Membership, Organisation, Person, Role
    from tests.factories import UserFactory

    rng = random.Random(5)
    host = Organisation.objects.create(name="Host NGO", slug="host", kind="host")
    partner = Organisation.objects.create(name="Bench Partner", slug="bench-partner")
    user = UserFactory(username="bench-partner")
    Membership.objects.create(user=user, organisation=partner, role=Role.PARTNER)
    del host

    existing = set(rng.sample(range(ROWS), int(ROWS * EXISTING_SHARE)))
    rows = [_row(number, rng) for number in range(ROWS)]
    seed_rows = []
    for number in sorted(existing):
        row = list(rows[number])
        if number % 2:
            row[5] = "в СИЗО" if row[5] != "в СИЗО" else "осужден"  # a status that changes
        seed_rows.append(row)
    print(
        f"rows: {ROWS:,}; already recorded: {len(existing):,} "
        f"(half of them with a different status)",
        flush=True,
    )

    # The existing people, written by the same importer (not timed).
    started = time.perf_counter()
    _, seeded = import_file_run(
        data=_xlsx(seed_rows), file_name="seed.xlsx", organisation=partner, user=user
    )
    assert not seeded["errors"], seeded["errors"][:3]
    print(f"seeded {seeded['new']:,} people and cases in {time.perf_counter() - started:.1f} s")

    data = _xlsx(rows)
    print(f"file: {len(data) / 1_048_576:.1f} MB XLSX", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    people_before, history_before = Person.objects.count(), Person.history.count()
    load_before = os.getloadavg()
    wal_before = _wal_position()
    server_before = _server_seconds()
    with _phases_timed() as phases, _profiled(os.environ.get("BENCH_IMPORT_PROFILE")):
        started, started_cpu = time.perf_counter(), time.process_time()
        _, summary = import_file_run(
            data=data, file_name="bench.xlsx", organisation=partner, user=user
        )
        ours, ours_cpu = time.perf_counter() - started, time.process_time() - started_cpu
    server = _server_seconds()
    wal_bytes = _wal_position() - wal_before
    assert not summary["errors"], summary["errors"][:3]
    ours_rate = ROWS / ours
    print(
        f"advocase import: {ROWS:,} rows in {ours:.2f} s = {ours_rate:,.0f} rows/s end to end "
        f"(new {summary['new']:,}, updated {summary['updated']:,}, unchanged "
        f"{summary['unchanged']:,}, possible duplicates {summary['possible_duplicates']:,}); "
        f"people {people_before:,} -> {Person.objects.count():,}, person history rows "
        f"{history_before:,} -> {Person.history.count():,}, cases {Case.objects.count():,}, "
        f"status events {CaseEvent.objects.count():,}",
        flush=True,
    )

    # The machine is shared: processor time is the steadier figure. The database server's is
    # read from /proc when it runs on this machine.
    server_note = (
        f", database server {(server - server_before) / ROWS * 10_000:.2f} s"
        if server is not None and server_before is not None
        else ""
    )
    server_total = (
        f" + database server {server - server_before:.1f} s"
        if server is not None and server_before is not None
        else ""
    )
    print(
        f"processor time: import process {ours_cpu:.1f} s{server_total} for {ROWS:,} rows "
        f"(wall {ours:.1f} s); per 10,000 rows: import process {ours_cpu / ROWS * 10_000:.2f} s"
        f"{server_note}; load average {os.getloadavg()[0]:.2f}",
        flush=True,
    )

    phases["other (run bookkeeping, plan kept for the preview)"] = _unphased(
        phases, total=(ours, ours_cpu, (server or 0.0) - (server_before or 0.0))
    )
    print("phases (wall / import process / database server seconds, per 10,000 rows):")
    for phase, (wall, process, database) in phases.items():
        scale = 10_000 / ROWS
        print(
            f"  {phase:<44} {wall * scale:5.2f} / {process * scale:5.2f} / {database * scale:5.2f}"
        )
    print(
        f"WAL written by the import: {wal_bytes / 1_048_576:,.1f} MB = {wal_bytes / ROWS:,.0f} "
        f"bytes per row; load average before {load_before[0]:.2f}, after "
        f"{os.getloadavg()[0]:.2f} (1 min)",
        flush=True,
    )

    started = time.perf_counter()
    _, again = import_file_run(data=data, file_name="bench.xlsx", organisation=partner, user=user)
    print(
        f"same file again: {time.perf_counter() - started:.2f} s, {again['new']} new, "
        f"{again['updated']} updated, {again['unchanged']:,} unchanged"
    )

    resource_rate, resource_rows, resource_cpu = _plain_resources(rows=rows, partner=partner)
    stopped_by = (
        f"BENCH_IMPORT_RESOURCE_ROWS={RESOURCE_ROWS}"
        if RESOURCE_ROWS is not None and resource_rows >= RESOURCE_ROWS
        else f"{RESOURCE_SECONDS:.0f} s"
    )
    note = (
        f" (the first {resource_rows:,} of the {ROWS:,} rows: the rounds stopped after "
        f"{stopped_by})"
        if resource_rows < ROWS
        else ""
    )
    print(
        f"plain django-import-export ModelResources (Person, then Case; default options): "
        f"{resource_rate:,.0f} rows/s{note}; processor time per 10,000 rows: "
        f"{resource_cpu / resource_rows * 10_000:.1f} s"
    )
    print(
        f"ratio: {ours_rate / resource_rate:,.1f}x  (target >= 10x; target >= 10,000 rows/s: "
        f"{ours_rate:,.0f} rows/s)"
    )
    scale = 10_000 / ROWS
    breakdown = "; ".join(
        f"{phase} {wall * scale:.2f}/{process * scale:.2f}/{database * scale:.2f}"
        for phase, (wall, process, database) in phases.items()
    )
    print(
        f"import: {ours_rate:,.0f} rows/s end to end ({ROWS:,} rows, {ours:.1f} s wall, "
        f"import process {ours_cpu:.1f} s + database server "
        f"{(server or 0.0) - (server_before or 0.0):.1f} s processor, load average "
        f"{load_before[0]:.2f}); {ours_rate / resource_rate:,.1f}x the plain ModelResources; "
        f"per 10,000 rows wall/process/server s: {breakdown}",
        flush=True,
    )


# The import's phases: the functions each one runs, as (module, name).
PHASES = {
    "read the file": [("runs", "import_file_read")],
    "parse the rows": [("run_planning", "rows_parse")],
    "match (people, cases, duplicates)": [("run_planning", "import_plan_build")],
    "vocabularies and references": [
        ("writing", "_charges_create_missing"),
        ("writing", "_vocabularies_propose"),
        ("writing", "_references_generated"),
    ],
    "write changes to recorded ones": [("writing", "people_update"), ("writing", "cases_update")],
    "build and send new rows": [("writing", "people_insert"), ("writing", "cases_insert")],
    "wait for the database to store them": [("bulk", "RowsPipeline.__exit__")],
    "foreign keys checked, once per key": [("writing", "ForeignKeysChecked.finish")],
    "timeline chain, case status, conflicts": [("writing", "timelines_recompute")],
    "match decisions remembered": [("writing", "_decisions_remember")],
}


@contextlib.contextmanager
def _phases_timed():
    """Time the import's phases while the block runs: {phase: [wall, process, server]},
    commit included. Each function is wrapped, and put back afterwards."""
    from django.db import connections

    from casework.importing import run_planning, runs, writing
    from common import bulk

    modules = {"runs": runs, "run_planning": run_planning, "writing": writing, "bulk": bulk}
    phases: dict[str, list[float]] = {}

    def timed(phase: str, function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            wall, process, server = time.perf_counter(), time.process_time(), _server_seconds()
            try:
                return function(*args, **kwargs)
            finally:
                spent = phases.setdefault(phase, [0.0, 0.0, 0.0])
                spent[0] += time.perf_counter() - wall
                spent[1] += time.process_time() - process
                if server is not None:
                    spent[2] += _server_seconds() - server

        return wrapper

    replaced = []
    for phase, functions in PHASES.items():
        for module_name, name in functions:
            owner = modules[module_name]
            if "." in name:
                class_name, name = name.split(".")
                owner = getattr(owner, class_name)
            replaced.append((owner, name, getattr(owner, name)))
            setattr(owner, name, timed(phase, getattr(owner, name)))
    wrapper_class = type(connections["default"])  # the commit, on the class psycopg calls
    replaced.append((wrapper_class, "_commit", wrapper_class._commit))
    wrapper_class._commit = timed("commit", wrapper_class._commit)
    try:
        yield phases
    finally:
        for owner, name, original in reversed(replaced):
            setattr(owner, name, original)


@contextlib.contextmanager
def _profiled(path: str | None):
    """With BENCH_IMPORT_PROFILE=file.txt, the import's call tree by pyinstrument (wall
    time, so read it beside the processor seconds) is written there."""
    if not path:
        yield
        return
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.005)
    profiler.start()
    try:
        yield
    finally:
        profiler.stop()
        with open(path, "w") as output:
            output.write(profiler.output_text(unicode=False, color=False))
        print(f"profile written to {path}")


def _unphased(phases: dict[str, list[float]], *, total: tuple[float, float, float]) -> list[float]:
    """What the import spent outside the timed phases (wall, process, server)."""
    return [
        max(0.0, spent - sum(phase[position] for phase in phases.values()))
        for position, spent in enumerate(total)
    ]


def _wal_position() -> int:
    """The server's write-ahead log position, in bytes: the difference of two is the WAL
    written between them (by every database of the server: run it alone)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")
        return int(cursor.fetchone()[0])


def _server_seconds() -> float | None:
    """Processor seconds the database backend serving this connection has used, or None
    when it is not a process of this machine."""
    from django.db import connection

    connection.ensure_connection()
    try:
        pid = connection.connection.info.backend_pid
        with open(f"/proc/{pid}/stat") as stat:
            name, fields = stat.read().rsplit(")", 1)
    except (OSError, AttributeError, ValueError):
        return None
    if "postgres" not in name:
        return None  # a server in a container: the same number is another process here
    fields = fields.split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _plain_resources(*, rows: list[list], partner) -> tuple[float, int, float]:
    """The same rows through ModelResources with default options: the XLSX read with tablib,
    then, round by round, the people through a Person resource and their cases through a
    Case resource, row by row (each save() writes its history and name keys). A plain
    resource translates nothing, so the round gives it what the models take: status codes
    and ISO dates (charges, which it cannot link, are left out). Returns rows per second,
    rows imported and processor seconds."""
    import tablib
    from import_export import resources

    from casework.importing.cells import word_normalise
    from casework.importing.dates import partial_date_parse
    from casework.importing.status_words import STATUS_BY_WORD
    from casework.models import Case, Person

    class PersonResource(resources.ModelResource):
        class Meta:
            model = Person

    class CaseResource(resources.ModelResource):
        class Meta:
            model = Case

    data = _xlsx(rows)
    started, started_cpu = time.perf_counter(), time.process_time()
    dataset = tablib.Dataset().load(io.BytesIO(data), format="xlsx")
    done = 0
    for start in range(0, len(dataset), RESOURCE_ROUND):
        chunk = dataset[start : start + RESOURCE_ROUND]
        people = tablib.Dataset(
            headers=["full_name", "birth_year", "region", "owning_organisation"]
        )
        for row in chunk:
            people.append([row[1], row[2], row[6], partner.pk])
        result = PersonResource().import_data(people, dry_run=False, raise_errors=True)
        assert not result.has_errors()
        cases = tablib.Dataset(
            headers=["reference", "person", "owning_organisation", "status", "detained_on"]
        )
        for number, (row, row_result) in enumerate(zip(chunk, result.rows, strict=True)):
            detained = partial_date_parse(row[4]).value
            cases.append(
                [
                    f"PLAIN-{start + number:06d}",
                    row_result.object_id,
                    partner.pk,
                    STATUS_BY_WORD[word_normalise(row[5])],
                    detained.isoformat() if detained else "",
                ]
            )
        result = CaseResource().import_data(cases, dry_run=False, raise_errors=True)
        assert not result.has_errors()
        done += len(chunk)
        if time.perf_counter() - started > RESOURCE_SECONDS or (
            RESOURCE_ROWS is not None and done >= RESOURCE_ROWS
        ):
            break
    elapsed = time.perf_counter() - started
    return done / elapsed, done, time.process_time() - started_cpu


if __name__ == "__main__":
    main()
