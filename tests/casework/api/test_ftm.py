"""A person as a FollowTheMoney `Person` entity (/api/v1/people/<id>/ftm/, written by
casework.exchange), validated by the followthemoney package (tests/support/followthemoney.py:
skipped outside CI when it is not installed); never a sensitive field."""

from __future__ import annotations

import datetime

from casework.exchange import person_ftm_entity
from casework.models import Confidentiality
from tests.factories import CaseFactory, PersonAliasFactory, PersonFactory
from tests.support.followthemoney import followthemoney_model


def _person(organisation, **fields):
    person = PersonFactory(
        full_name="Almat Zhumagulov",
        native_name="Алмат Жумагулов",
        owning_organisation=organisation,
        gender="male",
        occupation="journalist",
        region="Almaty",
        biography="Editor of a regional paper.",
        family_contacts="Sister: +7 701 SENSITIVE-FAMILY",
        **fields,
    )
    PersonAliasFactory(person=person, name="Almat Jumagulov")
    return person


def test_it_writes_a_person_the_followthemoney_package_validates(api_as, caseworker, host):
    model = followthemoney_model()
    person = _person(host, birth_date=datetime.date(1975, 3, 4))
    response = api_as(caseworker, HTTP_ACCEPT_LANGUAGE="ru").get(f"/api/v1/people/{person.pk}/ftm/")
    assert response.status_code == 200
    entity = response.json()
    model.get(entity["schema"]).validate(entity)
    proxy = model.get_proxy(entity)
    assert proxy.schema.name == "Person"
    assert entity["id"] == f"advocase-person-victim-{person.pk}"
    assert entity["properties"] == {
        "name": ["Almat Zhumagulov", "Алмат Жумагулов"],
        "alias": ["Almat Jumagulov"],
        "birthDate": ["1975-03-04"],
        "gender": ["male"],
        # In English whatever the request's language: an exchange format.
        "position": ["Journalist"],
        "address": ["Almaty"],
        "notes": ["Editor of a regional paper."],
    }


def test_it_gives_the_year_alone_when_only_the_year_is_known(host):
    model = followthemoney_model()
    entity = person_ftm_entity(person=_person(host, birth_year=1980))
    model.get("Person").validate(entity)
    assert entity["properties"]["birthDate"] == ["1980"]


def test_it_never_writes_a_sensitive_field_even_for_staff(api_as, caseworker, partner_user, host):
    person = _person(host)
    CaseFactory(person=person, owning_organisation=host, confidentiality=Confidentiality.PUBLIC)
    for user in (caseworker, partner_user):
        response = api_as(user).get(f"/api/v1/people/{person.pk}/ftm/")
        assert response.status_code == 200
        assert b"SENSITIVE" not in response.content


def test_it_answers_a_hidden_person_like_a_missing_one(api_as, partner_user, host):
    hidden = _person(host)
    CaseFactory(person=hidden, owning_organisation=host, confidentiality=Confidentiality.INTERNAL)
    client = api_as(partner_user)
    seen = client.get(f"/api/v1/people/{hidden.pk}/ftm/")
    missing = client.get("/api/v1/people/987654321/ftm/")
    assert (seen.status_code, seen.content) == (missing.status_code, missing.content)
    assert seen.status_code == 404
