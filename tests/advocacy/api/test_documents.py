"""Documents through the API (advocacy.api): confirmed mentions of visible cases only, the
impact figures the document page shows, bounded queries."""

from __future__ import annotations

import pytest

from advocacy.models import Mention
from casework.models import Confidentiality
from tests.factories import CaseFactory, DocumentFactory, MentionFactory


def test_it_shows_a_document_with_its_confirmed_mentions_of_visible_cases(
    api_as, partner_user, partner_organisation, host
):
    document = DocumentFactory()
    own = CaseFactory(owning_organisation=partner_organisation)
    hidden = CaseFactory(owning_organisation=host, confidentiality=Confidentiality.INTERNAL)
    MentionFactory(document=document, case=own)
    MentionFactory(document=document, case=hidden, passage="HIDDEN-PASSAGE")
    MentionFactory(
        document=document,
        case=CaseFactory(owning_organisation=partner_organisation),
        state=Mention.State.PROPOSED,
    )
    response = api_as(partner_user).get(f"/api/v1/documents/{document.pk}/")
    body = response.json()
    assert [row["case"] for row in body["mentions"]] == [own.pk]
    assert body["impact"]["named"] == 1
    assert b"HIDDEN-PASSAGE" not in response.content
    assert hidden.reference.encode() not in response.content


def test_it_lists_documents_with_their_figures(api_as, caseworker, host):
    document = DocumentFactory()
    MentionFactory(document=document, case=CaseFactory(owning_organisation=host))
    response = api_as(caseworker).get("/api/v1/documents/")
    (row,) = response.json()["results"]
    assert (row["id"], row["impact"]["cases_named"]) == (document.pk, 1)


@pytest.mark.parametrize("rows", [5, 500])
def test_it_lists_documents_in_a_bounded_number_of_queries(
    api_as, caseworker, rows, django_assert_max_num_queries
):
    DocumentFactory.create_batch(rows)
    client = api_as(caseworker)
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/documents/", {"page_size": 200})
    assert len(response.json()["results"]) == min(rows, 200)


@pytest.mark.parametrize("value", ["9223372036854775808", "-4.1981945834808796e+67", "x"])
def test_it_refuses_an_issuing_body_no_row_can_be_with_a_400(api_as, caseworker, value):
    response = api_as(caseworker).get("/api/v1/documents/", {"issuing_body": value})
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["field"] == "issuing_body"
