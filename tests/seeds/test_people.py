"""seeds.people: the people the texts name and their cases, only as the texts give them."""

from __future__ import annotations

import pytest

from casework.models import Case, Confidentiality, Organisation, Person, Status
from casework.search import people_matching_name
from tests.seeds.seeded import case_of

NAMED_IN_THE_BRIEF = [
    "Vladimir Kozlov",
    "Vadim Kuramshin",
    "Roza Tuletaeva",
    "Almat Zhumagulov",
    "Kenzhebek Abishev",
    "Aset Abishev",
    "Askhat Zheksebayev",
    "Kairat Klyshev",
    "Dulat Agadil",
    "Zhanbolat Agadil",
    "Dametkan Aspandiyarova",
    "Saltanat Kusmankyzy",
    "Lukpan Akhmedyarov",
    "Saniya Toiken",
    "Bota Jardemalie",
    "Mukhtar Ablyazov",
]


def test_it_loads_at_least_25_people_each_with_a_public_case_of_the_host(seeded):
    host = Organisation.objects.get(slug="demo-ngo")

    assert host.kind == Organisation.Kind.HOST and host.name == "Advocase Demo NGO"
    assert Organisation.objects.get(slug="kibhr").kind == Organisation.Kind.PARTNER
    assert Person.objects.count() >= 25
    assert not Person.objects.filter(cases__isnull=True).exists()
    assert set(Case.objects.values_list("owning_organisation_id", flat=True)) == {host.pk}
    assert set(Case.objects.values_list("confidentiality", flat=True)) == {Confidentiality.PUBLIC}
    assert all(
        reference.startswith("SEED-")
        for reference in Case.objects.values_list("reference", flat=True)
    )


@pytest.mark.parametrize("full_name", NAMED_IN_THE_BRIEF)
def test_every_person_named_in_the_brief_is_there(seeded, full_name):
    assert Person.objects.filter(full_name=full_name).count() == 1


def test_kozlov_is_imprisoned_with_neither_sentence_nor_article_as_no_seed_text_gives_them(seeded):
    case = case_of("Vladimir Kozlov")

    assert case.status == Status.IMPRISONED
    assert case.sentence == ""
    assert not case.charges.exists()
    assert "vague criminal charges" in case.summary
    assert list(case.person.affiliations.values_list("slug", flat=True)) == ["alga"]
    assert case.person.occupation == Person.Occupation.POLITICIAN


def test_the_facts_the_2021_texts_give_are_recorded(seeded):
    kusmankyzy = case_of("Saltanat Kusmankyzy")
    aspandiyarova = case_of("Dametkan Aspandiyarova")
    zhumagulov = case_of("Almat Zhumagulov")
    jardemalie = case_of("Bota Jardemalie")

    # Sentenced, says the foundation; whether and since when she is imprisoned, no text.
    assert (kusmankyzy.status, kusmankyzy.sentence) == (Status.UNKNOWN, "8 years of imprisonment")
    assert kusmankyzy.person.gender == Person.Gender.FEMALE
    assert aspandiyarova.status == Status.HOUSE_ARREST
    assert (zhumagulov.status, zhumagulov.sentence) == (Status.IMPRISONED, "long prison term")
    assert set(zhumagulov.person.affiliations.values_list("short_name", flat=True)) == {"DCK"}
    assert jardemalie.status == Status.IN_EXILE
    assert jardemalie.concern_transnational_repression
    assert jardemalie.person.occupation == Person.Occupation.LAWYER


def test_what_no_text_says_stays_unknown(seeded):
    for full_name in ("Ulasbek Akhmetov", "Lukpan Akhmedyarov", "Gyuzyal Bayadalinova"):
        case = case_of(full_name)
        assert case.status == Status.UNKNOWN
        assert case.status_since is None
        assert case.sentence == ""
        assert not case.events.exists()
    assert not Person.objects.exclude(native_name="").exists()  # no text gives a Cyrillic name
    assert not Case.objects.exclude(detained_on=None).exists()  # nor a detention date


def test_dulat_and_zhanbolat_agadil_are_two_people(seeded):
    father = case_of("Dulat Agadil")
    son = case_of("Zhanbolat Agadil")

    assert father.person_id != son.person_id
    assert father.status == Status.DIED_IN_CUSTODY
    assert son.status == Status.KILLED
    # The texts never say he is Dulat Agadil's son: the record says it is an inference.
    assert "Inferred, not stated: that he is the 17-year-old son" in son.person.biography
    assert son.person.gender == ""
    inference = son.person.provenance.get(basis="inferred")
    assert "that the son is Zhanbolat Agadil is not said" in inference.note


def test_seed_people_are_found_by_other_spellings_of_their_names(seeded):
    for query in ("Жумагулов", "Jumagulov", "Almat Zhumagulov"):
        found = people_matching_name(people=Person.objects.all(), query=query)
        assert "Almat Zhumagulov" in set(found.values_list("full_name", flat=True)), query
