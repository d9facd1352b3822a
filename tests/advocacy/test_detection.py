"""advocacy.detection: the known people a text names, with exact offsets."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from advocacy.detection import (
    document_text_find_people,
    name_index_build,
    name_index_current,
    name_index_find,
    name_index_from_names,
)
from casework.models import Person
from casework.names import NAME_MATCH_THRESHOLD, name_match_score, name_parts
from tests.casework.test_names import PAIRS_FILE
from tests.factories import PersonAliasFactory, PersonFactory


@pytest.fixture
def known_people(db):
    people = {
        "zhumagulov": PersonFactory(full_name="Almat Zhumagulov", native_name="Алмат Жумагулов"),
        "dulat": PersonFactory(full_name="Dulat Agadil", native_name="Дулат Агадил"),
        "zhanbolat": PersonFactory(full_name="Zhanbolat Agadil", native_name="Жанболат Агадил"),
        "kenzhebek": PersonFactory(full_name="Kenzhebek Abishev"),
        "aset": PersonFactory(full_name="Aset Abishev"),
        "tuletaeva": PersonFactory(full_name="Roza Tuletaeva", native_name="Роза Тулетаева"),
        "zheksebayev": PersonFactory(full_name="Askhat Zheksebayev"),
        "kusmankyzy": PersonFactory(full_name="Saltanat Kusmankyzy"),
    }
    PersonAliasFactory(person=people["zheksebayev"], name="Асхат Жексебаев")
    return people


def found(text: str, **kwargs) -> list[tuple[int, str]]:
    detected = document_text_find_people(text=text, **kwargs)
    for name in detected:
        assert text[name.start : name.end] == name.matched_text
    return [(name.person_id, name.matched_text) for name in detected]


@pytest.mark.parametrize(
    "written",
    ["Жумагулова", "Жумагулову", "Жумагуловым", "Жумагулове", "Жумагулов"],
)
def test_it_finds_a_russian_case_form_of_a_name_named_in_full(known_people, written):
    person = known_people["zhumagulov"]
    text = f"Алмат Жумагулов осуждён. Суд оставил {written} в колонии."
    assert found(text) == [(person.pk, "Алмат Жумагулов"), (person.pk, written)]


def test_it_finds_a_full_name_in_russian_case_forms(known_people):
    text = "Европарламент призвал освободить Алмата Жумагулова и Розу Тулетаеву."
    assert found(text) == [
        (known_people["zhumagulov"].pk, "Алмата Жумагулова"),
        (known_people["tuletaeva"].pk, "Розу Тулетаеву"),
    ]


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("We met Mr Zhumagulov in Astana.", "Zhumagulov"),
        ("We met A. Zhumagulov in Astana.", "A. Zhumagulov"),
        ("We met Zhumagulov Almat in Astana.", "Zhumagulov Almat"),
        ("We met ZHUMAGULOV Almat in Astana.", "ZHUMAGULOV Almat"),
        ("We met Almat Jumagulov in Astana.", "Almat Jumagulov"),
        ("We met Mr. A. Zhumagulov in Astana.", "A. Zhumagulov"),
    ],
)
def test_it_finds_titles_initials_and_either_order(known_people, text, matched):
    assert found(text) == [(known_people["zhumagulov"].pk, matched)]


def test_it_finds_a_name_broken_across_a_line_break(known_people):
    text = "the release of Almat\nZhumagulov and of Askhat Zheksebay-\nev, both DCK activists"
    assert found(text) == [
        (known_people["zhumagulov"].pk, "Almat\nZhumagulov"),
        (known_people["zheksebayev"].pk, "Askhat Zheksebay-\nev"),
    ]


def test_it_gives_offsets_into_the_original_text_and_the_sentence(known_people):
    text = "Preamble.\n\n  B. Whereas Askhat Zheksebayev was sentenced to seven years. Next point."
    (detected,) = document_text_find_people(text=text)
    assert text[detected.start : detected.end] == "Askhat Zheksebayev"
    assert detected.start == text.index("Askhat")
    assert detected.sentence == "B. Whereas Askhat Zheksebayev was sentenced to seven years."
    assert detected.name == "Askhat Zheksebayev"


def test_it_does_not_confuse_father_and_son(known_people):
    text = "Dulat Agadil died in custody; his son Zhanbolat Agadil was killed later."
    assert found(text) == [
        (known_people["dulat"].pk, "Dulat Agadil"),
        (known_people["zhanbolat"].pk, "Zhanbolat Agadil"),
    ]


def test_it_does_not_confuse_brothers_listed_together(known_people):
    text = "Almat Zhumagulov, Aset Abishev and Kenzhebek Abishev received long sentences."
    assert [person for person, _ in found(text)] == [
        known_people["zhumagulov"].pk,
        known_people["aset"].pk,
        known_people["kenzhebek"].pk,
    ]


def test_it_takes_a_surname_alone_for_the_one_person_named_in_full(known_people):
    text = "Kenzhebek Abishev was sentenced. Abishev appealed."
    assert found(text) == [
        (known_people["kenzhebek"].pk, "Kenzhebek Abishev"),
        (known_people["kenzhebek"].pk, "Abishev"),
    ]


def test_it_does_not_take_an_ambiguous_surname_alone(known_people):
    assert found("Mr Abishev appealed.") == []
    assert found("Dulat Agadil and Zhanbolat Agadil. Agadil died.") == [
        (known_people["dulat"].pk, "Dulat Agadil"),
        (known_people["zhanbolat"].pk, "Zhanbolat Agadil"),
    ]


def test_it_takes_a_surname_alone_when_only_one_known_person_has_it(known_people):
    assert found("Ms Tuletaeva was released on parole.") == [
        (known_people["tuletaeva"].pk, "Tuletaeva")
    ]


def test_it_does_not_take_a_given_name_alone_or_a_lower_case_word(known_people):
    assert found("Almat went home. The almat zhumagulov string is not a name.") == []


def test_it_finds_an_alias_in_russian(known_people):
    text = "Асхат Жексебаев приговорён к семи годам."
    assert found(text) == [(known_people["zheksebayev"].pk, "Асхат Жексебаев")]


def test_it_only_finds_the_people_it_is_given(known_people):
    people = Person.objects.filter(pk=known_people["aset"].pk)
    text = "Almat Zhumagulov and Aset Abishev."
    assert found(text, people=people) == [(known_people["aset"].pk, "Aset Abishev")]


def test_it_loads_the_index_in_a_bounded_number_of_queries(
    known_people, django_assert_max_num_queries
):
    PersonFactory.create_batch(10)
    with django_assert_max_num_queries(2):
        index = name_index_build()
    assert name_index_find(index=index, text="Saltanat Kusmankyzy spoke.")[0].person_id == (
        known_people["kusmankyzy"].pk
    )


def test_it_does_not_take_a_surname_beside_an_unknown_given_name(known_people):
    people = Person.objects.filter(pk=known_people["kenzhebek"].pk)
    assert found("The court sentenced Aset Abishev.", people=people) == []
    assert found("The court sentenced Abishev.", people=people) == [
        (known_people["kenzhebek"].pk, "Abishev")
    ]


# --- The per-process index ----------------------------------------------------------


def test_it_keeps_the_index_between_detections_while_no_name_changes(
    known_people, django_assert_max_num_queries
):
    first = name_index_current()
    with django_assert_max_num_queries(2):  # the fingerprint only: no rebuild
        again = name_index_current()
    assert again is first
    assert found("Roza Tuletaeva spoke.") == [(known_people["tuletaeva"].pk, "Roza Tuletaeva")]


def test_it_finds_a_person_added_after_the_index_was_built(known_people):
    assert found("Nurlan Sadykov was detained.") == []
    person = PersonFactory(full_name="Nurlan Sadykov")
    assert found("Nurlan Sadykov was detained.") == [(person.pk, "Nurlan Sadykov")]


def test_it_finds_a_person_added_without_signals_after_the_index_was_built(known_people):
    # Imports and scripts may insert in bulk: no post_save, so the database must tell.
    assert found("Marat Ospanov was detained.") == []
    (person,) = Person.objects.bulk_create(
        [
            Person(
                full_name="Marat Ospanov",
                owning_organisation=known_people["aset"].owning_organisation,
            )
        ]
    )
    name_index_current()  # whatever the in-process counter says, the fingerprint differs
    assert [person_id for person_id, _ in found("Marat Ospanov was detained.")] == [person.pk]


def test_it_finds_a_renamed_person_by_the_new_name_and_not_the_old(known_people):
    person = known_people["kusmankyzy"]
    assert found("Saltanat Kusmankyzy spoke.") == [(person.pk, "Saltanat Kusmankyzy")]
    person.full_name = "Saltanat Bekova"
    person.save()
    assert found("Saltanat Bekova spoke.") == [(person.pk, "Saltanat Bekova")]
    assert found("Saltanat Kusmankyzy spoke.") == []


def test_it_sees_a_rename_by_another_process_on_postgresql(known_people):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the checksum over the names is PostgreSQL's; SQLite relies on updated_at")
    person = known_people["kusmankyzy"]
    assert found("Saltanat Kusmankyzy spoke.") == [(person.pk, "Saltanat Kusmankyzy")]
    # QuerySet.update sends no signal and leaves updated_at alone, as a script would.
    Person.objects.filter(pk=person.pk).update(full_name="Saltanat Bekova")
    assert found("Saltanat Bekova spoke.") == [(person.pk, "Saltanat Bekova")]


def test_it_finds_a_person_by_an_alias_added_after_the_index_was_built(known_people):
    person = known_people["aset"]
    assert found("Batyr Kemelov spoke.") == []
    PersonAliasFactory(person=person, name="Batyr Kemelov")
    assert found("Batyr Kemelov spoke.") == [(person.pk, "Batyr Kemelov")]


def test_it_stops_finding_an_archived_person(known_people, caseworker):
    from casework.archive import person_archive

    person = known_people["kenzhebek"]
    assert found("Kenzhebek Abishev spoke.") == [(person.pk, "Kenzhebek Abishev")]
    person_archive(person=person, by=caseworker)
    assert found("Kenzhebek Abishev spoke.") == []


# --- Audited cases: relatives, initials, family names alone, patronymics -------------


def test_it_credits_a_d_initial_to_the_father_only(known_people):
    assert found("D. Agadil was killed.") == [(known_people["dulat"].pk, "D. Agadil")]
    assert found("Zh. Agadil was killed.") == [(known_people["zhanbolat"].pk, "Zh. Agadil")]
    son_only = Person.objects.filter(pk=known_people["zhanbolat"].pk)
    assert found("D. Agadil was killed.", people=son_only) == []


@pytest.mark.parametrize(
    "text",
    [
        "The court heard Aset Zhumagulov.",  # Aset is a known given name (Aset Abishev)
        "Aset Zhumagulov was detained.",
        "The court heard Bauyrzhan Zhumagulov.",  # a given name nobody on file has
        "Bauyrzhan Zhumagulov was detained.",
        "Айгуль Жумагулова выступила.",
        "Zhumagulov D. was detained.",
    ],
)
def test_it_does_not_take_a_family_name_beside_someone_elses_given_name(known_people, text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("Mr Zhumagulov appealed.", "Zhumagulov"),
        ("The activist Zhumagulov appealed.", "Zhumagulov"),
        ("Later Zhumagulov appealed.", "Zhumagulov"),
        ("Адвокат Жумагулова заявила протест.", "Жумагулова"),
        ("Перед Жумагуловым выступил прокурор.", "Жумагуловым"),
        ("Заключённого Жумагулова перевели.", "Жумагулова"),
    ],
)
def test_it_takes_a_family_name_after_a_title_or_a_common_word(known_people, text, matched):
    assert found(text) == [(known_people["zhumagulov"].pk, matched)]


def test_it_finds_a_variant_spelling_of_the_given_name_through_the_names_module(known_people):
    assert found("Rosa Tuletaeva was released.") == [
        (known_people["tuletaeva"].pk, "Rosa Tuletaeva")
    ]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Алмат Серикович Жумагулов осуждён.", "zhumagulov"),
        ("Almat Serikovich Zhumagulov was sentenced.", "zhumagulov"),
        ("Суд над Алматом Сериковичем Жумагуловым.", "zhumagulov"),
        ("А.С. Жумагулов осуждён.", "zhumagulov"),
        ("Zhanbolat Dulatuly Agadil was killed.", "zhanbolat"),
        ("Saltanat Kusman-kyzy spoke.", "kusmankyzy"),
        ("Выступила Салтанат Кусман қызы.", "kusmankyzy"),
        ("The defendants: Abishev, Kenzhebek and others.", "kenzhebek"),
    ],
)
def test_it_reads_patronymics_kazakh_particles_and_inverted_names(known_people, text, key):
    detected = document_text_find_people(text=text)
    assert [name.person_id for name in detected] == [known_people[key].pk]
    assert detected[0].matched_text[0].isupper() and detected[0].matched_text in text


def test_it_does_not_join_a_family_name_to_the_next_persons_given_name(known_people):
    assert found("Abishev, Almat Zhumagulov and others.") == [
        (known_people["zhumagulov"].pk, "Almat Zhumagulov")
    ]


def test_it_tells_namesakes_apart_by_their_patronymic(db):
    ivanovich = PersonFactory(full_name="Vladimir Kozlov", native_name="Владимир Иванович Козлов")
    petrovich = PersonFactory(full_name="Vladimir Kozlov", native_name="Владимир Петрович Козлов")
    assert found("Vladimir Ivanovich Kozlov spoke.") == [
        (ivanovich.pk, "Vladimir Ivanovich Kozlov")
    ]
    assert found("Козлова Владимира Петровича освободили.") == [
        (petrovich.pk, "Козлова Владимира Петровича")
    ]


def test_it_keeps_the_dot_of_a_final_initial_and_does_not_end_a_sentence_at_an_initial(
    known_people,
):
    text = "Preamble. Jeksebaev A. was tried with Zh. Agadil in 2019. Next point."
    detected = document_text_find_people(text=text)
    assert [(name.matched_text, name.sentence) for name in detected] == [
        ("Jeksebaev A.", "Jeksebaev A. was tried with Zh. Agadil in 2019."),
        ("Zh. Agadil", "Jeksebaev A. was tried with Zh. Agadil in 2019."),
    ]


# --- Detection is the names module's decision ---------------------------------------


def test_it_detects_a_name_exactly_when_the_names_module_matches_it():
    """Every labelled pair, one name on file and the other written in a text: detection
    proposes the person exactly when name_match_score reaches NAME_MATCH_THRESHOLD, so the
    measured F1 of the names module is the F1 of detection on full names."""
    with PAIRS_FILE.open(encoding="utf-8") as pairs_file:
        rows = list(csv.DictReader(pairs_file, delimiter="\t"))
    disagreements = []
    for row in rows:
        for on_file, written in ((row["first"], row["second"]), (row["second"], row["first"])):
            if len(name_parts(written).full_words) < 2 and not name_parts(written).initials:
                continue  # a family name alone is decided by the document, below the threshold
            index = name_index_from_names({1: [on_file]})
            detected = bool(name_index_find(index=index, text=f"We met {written} there."))
            matched = name_match_score(written, on_file) >= NAME_MATCH_THRESHOLD
            if detected != matched:
                disagreements.append((on_file, written, detected))
    assert disagreements == []


# --- The labelled detection set -------------------------------------------------------

DETECTION_SET_FILE = Path(__file__).with_name("detection_set.yaml")


def detection_set_quality() -> tuple[float, float, int, int]:
    """Precision and recall of detection on tests/advocacy/detection_set.yaml, counting
    (person, start, end) of every mention; also the numbers of texts and mentions."""
    data = yaml.safe_load(DETECTION_SET_FILE.read_text(encoding="utf-8"))
    ids = {key: number for number, key in enumerate(data["people"], start=1)}
    index = name_index_from_names({ids[key]: list(names) for key, names in data["people"].items()})
    expected: set[tuple[int, int, int, int]] = set()
    detected: set[tuple[int, int, int, int]] = set()
    for number, sample in enumerate(data["texts"]):
        text = sample["text"]
        position = 0
        for key, matched in sample["mentions"]:
            start = text.index(matched, position)
            position = start + len(matched)
            expected.add((number, ids[key], start, position))
        detected |= {
            (number, name.person_id, name.start, name.end)
            for name in name_index_find(index=index, text=text)
        }
    right = len(expected & detected)
    precision = right / len(detected) if detected else 1.0
    recall = right / len(expected) if expected else 1.0
    return precision, recall, len(data["texts"]), len(expected)


def test_it_finds_every_labelled_mention_and_nothing_else(db):
    precision, recall, texts, mentions = detection_set_quality()
    assert texts >= 15 and mentions >= 45
    assert (precision, recall) == (1.0, 1.0)


def test_it_reads_an_apostrophe_inside_a_name_but_not_a_possessive(db):
    sokolova = PersonFactory(full_name="Natalya Sokolova")
    ablyazov = PersonFactory(full_name="Mukhtar Ablyazov")
    assert found("Natal'ya Sokolova and Mukhtar Ablyazov's lawyer spoke.") == [
        (sokolova.pk, "Natal'ya Sokolova"),
        (ablyazov.pk, "Mukhtar Ablyazov"),
    ]


def test_it_reads_a_single_letter_with_a_dot_as_an_initial_not_a_title(db):
    mukhtar = PersonFactory(full_name="Mukhtar Ablyazov")
    PersonFactory(full_name="Aset Ablyazov")
    assert found("M. Ablyazov was granted asylum.") == [(mukhtar.pk, "M. Ablyazov")]


def test_it_takes_a_family_name_after_a_month(known_people):
    assert found("In January Zhumagulov was moved to another colony.") == [
        (known_people["zhumagulov"].pk, "Zhumagulov")
    ]
