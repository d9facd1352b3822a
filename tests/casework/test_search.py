"""casework.search: people and cases found by any spelling, through the stored name keys."""

from __future__ import annotations

import pytest

from casework.models import Person
from casework.search import cases_matching_name, people_matching_name
from casework.visibility import cases_visible_to
from tests.factories import CaseFactory, PersonAliasFactory, PersonFactory


@pytest.fixture
def zhumagulov(db):
    return PersonFactory(full_name="Almat Zhumagulov", native_name="Алмат Жумагулов")


@pytest.fixture
def agadil_family(db):
    father = PersonFactory(full_name="Dulat Agadil", native_name="Дулат Агадил")
    son = PersonFactory(full_name="Zhanbolat Agadil")
    return father, son


@pytest.fixture
def abishev_brothers(db):
    return PersonFactory(full_name="Kenzhebek Abishev"), PersonFactory(full_name="Aset Abishev")


def found(query: str) -> set[str]:
    return set(
        people_matching_name(people=Person.objects.all(), query=query).values_list(
            "full_name", flat=True
        )
    )


@pytest.mark.parametrize(
    "query",
    [
        "Almat Zhumagulov",
        "Жумагулов",
        "Jumagulov",
        "Zhumagulov A.",
        "A. Zhumagulov",
        "Алмат Жумагулов",
        "ZHUMAGULOV, Almat",
        "Жумагулова",
        "Алмата Жумагулова",
        "Dzhumagulov Almat",
    ],
)
def test_it_finds_a_person_by_any_spelling(zhumagulov, query):
    assert found(query) == {"Almat Zhumagulov"}


def test_it_finds_a_person_by_an_alias(db):
    person = PersonFactory(full_name="Askhat Zheksebayev")
    PersonAliasFactory(person=person, name="Ashat Zheksebaev Serikovich")
    assert found("Жексебаев Асхат") == {"Askhat Zheksebayev"}


def test_it_does_not_return_the_son_for_the_fathers_full_name(agadil_family):
    assert found("Dulat Agadil") == {"Dulat Agadil"}
    assert found("Жанболат Агадил") == {"Zhanbolat Agadil"}
    assert found("Agadil") == {"Dulat Agadil", "Zhanbolat Agadil"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("D. Agadil", {"Dulat Agadil"}),
        ("Д. Агадил", {"Dulat Agadil"}),
        ("Agadil D.", {"Dulat Agadil"}),
        ("Zh. Agadil", {"Zhanbolat Agadil"}),
        ("Ж. Агадил", {"Zhanbolat Agadil"}),
        ("J. Agadil", {"Zhanbolat Agadil"}),
        ("Z. Agadil", {"Zhanbolat Agadil"}),
    ],
)
def test_it_finds_father_or_son_by_the_initial_of_a_spelling_they_have(
    agadil_family, query, expected
):
    assert found(query) == expected


def test_it_finds_a_dzh_spelling_by_d_and_by_j_but_not_by_zh(db):
    PersonFactory(full_name="Dzhamilya Sadykova")
    assert found("D. Sadykova") == found("J. Sadykova") == {"Dzhamilya Sadykova"}
    assert found("Дж. Садыкова") == {"Dzhamilya Sadykova"}
    assert found("Zh. Sadykova") == set()


def test_it_does_not_return_a_brother_for_a_full_name_or_initial_query(abishev_brothers):
    assert found("Kenzhebek Abishev") == {"Kenzhebek Abishev"}
    assert found("Abishev A.") == {"Aset Abishev"}
    assert found("K. Abishev") == {"Kenzhebek Abishev"}


def test_it_follows_a_name_change_on_save(zhumagulov):
    # (Not to "Jumagul": that is Zhumagulov's Kazakh form, which search finds.)
    zhumagulov.full_name = "Almat Jumabek"
    zhumagulov.native_name = ""
    zhumagulov.save()
    assert found("Zhumagulov") == set()
    assert found("Jumabek Almat") == {"Almat Jumabek"}


def test_it_finds_nothing_for_a_query_of_no_letters(zhumagulov):
    assert found("  ,. 42 ") == set()


def test_it_finds_cases_by_name_or_reference_within_what_the_user_sees(caseworker, zhumagulov):
    case = CaseFactory(person=zhumagulov, reference="KZ-2021-0007")
    CaseFactory(person=PersonFactory(full_name="Aset Abishev"))
    visible = cases_visible_to(caseworker)
    assert list(cases_matching_name(cases=visible, query="Жумагулов")) == [case]
    assert list(cases_matching_name(cases=visible, query="kz-2021-0007")) == [case]


