"""Cursor pagination: a cursor that is not one of a page's links answers 400 naming it."""

from __future__ import annotations

import base64

import pytest

from tests.factories import CaseFactory, ChargeFactory, FollowUpFactory


def _cursor(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    ("path", "position"),
    [
        # Found by hand: the id's lookup raised ValueError, a 500.
        ("/api/v1/vocabularies/charges/", "1e5"),
        ("/api/v1/vocabularies/charges/", "one"),
        ("/api/v1/vocabularies/charges/", "9" * 30),
        ("/api/v1/cases/", "yesterday"),
        ("/api/v1/people/", "Ivan\x00ov"),
        ("/api/v1/documents/", "2024-13-45"),
    ],
)
def test_it_refuses_a_hand_made_cursor_with_a_400_naming_the_cursor(
    api_as, caseworker, host, path, position
):
    ChargeFactory()
    CaseFactory(owning_organisation=host)
    response = api_as(caseworker).get(path, {"cursor": _cursor(f"p={position}")})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "cursor", "message": "This cursor is not one of a page's links."}
    ]


def test_it_follows_a_page_s_own_next_link_on_every_list(api_as, caseworker, host):
    for _ in range(3):
        FollowUpFactory(case=CaseFactory(owning_organisation=host), assignee=caseworker)
    client = api_as(caseworker)
    for path in ("/api/v1/cases/", "/api/v1/people/", "/api/v1/follow-ups/"):
        first = client.get(path, {"page_size": 2}).json()
        second = client.get(first["next"])
        assert second.status_code == 200, (path, second.content)
        assert second.json()["results"]
