"""People through the API: name search in any script, aliases, family contacts for staff
only, bounded queries; recording a person as New case does (its forms, its warning about
possible duplicates, the owning organisation's rule)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from casework.models import Person
from tests.factories import CaseFactory, PersonAliasFactory, PersonFactory, people_bulk_create


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
    people_bulk_create(count=rows, organisation=host, with_alias=True)
    client = api_as(caseworker)
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/people/", {"page_size": 200})
    assert len(response.json()["results"]) == min(rows, 200)


# --- Recording a person ---------------------------------------------------------------------


def _post(client, data):
    return client.post("/api/v1/people/", data, content_type="application/json")


def test_it_records_a_person_with_the_token_s_user_as_actor(api_as, caseworker, host):
    response = _post(
        api_as(caseworker),
        {"full_name": "Aigul Nurlanova", "native_name": "Айгүл Нұрланова", "birth_year": 1985},
    )
    assert response.status_code == 201, response.content
    person = Person.objects.get(pk=response.json()["id"])
    assert (person.full_name, person.owning_organisation, person.created_by) == (
        "Aigul Nurlanova",
        host,
        caseworker,
    )
    assert person.history.latest().history_user == caseworker
    # Found at once by another spelling: the name keys follow the save.
    found = api_as(caseworker).get("/api/v1/people/", {"q": "Nurlanova"}).json()["results"]
    assert [row["id"] for row in found] == [person.pk]


def test_it_answers_409_with_the_people_a_new_name_may_be(api_as, caseworker, host):
    on_file = PersonFactory(full_name="Almat Zhumagulov", owning_organisation=host)
    client = api_as(caseworker)
    response = _post(client, {"full_name": "Almat Jumagulov"})
    assert response.status_code == 409
    body = response.json()
    assert [row["id"] for row in body["candidates"]] == [on_file.pk]
    assert body["errors"][0]["field"] is None
    assert Person.objects.count() == 1
    confirmed = _post(client, {"full_name": "Almat Jumagulov", "confirm_not_duplicate": True})
    assert confirmed.status_code == 201
    assert Person.objects.count() == 2


def test_it_never_names_a_hidden_person_as_a_possible_duplicate(
    api_as, partner_user, host, partner_organisation
):
    CaseFactory(
        person=PersonFactory(full_name="Almat Zhumagulov", owning_organisation=host),
        owning_organisation=host,
    )
    response = _post(api_as(partner_user), {"full_name": "Almat Zhumagulov"})
    assert response.status_code == 201
    assert Person.objects.get(pk=response.json()["id"]).owning_organisation == partner_organisation


def test_it_refuses_a_partner_s_person_for_another_organisation(
    api_as, partner_user, host, partner_organisation
):
    response = _post(api_as(partner_user), {"full_name": "Someone New", "organisation": host.pk})
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == ["organisation"]
    assert not Person.objects.filter(full_name="Someone New").exists()


def test_it_lets_host_staff_record_a_person_for_a_partner(api_as, caseworker, partner_organisation):
    response = _post(
        api_as(caseworker), {"full_name": "Someone New", "organisation": partner_organisation.pk}
    )
    assert response.status_code == 201
    assert Person.objects.get(full_name="Someone New").owning_organisation == partner_organisation


def test_it_refuses_a_read_only_token(api_as, caseworker):
    response = _post(api_as(caseworker, can_write=False), {"full_name": "Someone New"})
    assert response.status_code == 403
    assert not Person.objects.exists()


def test_it_names_the_field_with_the_form_s_message(api_as, caseworker):
    response = _post(api_as(caseworker), {"full_name": "Someone", "birth_year": 1850})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "birth_year", "message": f"Enter a year between 1900 and {_this_year()}."}
    ]


def test_it_says_what_is_missing_in_russian(api_as, caseworker):
    response = _post(api_as(caseworker, HTTP_ACCEPT_LANGUAGE="ru"), {"native_name": "Алмат"})
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "full_name", "message": "Обязательное поле."}]


def test_it_never_reads_family_contacts_from_a_new_person(api_as, partner_user):
    response = _post(
        api_as(partner_user), {"full_name": "Someone New", "family_contacts": "SENSITIVE-FAMILY"}
    )
    # Refused by name (casework.api.preconditions), not silently dropped.
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == ["family_contacts"]
    assert not Person.objects.exists()


def _this_year() -> int:
    return timezone.localdate().year


# --- Changing a person --------------------------------------------------------------------------


def _patch(client, person, data):
    return client.patch(f"/api/v1/people/{person.pk}/", data, content_type="application/json")


def test_it_changes_only_the_fields_sent_with_the_token_s_user_as_actor(api_as, caseworker, host):
    person = PersonFactory(owning_organisation=host, region="Almaty", family_contacts="Kept")
    response = _patch(api_as(caseworker), person, {"full_name": "Almat Zhumagulov"})
    assert response.status_code == 200, response.content
    person.refresh_from_db()
    assert (person.full_name, person.region, person.family_contacts) == (
        "Almat Zhumagulov",
        "Almaty",
        "Kept",
    )
    assert person.history.latest().history_user == caseworker


def test_it_keeps_family_contacts_a_partner_cannot_see(api_as, partner_user, partner_organisation):
    person = PersonFactory(owning_organisation=partner_organisation, family_contacts="Kept")
    response = _patch(api_as(partner_user), person, {"family_contacts": "x", "region": "Aktobe"})
    assert response.status_code == 400  # refused by name, nothing written
    person.refresh_from_db()
    assert person.family_contacts == "Kept"
    assert person.region != "Aktobe"
    response = _patch(api_as(partner_user), person, {"region": "Aktobe"})
    assert response.status_code == 200
    person.refresh_from_db()
    assert (person.family_contacts, person.region) == ("Kept", "Aktobe")


def test_it_refuses_a_change_to_a_person_of_another_organisation(api_as, partner_user, host):
    person = PersonFactory(owning_organisation=host)
    CaseFactory(person=person, owning_organisation=host, confidentiality="public")
    assert _patch(api_as(partner_user), person, {"region": "x"}).status_code == 403


def test_it_names_a_wrong_birth_date_with_the_form_s_message(api_as, caseworker, host):
    person = PersonFactory(owning_organisation=host)
    response = _patch(api_as(caseworker), person, {"birth_date": "1850-01-01"})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "birth_date", "message": "A birth date cannot be before 1900."}
    ]