def test_it_searches_in_four_queries_whatever_the_number_of_people(
    db, zhumagulov, django_assert_max_num_queries
):
    for surname in ("Abishev", "Agadil", "Klyshev", "Zhumabekov", "Zhumagulova"):
        PersonFactory(full_name=f"Almat {surname}")
    PersonFactory.create_batch(20)
    # The exact keys; which words of the query someone holds (the others may be near
    # spellings); the names of the people a near spelling may name, and their aliases.
    with django_assert_max_num_queries(4):
        assert found("Алмат Жумагулов") == {"Almat Zhumagulov"}


@pytest.fixture
def tuletaeva(db):
    return PersonFactory(full_name="Roza Tuletaeva", native_name="Роза Тулетаева")


@pytest.mark.parametrize(
    "query",
    ["Roza Tuleteeva", "Tuleteeva", "Роза Тулетеева", "Rosa Tuletaieva", "Tuletaeva Roza"],
)
def test_it_finds_a_person_by_a_spelling_a_letter_off(tuletaeva, query):
    PersonFactory(full_name="Aigul Tulegenova")  # a family name further off stays out
    assert found(query) == {"Roza Tuletaeva"}


@pytest.mark.parametrize(
    "query", ["Тулетаеваның", "Роза Тулетаеваға", "Tuletaevanyñ", "Роза Тулетееваның"]
)
def test_it_finds_a_person_by_a_kazakh_case_form(tuletaeva, query):
    assert found(query) == {"Roza Tuletaeva"}


def test_it_does_not_find_a_person_a_consonant_off_or_of_the_other_sex(tuletaeva):
    assert found("Roza Tuletbaeva") == set()
    assert found("Tuletaev") == set()
    assert found("Aigul Tuleteeva") == set()
    PersonFactory(full_name="Aigul Tuleteeva")  # the spelling is someone's: not a near one
    assert found("Roza Tuleteeva") == set()


def test_it_puts_the_right_person_first_in_the_duplicate_warning(tuletaeva):
    from casework.cases import people_possible_duplicates

    PersonFactory(full_name="Roza Tuletbaeva")  # one consonant off: someone else
    PersonFactory(full_name="Aigul Tuletaeva")  # a relative
    duplicates = people_possible_duplicates(
        people=Person.objects.all(), names=["Roza Tuleteeva", "Роза Тулетеева"]
    )
    assert [duplicate.person for duplicate in duplicates] == [tuletaeva]


def test_it_looks_up_no_near_spelling_for_words_someone_holds_in_some_case(
    tuletaeva, django_assert_num_queries
):
    from casework.search import person_ids_near_name

    # "Тулетаевой" reads as tuletaevoi too, which nobody holds; tuletaeva is hers.
    with django_assert_num_queries(1):  # which words someone holds: every one
        assert person_ids_near_name(query="Роза Тулетаевой") == []


def test_it_finds_the_near_spelling_only_among_the_people_given(tuletaeva):
    from casework.search import person_ids_near_name

    others = Person.objects.exclude(pk=tuletaeva.pk)
    assert person_ids_near_name(query="Roza Tuleteeva", people=others) == []
    assert person_ids_near_name(query="Roza Tuleteeva") == [tuletaeva.pk]


@pytest.mark.parametrize(
    "query", ["Akhmedjarov", "Akhmediyarov", "Ахмедьяров", "Akhmedjarov L.", "Lukpan Akhmedjarov"]
)
def test_it_finds_a_family_name_alone_in_another_transliteration(db, query):
    PersonFactory(full_name="Lukpan Akhmedyarov", native_name="Лукпан Ахмедьяров")
    PersonFactory(full_name="Ulasbek Akhmetov")  # a family name further off stays out
    assert found(query) == {"Lukpan Akhmedyarov"}


def test_it_reads_an_ambiguous_spelling_both_ways_but_no_further(db):
    PersonFactory(full_name="Rustam Abdjalilov")  # Дж: the spelling's own reading
    PersonFactory(full_name="Rustam Abdyalilov")  # Дь + я: the other one
    PersonFactory(full_name="Rustam Abdalilov")  # a letter dropped: someone else
    assert found("Abdjalilov") == {"Rustam Abdjalilov", "Rustam Abdyalilov"}
    assert found("Abdyalilov") == {"Rustam Abdyalilov"}


