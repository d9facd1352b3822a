"""Names across scripts, measured (issue 7):

1. precision / recall / F1 of casework.names.name_match_score at NAME_MATCH_THRESHOLD on
   tests/casework/name_pairs.tsv (the one threshold: detection and the duplicate-person
   warning use it too);
2. precision / recall / F1 of detection on the labelled texts of
   tests/advocacy/detection_set.yaml, per language (English, Russian, Kazakh);
3. the seed check: detection over the seed documents' texts (as loaded, and as the files
   in /work/shared/seed-documents) against the hand-entered seed mentions;
4. name search p95 over 100,000 people on PostgreSQL, and a family name one vowel off:
   found by search, and first in the duplicate-person warning (issue 16);
5. detection over a 30,000-character text against 100,000 known people, names woven in
   as written, in Russian and Kazakh case forms and one vowel off: building the index
   from the database (target < 1 s) and a detection (target <= 0.1 s), wall and CPU
   time, with the load average (the machine is shared: CPU time is the steadier figure).

Runs in a child process with its own PostgreSQL database (BENCH_NAMES_DATABASE_URL,
default postgres://postgres@127.0.0.1:5432/advocase_bench_names), recreated each run, so
it never touches a developer's data and does not depend on how other benchmarks set up Django.
"""

from __future__ import annotations

import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from tests.bench.databases import bench_database_ensure
from tests.bench.generated_people import make_people

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/advocase_bench_names"
PEOPLE = 100_000
TEXT_CHARS = 30_000
SEARCHES = 400
NEAR_SEARCHES = 200
BUILD_TARGET_SECONDS = 1.0
DETECTION_TARGET_SECONDS = 0.1


def main() -> None:
    """Run the measurements in a child process with the bench database."""
    environment = dict(os.environ)
    environment["DATABASE_URL"] = os.environ.get("BENCH_NAMES_DATABASE_URL", DEFAULT_DATABASE_URL)
    environment.setdefault("ADVOCASE_VAR_DIR", "/tmp/advocase-bench-names")
    environment["DJANGO_SETTINGS_MODULE"] = "config.settings"
    root = Path(__file__).resolve().parents[2]
    completed = subprocess.run(
        [sys.executable, "-m", "tests.bench.bench_names", "--child"],
        cwd=root,
        env=environment,
        check=False,
    )
    if completed.returncode:
        print(f"bench_names failed with exit status {completed.returncode}")


def _child() -> None:
    url = os.environ["DATABASE_URL"]
    if not url.startswith("postgres"):
        raise SystemExit("bench_names needs PostgreSQL (BENCH_NAMES_DATABASE_URL).")
    pairs_quality()
    bench_database_ensure(url, fresh=True)
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_seeds", verbosity=0)
    print(f"database ready with seed data in {time.perf_counter() - started:.1f} s")
    detection_quality()
    seed_check()
    seed_files_check()
    people = make_people(PEOPLE)
    search_p95(people)
    near_search(people)
    detection_speed(people)


def pairs_quality() -> None:
    from casework.names import NAME_MATCH_THRESHOLD
    from tests.casework.names.test_score import name_pairs_quality

    precision, recall, f1, pairs = name_pairs_quality()
    print(
        f"name pairs ({pairs} labelled, threshold {NAME_MATCH_THRESHOLD}): "
        f"precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}"
    )


def detection_quality() -> None:
    from tests.advocacy.detection.test_spans import detection_set_quality

    for language, measured in sorted(detection_set_quality().items()):
        print(
            f"detection set, {language} ({measured.texts} labelled texts, "
            f"{len(measured.expected)} mentions): precision {measured.precision:.3f}  "
            f"recall {measured.recall:.3f}  F1 {measured.f1:.3f}"
        )


SEED_DOCUMENTS = Path("/work/shared/seed-documents")


