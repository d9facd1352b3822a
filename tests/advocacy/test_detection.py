"""advocacy.detection: the known people a text names, with exact offsets."""

from __future__ import annotations

import pytest

from advocacy.detection import (
    document_text_find_people,
    name_index_build,
    name_index_current,
    name_index_find,
)
from casework.models import Person
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