def test_it_finds_an_ambiguous_spelling_on_file_by_its_other_reading(db):
    PersonFactory(full_name="Lukpan Akhmedjarov")
    assert found("Akhmedyarov") == {"Lukpan Akhmedjarov"}
    assert found("Ахмедьяров") == {"Lukpan Akhmedjarov"}


@pytest.fixture
def seitkali(db):
    person = PersonFactory(full_name="Yerzhan Seitkali", native_name="Ержан Сейтқали")
    # His relatives and namesakes a loose search would bring along.
    PersonFactory(full_name="Yerlan Seitkali")
    PersonFactory(full_name="Yerzhan Seitkaziev")
    PersonFactory(full_name="Bolat Zhanseitov")
    return person


@pytest.mark.parametrize("query", ["Yerzan Seitkali", "Ержн Сейткали", "Seitkali Yerzhn"])
def test_it_finds_a_person_by_a_given_name_a_keystroke_off(seitkali, query):
    assert found(query) == {"Yerzhan Seitkali"}


def test_it_takes_no_family_name_a_keystroke_off_for_a_typo(db):
    PersonFactory(full_name="Kenzhebek Zheksebayev")
    # Kenzhebek is nobody's family name: Zhexembayev is another family, not a typo.
    assert found("Kenzhebek Zhexembayev") == set()


@pytest.mark.parametrize(
    "query",
    [
        "Сейткалиев",
        "Seitkaliyev",
        "Сейткалиева",
        "Ержан Сейткалиев",
        "Yerzhan Seitkaliyev",
        "Сейткалиев Ержан",
    ],
)
def test_it_finds_a_kazakh_family_name_by_its_russian_form(seitkali, query):
    assert "Yerzhan Seitkali" in found(query)
    assert "Yerzhan Seitkaziev" not in found(query)


def test_it_finds_a_russian_family_name_by_its_kazakh_form_beside_the_given_name(db):
    PersonFactory(full_name="Zhumabayev Daulet", native_name="Жумабаев Даулет")
    PersonFactory(full_name="Daulet Zhumabekov")
    assert found("Даулет Жұмабай") == {"Zhumabayev Daulet"}
    assert found("Daulet Zhumabai") == {"Zhumabayev Daulet"}


def test_it_finds_no_given_name_holder_by_a_russian_family_form(db):
    PersonFactory(full_name="Bolat Serikov")
    PersonFactory(full_name="Aigul Bolat")
    assert found("Bolatov") == {"Aigul Bolat"}


@pytest.fixture
def bolat_children(db):
    son = PersonFactory(full_name="Yerzhan Seitkali", native_name="Ержан Болатұлы Сейтқали")
    russian = PersonFactory(full_name="Marat Ospanov", native_name="Оспанов Марат Болатович")
    daughter = PersonFactory(full_name="Aigerim Bolatkyzy")
    PersonFactory(full_name="Bolat Serikov")
    PersonFactory(full_name="Serik Bolatbekov", native_name="Серик Болатбекович Ахметов")
    return son, russian, daughter


@pytest.mark.parametrize(
    "query", ["Болатұлы", "Болатович", "Bolatuly", "Болатұлының", "Болатовича", "Bolat uly"]
)
def test_it_finds_a_son_by_his_patronymic_alone(bolat_children, query):
    assert found(query) == {"Yerzhan Seitkali", "Marat Ospanov"}


@pytest.mark.parametrize("query", ["Болатқызы", "Болатовна", "Bolatkyzy"])
def test_it_finds_a_daughter_by_her_patronymic_alone(bolat_children, query):
    assert found(query) == {"Aigerim Bolatkyzy"}


@pytest.mark.parametrize("query", ["Ержан Болатұлы", "Yerzhan Bolatuly"])
def test_it_finds_a_person_by_a_given_name_and_patronymic(bolat_children, query):
    PersonFactory(full_name="Yerzhan Serikuly Akhmetov", native_name="Ержан Серікұлы Ахметов")
    assert found(query) == {"Yerzhan Seitkali"}


def test_it_finds_a_person_by_a_given_name_and_a_russian_patronymic(bolat_children):
    # (As before, a given name beside a Russian patronymic also finds every Yerzhan.)
    assert "Yerzhan Seitkali" in found("Ержан Болатович")


def test_it_never_finds_another_family_by_a_full_name_with_a_patronymic(bolat_children):
    PersonFactory(full_name="Yerzhan Bolatuly Akhmetov", native_name="Ержан Болатұлы Ахметов")
    assert found("Ержан Болатұлы Сейтқали") == {"Yerzhan Seitkali"}