def seed_files_check() -> None:
    """Detection over each seed file's whole text (as read from the file, like
    `manage.py detect_mentions`), against the people of the seed mentions that cite the file
    as their source (seeds/mentions.yaml). Files that name nobody must yield nobody."""
    from advocacy.detection import name_index_build, name_index_find
    from casework.models import Case
    from seeds.loader import seeds_read

    root = Path(__file__).resolve().parents[2]
    folder = SEED_DOCUMENTS if SEED_DOCUMENTS.is_dir() else root / "seeds" / "texts"
    references: dict[str, set[str]] = {}
    for mention in seeds_read().mentions:
        # The first source of a seed mention is its passage, in the text that holds it.
        references.setdefault(mention.sources[0].text, set()).add(mention.case)
    person_of = dict(Case.objects.values_list("reference", "person_id"))
    index = name_index_build()
    total_found = total_expected = total_right = 0
    print(f"seed files ({folder}; people detected in the whole file vs seed mentions citing it):")
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        found = {name.person_id for name in name_index_find(index=index, text=text)}
        wanted = {person_of[reference] for reference in references.get(path.name, ())}
        right = found & wanted
        total_found += len(found)
        total_expected += len(wanted)
        total_right += len(right)
        print(
            f"  {path.name}: {len(text):,} chars, seed {len(wanted)}, detected {len(found)}, "
            f"both {len(right)}"
        )
        for person_id in sorted(wanted - found):
            print(f"    missed: {index.names.get(person_id, person_id)}")
        for person_id in sorted(found - wanted):
            print(f"    extra:  {index.names.get(person_id, person_id)}")
    print(
        f"seed files overall: seed {total_expected}, detected {total_found}, both {total_right}: "
        f"precision {total_right / max(total_found, 1):.3f}  "
        f"recall {total_right / max(total_expected, 1):.3f}"
    )


def seed_check() -> None:
    """Detection over every seed document with a text, against the seed mentions whose
    passage is in that text. (Some seed mentions quote another document that describes
    this one, e.g. the ODF article on the 2021 resolution; detection cannot find a name
    that is not in the document's own text, so those are counted apart.)"""
    from advocacy.detection import name_index_build, name_index_find
    from advocacy.documents import document_text_contains_passage
    from advocacy.models import Document, Mention

    index = name_index_build()
    documents = {document.pk: document for document in Document.objects.exclude(full_text="")}
    expected: dict[int, set[int]] = {}
    elsewhere = 0
    for document_id, person_id, passage in Mention.objects.filter(
        origin=Mention.Origin.SEED
    ).values_list("document_id", "case__person_id", "passage"):
        document = documents.get(document_id)
        if document and document_text_contains_passage(
            full_text=document.full_text, passage=passage
        ):
            expected.setdefault(document_id, set()).add(person_id)
        else:
            elsewhere += 1
    names = dict(index.names)
    passage_check(index=index)
    total_found = total_expected = total_right = 0
    print("seed check (documents with a text; people detected vs seed mentions):")
    for document in sorted(documents.values(), key=lambda document: document.issued_on):
        found = {name.person_id for name in name_index_find(index=index, text=document.full_text)}
        wanted = expected.get(document.pk, set())
        right = found & wanted
        total_found += len(found)
        total_expected += len(wanted)
        total_right += len(right)
        print(
            f"  {document.issued_on} {document.title[:60]!r}: {len(document.full_text):,} chars, "
            f"seed {len(wanted)}, detected {len(found)}, both {len(right)}"
        )
        for person_id in sorted(wanted - found):
            print(f"    missed: {names.get(person_id, person_id)}")
        for person_id in sorted(found - wanted):
            print(f"    extra:  {names.get(person_id, person_id)}")
    precision = total_right / total_found if total_found else 0.0
    recall = total_right / total_expected if total_expected else 0.0
    print(
        f"seed check overall: {total_expected} seed mentions whose passage is in the document's "
        f"text, detected {total_found}, both {total_right}: precision {precision:.3f}  "
        f"recall {recall:.3f}; {elsewhere} seed mentions quote another document's text "
        f"(not checkable by detection)"
    )


