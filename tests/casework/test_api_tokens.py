"""Personal API tokens (casework.api_tokens): stored hashed, expiring, revocable, and for
coordinators and admins only after the second factor."""

from __future__ import annotations

import datetime

import time_machine
from django.utils import timezone

from casework.api_tokens import (
    api_token_authenticate,
    api_token_create,
    api_token_hash,
    api_token_revoke,
    user_may_create_api_token,
)
from casework.models import ApiToken


def test_it_stores_only_the_hash_of_the_secret(caseworker):
    token, secret = api_token_create(
        user=caseworker, name="sync", expires_in_days=30, can_write=False
    )
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == api_token_hash(secret)
    assert secret not in {stored.key_hash, stored.prefix, stored.name}
    assert secret.startswith(stored.prefix)


def test_it_signs_in_with_a_live_token_and_records_when_it_was_used(caseworker):
    token, secret = api_token_create(
        user=caseworker, name="sync", expires_in_days=7, can_write=True
    )
    found = api_token_authenticate(secret=secret)
    assert found is not None and found.user == caseworker
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_it_refuses_a_revoked_token(caseworker):
    token, secret = api_token_create(
        user=caseworker, name="sync", expires_in_days=7, can_write=True
    )
    api_token_revoke(token=token)
    assert api_token_authenticate(secret=secret) is None


def test_it_refuses_an_expired_token(caseworker):
    _token, secret = api_token_create(
        user=caseworker, name="sync", expires_in_days=7, can_write=True
    )
    later = timezone.now() + datetime.timedelta(days=7, seconds=1)
    with time_machine.travel(later):
        assert api_token_authenticate(secret=secret) is None


def test_it_refuses_the_token_of_a_deactivated_account(caseworker):
    _token, secret = api_token_create(user=caseworker, name="s", expires_in_days=7, can_write=True)
    caseworker.is_active = False
    caseworker.save()
    assert api_token_authenticate(secret=secret) is None


def test_it_lets_a_coordinator_make_a_token_only_after_the_second_factor(coordinator, caseworker):
    assert not user_may_create_api_token(user=coordinator, second_factor_verified=False)
    assert user_may_create_api_token(user=coordinator, second_factor_verified=True)
    assert user_may_create_api_token(user=caseworker, second_factor_verified=False)
