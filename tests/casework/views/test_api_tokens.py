"""The account page's API tokens (casework.views.api_tokens)."""

from __future__ import annotations

from casework.api_tokens import api_token_create
from casework.models import ApiToken
from tests.conftest import _signed_in


def test_it_shows_a_new_token_once_and_then_only_its_start(client_as_caseworker, caseworker):
    response = client_as_caseworker.post(
        "/accounts/api-tokens/",
        {"name": "Partner sync", "expires_in_days": "30", "can_write": "write"},
    )
    token = ApiToken.objects.get(user=caseworker)
    secret = response.context["secret"]
    assert secret in response.text and token.can_write
    again = client_as_caseworker.get("/accounts/api-tokens/")
    assert secret not in again.text
    assert token.prefix in again.text


def test_it_refuses_a_token_to_a_coordinator_whose_second_factor_is_unconfirmed(
    client, coordinator
):
    client.force_login(coordinator)
    response = client.post(
        "/accounts/api-tokens/", {"name": "x", "expires_in_days": "7", "can_write": "read"}
    )
    assert response.status_code in (302, 403)
    assert not ApiToken.objects.filter(user=coordinator).exists()


def test_it_makes_a_coordinator_s_token_once_the_second_factor_is_confirmed(client, coordinator):
    _signed_in(client, coordinator)
    client.post("/accounts/api-tokens/", {"name": "x", "expires_in_days": "7", "can_write": "read"})
    assert ApiToken.objects.filter(user=coordinator, can_write=False).exists()


def test_it_revokes_a_token_and_the_api_then_refuses_it(client_as_caseworker, caseworker):
    token, secret = api_token_create(user=caseworker, name="old", expires_in_days=7, can_write=True)
    assert client_as_caseworker.post(f"/accounts/api-tokens/{token.pk}/revoke/").status_code == 302
    response = client_as_caseworker.get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 401


def test_it_answers_another_user_s_token_like_a_missing_one(client_as_caseworker, partner_user):
    token, _secret = api_token_create(
        user=partner_user, name="t", expires_in_days=7, can_write=True
    )
    assert client_as_caseworker.post(f"/accounts/api-tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_it_names_the_expiry_choices_in_the_reader_s_language(client_as_caseworker):
    russian = client_as_caseworker.get("/accounts/api-tokens/", headers={"accept-language": "ru"})
    kazakh = client_as_caseworker.get("/accounts/api-tokens/", headers={"accept-language": "kk"})
    english = client_as_caseworker.get("/accounts/api-tokens/", headers={"accept-language": "en"})
    assert "90 дней" in russian.text and "90 days" not in russian.text
    assert "90 days" not in kazakh.text
    assert "90 days" in english.text