def passage_check(*, index) -> None:
    """Detection over the passages of all seed mentions, per document: every seed mention
    counts, including those whose passage comes from a text describing the document."""
    from advocacy.detection import name_index_find
    from advocacy.models import Mention

    passages: dict[int, list[str]] = {}
    expected: dict[int, set[int]] = {}
    for document_id, person_id, passage in Mention.objects.filter(
        origin=Mention.Origin.SEED
    ).values_list("document_id", "case__person_id", "passage"):
        passages.setdefault(document_id, []).append(passage)
        expected.setdefault(document_id, set()).add(person_id)
    total_found = total_expected = total_right = 0
    for document_id, texts in passages.items():
        found = {
            name.person_id
            for text in dict.fromkeys(texts)
            for name in name_index_find(index=index, text=text)
        }
        total_found += len(found)
        total_expected += len(expected[document_id])
        total_right += len(found & expected[document_id])
        for person_id in expected[document_id] - found:
            print(f"  passage check missed {index.names.get(person_id)} in document {document_id}")
        for person_id in found - expected[document_id]:
            print(f"  passage check extra {index.names.get(person_id)} in document {document_id}")
    print(
        f"seed passages: {total_expected} seed mentions over {len(passages)} documents, "
        f"detected {total_found}, both {total_right}: precision "
        f"{total_right / max(total_found, 1):.3f}  recall {total_right / max(total_expected, 1):.3f}"
    )


# Latin to Cyrillic, longest Latin spelling first: what a Russian-language source would
# most likely print for a Latin name, for the generated people's native names.
def _query_variants(full_name: str, native: str, generator: random.Random) -> str:
    given, family = full_name.split(" ", 1)
    choices = [
        full_name,
        f"{family} {given[0]}.",
        family.upper() + " " + given,
        f"{family}, {given}",
        family,
    ]
    if native:
        cyrillic_given, cyrillic_family = native.split(" ", 1)
        choices += [native, f"{cyrillic_family} {cyrillic_given}", cyrillic_family + "а"]
    return generator.choice(choices)


def search_p95(people: list[tuple[int, str, str]]) -> None:
    from casework.models import Person
    from casework.search import people_matching_name

    generator = random.Random(7)
    queries = [
        _query_variants(full_name, native, generator)
        for _, full_name, native in generator.sample(people, SEARCHES)
    ]
    queryset = Person.objects.all()
    timings = []
    found_counts = []
    for query in queries:
        started = time.perf_counter()
        rows = list(
            people_matching_name(people=queryset, query=query)
            .order_by("full_name")
            .values_list("pk", flat=True)[:50]
        )
        timings.append((time.perf_counter() - started) * 1000)
        found_counts.append(len(rows))
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"name search over {len(people):,} people on PostgreSQL ({len(queries)} queries, first 50 "
        f"by name): p50 {statistics.median(timings):.1f} ms  p95 {p95:.1f} ms  "
        f"max {timings[-1]:.1f} ms; every query found someone: {all(found_counts)}"
    )


_VOWEL = re.compile(r"[aeiou]")


def near_spelling(name: str, generator: random.Random, *, families: set[str]) -> str:
    """The name with one vowel of its family name changed (Tuletaeva -> Tuleteeva), or the
    name itself when every such spelling is the family name of someone else generated."""
    given, family = name.split(" ", 1)
    vowels = [match.start() for match in _VOWEL.finditer(family, 1)]
    generator.shuffle(vowels)
    for at in vowels:
        for other in generator.sample([vowel for vowel in "aeiou" if vowel != family[at]], 4):
            spelling = f"{family[:at]}{other}{family[at + 1 :]}"
            if spelling not in families:
                return f"{given} {spelling}"
    return name


def _families(people: list[tuple[int, str, str]]) -> set[str]:
    return {full_name.split(" ", 1)[1] for _, full_name, _ in people}


