"""Who reaches the API: tokens (read-only or read-write), the verified session, the
throttle (casework.api.authentication, permissions, throttling)."""

from __future__ import annotations

from django.test import Client

from casework.models import Status
from tests.conftest import _signed_in
from tests.factories import CaseFactory


def test_it_answers_401_without_a_token():
    response = Client().get("/api/v1/cases/")
    assert response.status_code == 401
    assert response.json()["errors"][0]["field"] is None


def test_it_answers_401_for_a_made_up_token(db):
    response = Client(HTTP_AUTHORIZATION="Bearer adv_not-a-token").get("/api/v1/cases/")
    assert response.status_code == 401
    assert "unknown, expired or revoked" in response.json()["errors"][0]["message"]


def test_it_refuses_a_write_with_a_read_only_token(api_as, caseworker, host):
    case = CaseFactory(owning_organisation=host)
    response = api_as(caseworker, can_write=False).post(
        f"/api/v1/cases/{case.pk}/status/",
        {"status": Status.RELEASED, "on": "2024-05-01", "source": "Lawyer"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "read-only" in response.json()["errors"][0]["message"]
    case.refresh_from_db()
    assert case.events.count() == 0


def test_it_reads_with_the_verified_session_of_a_coordinator(client, coordinator):
    _signed_in(client, coordinator)
    assert client.get("/api/v1/cases/").status_code == 200


def test_it_throttles_a_token_past_its_rate(api_as, caseworker, settings):
    settings.API_THROTTLE_RATE = "3/minute"
    client = api_as(caseworker)
    codes = [client.get("/api/v1/vocabularies/regions/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    # Another token of the same user has its own count.
    assert api_as(caseworker).get("/api/v1/vocabularies/regions/").status_code == 200


def test_it_answers_in_the_language_the_client_asks_for(api_as, caseworker):
    response = api_as(caseworker, HTTP_ACCEPT_LANGUAGE="ru").get("/api/v1/cases/987654321/")
    assert response.status_code == 404
    assert response.json() == {"errors": [{"field": None, "message": "Страница не найдена."}]}
