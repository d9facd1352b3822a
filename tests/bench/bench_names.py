"""Names across scripts, measured (issue 7):

1. precision / recall / F1 of casework.names.name_match_score at NAME_MATCH_THRESHOLD on
   tests/casework/name_pairs.tsv (the one threshold: detection and the duplicate-person
   warning use it too);
2. precision / recall of detection on the labelled texts of tests/advocacy/detection_set.yaml;
3. the seed check: detection over the seed documents' texts (as loaded, and as the files
   in /work/shared/seed-documents) against the hand-entered seed mentions;
4. name search p95 over 100,000 people on PostgreSQL;
5. detection over a 30,000-character text against 100,000 known people.

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

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/advocase_bench_names"
PEOPLE = 100_000
TEXT_CHARS = 30_000
SEARCHES = 400

GIVEN_MALE = [
    "Almat",
    "Aset",
    "Askhat",
    "Kairat",
    "Dulat",
    "Zhanbolat",
    "Kenzhebek",
    "Lukpan",
    "Mukhtar",
    "Talgat",
    "Serikzhan",
    "Aron",
    "Yerzhan",
    "Ulasbek",
    "Daryn",
    "Serik",
    "Garifulla",
    "Bolatbek",
    "Nurlan",
    "Marat",
    "Ruslan",
    "Timur",
    "Arman",
    "Berik",
    "Dauren",
    "Yerlan",
    "Madiyar",
    "Aidos",
    "Nursultan",
    "Bakhytzhan",
    "Zhandos",
    "Azamat",
    "Yerbol",
    "Kanat",
    "Samat",
    "Daniyar",
    "Vladimir",
    "Vadim",
    "Sergey",
    "Aleksandr",
    "Dmitriy",
    "Andrey",
    "Igor",
    "Oleg",
    "Pavel",
    "Nikolay",
    "Viktor",
    "Yevgeniy",
]
GIVEN_FEMALE = [
    "Roza",
    "Dametkan",
    "Saltanat",
    "Saniya",
    "Bota",
    "Asel",
    "Nurgul",
    "Kaisha",
    "Gyuzyal",
    "Aigul",
    "Aigerim",
    "Gulnar",
    "Zhanar",
    "Dinara",
    "Aliya",
    "Madina",
    "Assel",
    "Raushan",
    "Zarina",
    "Ainur",
    "Natalya",
    "Olga",
    "Yelena",
    "Tatyana",
    "Irina",
]
SURNAME_ROOTS = [
    "Zhumagul",
    "Abish",
    "Zheksebay",
    "Klysh",
    "Aspandiyar",
    "Akhmedyar",
    "Ablyaz",
    "Bokay",
    "Yelshibay",
    "Akhmet",
    "Khassen",
    "Kalu",
    "Emberген",
    "Oraz",
    "Bayadalin",
    "Blyal",
    "Tuletay",
    "Kuramsh",
    "Kozl",
    "Nurlanbek",
    "Seitkali",
    "Tokayev",
    "Dzhaksybek",
    "Kenzhebay",
    "Serikbay",
    "Omar",
    "Ibray",
    "Sultanbek",
    "Kairbek",
    "Mukhamedzhan",
    "Bekmukhamed",
    "Temirbek",
    "Dosmukhamed",
    "Zhakup",
    "Baimagambet",
    "Sarsenbay",
    "Tulegen",
    "Ospan",
    "Kassym",
    "Yessenbay",
    "Nurpeis",
    "Mamyr",
    "Sadyk",
    "Utegen",
    "Zhaksylyk",
    "Abdrakhman",
    "Sagyndyk",
    "Beisenbay",
    "Tokhtar",
    "Orazbek",
    "Zhanuzak",
    "Kudaibergen",
    "Ismail",
    "Kurmangazy",
    "Shakhanov",
    "Yeszhan",
    "Alimzhan",
    "Mukhtar",
    "Zhylkybay",
    "Karabay",
    "Sarybay",
    "Dauletbay",
    "Yermek",
    "Kadyr",
    "Aidarbek",
    "Sabit",
    "Kanatbek",
    "Zhanibek",
    "Yerkin",
    "Aman",
    "Baurzhan",
    "Ergali",
    "Galym",
    "Zhomart",
    "Talap",
]
SURNAME_ROOTS = [root for root in SURNAME_ROOTS if root.isascii()]


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

    precision, recall, texts, mentions = detection_set_quality()
    print(
        f"detection set ({texts} labelled texts, {mentions} mentions): "
        f"precision {precision:.3f}  recall {recall:.3f}"
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
LATIN_TO_CYRILLIC = {
    "shch": "щ",
    "dzh": "дж",
    "zh": "ж",
    "kh": "х",
    "ts": "ц",
    "ch": "ч",
    "sh": "ш",
    "yu": "ю",
    "ya": "я",
    "yo": "ё",
    "ye": "е",
    "iu": "ю",
    "ia": "я",
    "c": "к",
    "h": "х",
    "j": "ж",
    "q": "к",
    "w": "в",
    "x": "кс",
    "y": "ы",
} | dict(zip("abdefgiklmnoprstuvz", "абдефгиклмнопрстувз", strict=True))
_LATIN_SPELLINGS = re.compile("|".join(sorted(LATIN_TO_CYRILLIC, key=len, reverse=True)))


def cyrillic_spelling(text: str) -> str:
    """A likely Cyrillic spelling of a Latin name: 'Zhumagulov' -> 'жумагулов'."""
    from casework.names import normalise_name

    return _LATIN_SPELLINGS.sub(
        lambda match: LATIN_TO_CYRILLIC[match.group(0)], normalise_name(text)
    )


def _random_name(generator: random.Random) -> tuple[str, str]:
    """A Latin full name and, for some, a Cyrillic native name."""
    female = generator.random() < 0.45
    given = generator.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    root = generator.choice(SURNAME_ROOTS)
    # Three letters of noise make 100,000 people with realistic, mostly distinct surnames.
    root = root + "".join(
        generator.choice("aeiou") + generator.choice("bklmnrst") for _ in range(1)
    )
    suffix = generator.choice(["ov", "ev", "in", "uly" if not female else "kyzy", ""])
    if female and suffix in {"ov", "ev", "in"}:
        suffix += "a"
    family = (root + suffix).capitalize()
    full_name = f"{given} {family}"
    native = cyrillic_spelling(full_name).title() if generator.random() < 0.5 else ""
    return full_name, native


def make_people(count: int) -> list[tuple[int, str, str]]:
    """`count` people with their PersonNameKey rows, by bulk inserts (no signals)."""
    from casework.models import Organisation, Person, PersonNameKey
    from casework.names import name_keys

    generator = random.Random(2021)
    organisation = Organisation.objects.order_by("pk").first()
    started = time.perf_counter()
    batch = 5_000
    made: list[tuple[int, str, str]] = []
    for offset in range(0, count, batch):
        names = [_random_name(generator) for _ in range(min(batch, count - offset))]
        keys_of = [
            sorted(set(name_keys(full_name)) | set(name_keys(native) if native else []))
            for full_name, native in names
        ]
        people = Person.objects.bulk_create(
            [
                Person(
                    full_name=full_name,
                    native_name=native,
                    owning_organisation=organisation,
                    match_keys=" ".join(keys),
                )
                for (full_name, native), keys in zip(names, keys_of, strict=True)
            ]
        )
        PersonNameKey.objects.bulk_create(
            [
                PersonNameKey(person_id=person.pk, key=key)
                for person, keys in zip(people, keys_of, strict=True)
                for key in keys
            ],
            batch_size=10_000,
        )
        made.extend(
            (person.pk, full_name, native)
            for person, (full_name, native) in zip(people, names, strict=True)
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    keys = PersonNameKey.objects.count()
    print(f"made {count:,} people and {keys:,} name keys in {time.perf_counter() - started:.1f} s")
    return made


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


def _russian_form(native: str, generator: random.Random) -> str:
    given, family = native.split(" ", 1)
    if family.endswith(("ов", "ев", "ин")):
        family += generator.choice(["а", "у", "ым", "е"])
    return f"{given} {family}"


def detection_text(
    people: list[tuple[int, str, str]], generator: random.Random
) -> tuple[str, set[int]]:
    """About 30,000 characters: the seed texts' prose with known people's names woven in."""
    root = Path(__file__).resolve().parents[2]
    prose = " ".join(
        path.read_text(encoding="utf-8")
        for path in sorted((root / "seeds" / "texts").glob("*.txt"))
    ).split(". ")
    parts: list[str] = []
    named: set[int] = set()
    length = 0
    while True:
        person_id, full_name, native = generator.choice(people)
        if native and generator.random() < 0.4:
            name = _russian_form(native, generator)
        else:
            name = full_name
        sentence = f"{generator.choice(prose).strip()}, as {name} said. "
        if length + len(sentence) > TEXT_CHARS:
            # Fill up to the length with prose that names nobody.
            parts.append((" ".join(prose) * 2)[: TEXT_CHARS - length])
            break
        parts.append(sentence)
        named.add(person_id)
        length += len(sentence)
    return "".join(parts), named


def detection_speed(people: list[tuple[int, str, str]]) -> None:
    """Three honest figures: building the index from the database (paid by the first
    detection in a process and after any name changes), a detection with the index already
    built (the usual case: the fingerprint check plus the scan), and the scan alone."""
    from advocacy.detection import (
        document_text_find_people,
        name_index_build,
        name_index_find,
        name_index_forget,
    )
    from casework.names import name_parts

    def forget_parsed_names() -> None:
        # name_parts memoises; each build is measured as a fresh process would pay it.
        getattr(name_parts, "cache_clear", lambda: None)()

    generator = random.Random(11)
    text, named = detection_text(people, generator)
    forget_parsed_names()
    cpu_started = time.process_time()
    started = time.perf_counter()
    index = name_index_build()
    build_cpu = time.process_time() - cpu_started
    build = time.perf_counter() - started
    scans = []
    for _ in range(5):
        started = time.perf_counter()
        detected = name_index_find(index=index, text=text)
        scans.append(time.perf_counter() - started)
    del index
    name_index_forget()
    forget_parsed_names()
    started = time.perf_counter()
    document_text_find_people(text=text)
    cold = time.perf_counter() - started
    warm = []
    for _ in range(5):
        started = time.perf_counter()
        detected = document_text_find_people(text=text)
        warm.append(time.perf_counter() - started)
    found = {name.person_id for name in detected}
    # Someone records a new person: the next detection rebuilds, parsing only the new names.
    from casework.models import Organisation, Person

    Person.objects.create(
        full_name="Bench Newcomer",
        native_name="Бенч Ньюкомер",
        owning_organisation=Organisation.objects.order_by("pk").first(),
    )
    started = time.perf_counter()
    document_text_find_people(text=text)
    after_change = time.perf_counter() - started
    print(
        f"detection over {len(text):,} characters against {len(people):,} generated people "
        f"(+ seed people): {len(detected)} mentions of {len(found)} people "
        f"({len(found & named)} of the {len(named)} people woven into the text)"
    )
    print(f"  index build from the database: {build:.2f} s ({build_cpu:.2f} s CPU)")
    print(
        f"  first detection in a process (builds the index): {cold:.2f} s; "
        f"with the index built (name checksum + scan): median "
        f"{statistics.median(warm) * 1000:.0f} ms, max {max(warm) * 1000:.0f} ms "
        f"(target <= 0.5 s); the scan alone: median {statistics.median(scans) * 1000:.0f} ms"
    )
    print(
        f"  first detection after a person was added (rebuilds, parsing only new names): "
        f"{after_change:.2f} s"
    )
    print(f"  load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    if "--child" in sys.argv:
        _child()
    else:
        main()