def near_search(people: list[tuple[int, str, str]]) -> None:
    """Full names with one vowel of the family name changed (never into another generated
    person's family name): does search find the person, and does the duplicate-person
    warning put them (or a namesake of the same full name) first? Only spellings the names
    module itself takes for the person count (seven letters or more: Ospanov / Ospenov)."""
    from casework.cases import people_possible_duplicates
    from casework.models import Person
    from casework.names import NAME_MATCH_THRESHOLD, name_match_score
    from casework.search import people_matching_name

    generator = random.Random(16)
    families = _families(people)
    queries = []
    for person_id, full_name, _ in generator.sample(people, NEAR_SEARCHES * 3):
        query = near_spelling(full_name, generator, families=families)
        if query != full_name and name_match_score(query, full_name) >= NAME_MATCH_THRESHOLD:
            queries.append((person_id, full_name, query))
    queries = queries[:NEAR_SEARCHES]
    found = first = 0
    timings = []
    for person_id, full_name, query in queries:
        started = time.perf_counter()
        matched = set(
            people_matching_name(people=Person.objects.all(), query=query).values_list(
                "pk", flat=True
            )
        )
        timings.append((time.perf_counter() - started) * 1000)
        found += person_id in matched
        duplicates = people_possible_duplicates(people=Person.objects.all(), names=[query])
        # A namesake of the same full name (the generated people have some) ties with them.
        first += bool(duplicates) and duplicates[0].person.full_name == full_name
    timings.sort()
    print(
        f"near spellings ({len(queries)} full names, one vowel of the family name changed): "
        f"search found the person {found}/{len(queries)}, the duplicate warning put them "
        f"first {first}/{len(queries)}; search p50 {statistics.median(timings):.1f} ms  "
        f"p95 {timings[int(len(timings) * 0.95) - 1]:.1f} ms"
    )


def _takes(written: str, full_name: str) -> bool:
    """Whether the names module takes a near spelling for the name (Ospenov for Ospanov, not
    Ablyuzer for Ablyazer: yu after a consonant folds to u, two letters off)."""
    from casework.names import NAME_MATCH_THRESHOLD, name_match_score

    return written != full_name and name_match_score(written, full_name) >= NAME_MATCH_THRESHOLD


def _russian_form(native: str, generator: random.Random) -> str:
    given, family = native.split(" ", 1)
    if family.endswith(("ов", "ев", "ин")):
        family += generator.choice(["а", "у", "ым", "е"])
    return f"{given} {family}"


def _kazakh_form(native: str, generator: random.Random) -> str:
    """A Kazakh case form: genitive, dative, instrumental or ablative of the family name."""
    given, family = native.split(" ", 1)
    return f"{given} {family}{generator.choice(['тың', 'тің', 'қа', 'пен', 'тан', 'ның'])}"


def detection_text(
    people: list[tuple[int, str, str]], generator: random.Random
) -> tuple[str, dict[str, set[int]]]:
    """About 30,000 characters: the seed texts' prose with known people's names woven in,
    as written, in a Russian or Kazakh case form, or one vowel off (a spelling the names
    module takes for theirs); the people woven in, by form."""
    root = Path(__file__).resolve().parents[2]
    prose = " ".join(
        path.read_text(encoding="utf-8")
        for path in sorted((root / "seeds" / "texts").glob("*.txt"))
    ).split(". ")
    families = _families(people)
    parts: list[str] = []
    named: dict[str, set[int]] = {"as written": set(), "russian": set(), "kazakh": set()}
    named["one vowel off"] = set()
    length = 0
    while True:
        person_id, full_name, native = generator.choice(people)
        chance = generator.random()
        if native and chance < 0.3:
            form, name = "russian", _russian_form(native, generator)
        elif native and chance < 0.45:
            form, name = "kazakh", _kazakh_form(native, generator)
        elif chance < 0.6 and _takes(
            near := near_spelling(full_name, generator, families=families), full_name
        ):
            form, name = "one vowel off", near
        else:
            form, name = "as written", full_name
        sentence = f"{generator.choice(prose).strip()}, as {name} said. "
        if length + len(sentence) > TEXT_CHARS:
            # Fill up to the length with prose that names nobody.
            parts.append((" ".join(prose) * 2)[: TEXT_CHARS - length])
            break
        parts.append(sentence)
        named[form].add(person_id)
        length += len(sentence)
    return "".join(parts), named


