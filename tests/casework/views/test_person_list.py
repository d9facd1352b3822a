"""The people list (/people/): search by any spelling, pages, htmx fragments."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from casework.models import Membership, Person
from tests.factories import CaseFactory, PersonFactory
from tests.support.catalogues import translations_given


def test_it_lists_people_and_their_visible_cases(client_as_caseworker, zhumagulov):
    case = CaseFactory(person=zhumagulov, reference="KZ-0001")
    response = client_as_caseworker.get("/people/")
    assert response.status_code == 200
    assert "Almat Zhumagulov" in response.text
    assert case.reference in response.text


def test_it_shows_an_empty_state(client_as_caseworker):
    assert "No people on file yet" in client_as_caseworker.get("/people/").text


@pytest.mark.parametrize("query", ["Жумагулов", "Jumagulov", "Almat Zhumagulov"])
def test_it_finds_a_person_by_any_spelling(client_as_caseworker, zhumagulov, query):
    PersonFactory(full_name="Someone Else")
    response = client_as_caseworker.get("/people/", {"q": query})
    assert "Almat Zhumagulov" in response.text
    assert "Someone Else" not in response.text


def test_it_says_when_nobody_matches(client_as_caseworker, zhumagulov):
    assert (
        "Nobody matches this name" in client_as_caseworker.get("/people/", {"q": "Nazarbayev"}).text
    )


def test_it_hides_people_of_another_organisation_from_a_partner(
    client_as_partner, zhumagulov, partner_organisation
):
    CaseFactory(person=zhumagulov)
    PersonFactory(full_name="Partner Person", owning_organisation=partner_organisation)
    response = client_as_partner.get("/people/")
    assert "Partner Person" in response.text
    assert "Almat Zhumagulov" not in response.text
    assert client_as_partner.get(f"/people/{zhumagulov.pk}/").status_code == 404


@pytest.mark.parametrize("number", [5, 500])
def test_it_lists_people_in_a_bounded_number_of_queries(
    client_as_caseworker, host, number, django_assert_max_num_queries
):
    Person.objects.bulk_create(
        [Person(full_name=f"Bulk {index}", owning_organisation=host) for index in range(number)]
    )
    client_as_caseworker.get("/people/")
    with django_assert_max_num_queries(12):
        response = client_as_caseworker.get("/people/")
    assert "Bulk" in response.text


def test_it_returns_only_the_results_to_htmx(client_as_caseworker, zhumagulov):
    response = client_as_caseworker.get(
        "/people/", {"q": "Жумагулов"}, headers={"HX-Request": "true"}
    )
    assert "Almat Zhumagulov" in response.text
    assert "<html" not in response.text


def test_it_returns_the_whole_page_to_an_htmx_history_restore(client_as_caseworker, zhumagulov):
    response = client_as_caseworker.get(
        "/people/",
        {"q": "Жумагулов"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.text
    assert "Almat Zhumagulov" in response.text


@pytest.mark.parametrize(
    ("query", "field"), [("Yerlan Kaliyev", "full_name"), ("Ерлан Калиев", "native_name")]
)
def test_it_carries_the_searched_name_to_a_new_case_when_nobody_matches(
    client_as_caseworker, query, field
):
    response = client_as_caseworker.get("/people/", {"q": query})
    link = f"/cases/new/?name={quote(query)}"
    assert link in response.text
    form = client_as_caseworker.get(link)
    assert form.context["person_form"][field].value() == query
    assert 'hx-trigger="load, ' in form.text  # the similar-name hint asks at once


def test_it_words_the_search_boxs_placeholder_in_the_readers_language(
    client_as_caseworker, caseworker, monkeypatch
):
    translations_given(
        monkeypatch, "ru", {"Any spelling or script": "Любое написание или письменность"}
    )
    Membership.objects.filter(user=caseworker).update(language="ru")
    text = client_as_caseworker.get("/people/").text
    assert 'placeholder="Любое написание или письменность"' in text


def test_it_lists_the_exact_name_before_one_found_another_way(client_as_caseworker):
    PersonFactory(full_name="Yerzhan Seitkali", native_name="Ержан Сейтқали")
    PersonFactory(full_name="Yerzhan Seitkaliyev", native_name="Ержан Сейткалиев")
    response = client_as_caseworker.get("/people/", {"q": "Сейткалиев"})
    shown = [person.full_name for person in response.context["page"].rows]
    # The Kazakh form comes first by name, but the Russian form is the name typed.
    assert shown == ["Yerzhan Seitkaliyev", "Yerzhan Seitkali"]
