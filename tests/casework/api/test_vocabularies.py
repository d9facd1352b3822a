"""Vocabularies through the API: accepted entries and the organisation's own proposals,
never another organisation's (casework.vocabularies.vocabulary_visible)."""

from __future__ import annotations

import pytest

from casework.models import DetentionPlace, Region


def test_it_never_shows_a_partner_another_organisation_s_proposal(
    api_as, partner_user, partner_organisation, other_partner_organisation
):
    shared = DetentionPlace.objects.create(name="SIZO-1 Almaty")
    own = DetentionPlace.objects.create(name="Colony 158/2", proposed_by=partner_organisation)
    DetentionPlace.objects.create(name="Secret place", proposed_by=other_partner_organisation)
    response = api_as(partner_user).get("/api/v1/vocabularies/detention-places/")
    rows = {row["name"]: row["proposed"] for row in response.json()["results"]}
    assert rows == {shared.name: False, own.name: True}


def test_it_lists_charges_with_their_article(api_as, caseworker):
    from tests.factories import ChargeFactory

    charge = ChargeFactory()
    response = api_as(caseworker).get("/api/v1/vocabularies/charges/")
    assert [(row["id"], row["article"]) for row in response.json()["results"]] == [
        (charge.pk, "174")
    ]


@pytest.mark.parametrize("rows", [5, 500])
def test_it_lists_regions_in_a_bounded_number_of_queries(
    api_as, caseworker, rows, django_assert_max_num_queries
):
    Region.objects.bulk_create(Region(name=f"Region {number}") for number in range(rows))
    client = api_as(caseworker)
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/vocabularies/regions/", {"page_size": 200})
    assert len(response.json()["results"]) == min(rows, 200)