def _timed(function):
    """(result, wall seconds, CPU seconds of this process)."""
    cpu, wall = time.process_time(), time.perf_counter()
    result = function()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def detection_speed(people: list[tuple[int, str, str]]) -> None:
    """Honest figures: building the index from the database (paid by the first detection
    in a process and after any name changes), a detection with the index already built
    (the usual case: the fingerprint check plus the scan), and the scan alone, first on a
    text none of whose words were read before and then again."""
    from django.conf import settings

    from advocacy.detection import (
        document_text_find_people,
        name_index_build,
        name_index_find,
        name_index_forget,
    )
    from casework.models import Organisation, Person

    def figures(runs) -> str:
        walls = sorted(run[1] for run in runs)
        cpus = sorted(run[2] for run in runs)
        return (
            f"median {statistics.median(walls) * 1000:.0f} ms wall / "
            f"{statistics.median(cpus) * 1000:.0f} ms CPU (max {walls[-1] * 1000:.0f} ms wall)"
        )

    load_before = os.getloadavg()[0]
    text, named = detection_text(people, random.Random(11))
    builds = [_timed(name_index_build) for _ in range(3)]
    index = builds[-1][0]
    first_scan = _timed(lambda: name_index_find(index=index, text=text))
    scans = [_timed(lambda: name_index_find(index=index, text=text)) for _ in range(5)]
    build_figures = f"{len(builds)} builds: {figures(builds)}"
    builds.clear()  # the process's own index is built next, from nothing
    name_index_forget()
    cold = _timed(lambda: document_text_find_people(text=text))
    warm = [_timed(lambda: document_text_find_people(text=text)) for _ in range(5)]
    found = {name.person_id for name in warm[-1][0]}
    # Another process (with Redis configured): the index of the same names is in the shared
    # cache, left there by the build above.
    name_index_forget()
    shared = _timed(lambda: document_text_find_people(text=text))
    # Someone records a new person: the next detection rebuilds the index.
    Person.objects.create(
        full_name="Bench Newcomer",
        native_name="Бенч Ньюкомер",
        owning_organisation=Organisation.objects.order_by("pk").first(),
    )
    after_change = _timed(lambda: document_text_find_people(text=text))
    woven = ", ".join(f"{form} {len(found & ids)}/{len(ids)}" for form, ids in named.items())
    print(
        f"detection over {len(text):,} characters against {len(people):,} generated people "
        f"(+ seed people): {len(warm[-1][0])} mentions of {len(found)} people; people woven "
        f"in found: {woven}"
    )

    print(
        f"  index build from the database (target < {BUILD_TARGET_SECONDS:.0f} s), {build_figures}"
    )
    print(
        f"  the scan alone (target <= {DETECTION_TARGET_SECONDS * 1000:.0f} ms): first, no word "
        f"read before {first_scan[1] * 1000:.0f} ms wall / {first_scan[2] * 1000:.0f} ms CPU; "
        f"then {figures(scans)}"
    )
    print(
        f"  a detection with the index built (name checksum + scan): {figures(warm)}; "
        f"the first in a process (builds the index) {cold[1]:.2f} s wall; the first after "
        f"a person was added (rebuilds) {after_change[1]:.2f} s wall"
    )
    if settings.REDIS_URL:
        print(
            f"  the first detection in another process, the index taken from the shared cache: "
            f"{shared[1]:.2f} s wall / {shared[2]:.2f} s CPU"
        )
    print(f"  load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after")


if __name__ == "__main__":
    if "--child" in sys.argv:
        _child()
    else:
        main()
