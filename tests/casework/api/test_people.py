"""People through the API: name search in any script, aliases, family contacts for staff
only, bounded queries."""

from __future__ import annotations

import pytest

from tests.factories import CaseFactory, PersonAliasFactory, PersonFactory


def test_it_finds_a_person_by_a_cyrillic_spelling(api_as, caseworker, host):
    person = PersonFactory(full_name="Almat Zhumagulov", owning_organisation=host)
    PersonFactory(full_name="Someone Else", owning_organisation=host)
    response = api_as(caseworker).get("/api/v1/people/", {"q": "Жумагулов"})
    assert [row["id"] for row in response.json()["results"]] == [person.pk]


def test_it_reads_a_person_with_their_aliases(api_as, caseworker, host):
    person = PersonFactory(full_name="Almat Zhumagulov", owning_organisation=host)
    PersonAliasFactory(person=person, name="Алмат Жумагулов", kind="native")
    response = api_as(caseworker).get(f"/api/v1/people/{person.pk}/")
    assert response.json()["aliases"] == [{"name": "Алмат Жумагулов", "kind": "native"}]


def test_it_never_shows_family_contacts_to_a_partner_user(
    api_as, partner_user, partner_organisation
):
    person = PersonFactory(
        owning_organisation=partner_organisation, family_contacts="Sister SENSITIVE-FAMILY"
    )
    client = api_as(partner_user)
    for url in (f"/api/v1/people/{person.pk}/", "/api/v1/people/"):
        response = client.get(url)
        assert response.status_code == 200
        assert b"SENSITIVE-FAMILY" not in response.content
        assert person.full_name in response.text


def test_it_answers_a_person_of_a_hidden_case_like_a_missing_one(api_as, partner_user, host):
    hidden = CaseFactory(owning_organisation=host).person
    client = api_as(partner_user)
    seen, missing = client.get(f"/api/v1/people/{hidden.pk}/"), client.get("/api/v1/people/0/")
    assert (
        (seen.status_code, seen.content)
        == (missing.status_code, missing.content)
        == (
            404,
            missing.content,
        )
    )


@pytest.mark.parametrize("rows", [5, 500])
def test_it_lists_people_in_a_bounded_number_of_queries(
    api_as, caseworker, host, rows, django_assert_max_num_queries
):
    for person in PersonFactory.create_batch(rows, owning_organisation=host):
        PersonAliasFactory(person=person)
    client = api_as(caseworker)
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/people/", {"page_size": 200})
    assert len(response.json()["results"]) == min(rows, 200)
