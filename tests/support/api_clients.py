"""Test clients that call the API with a personal token, as a partner's script would."""

from __future__ import annotations

import pytest
from django.test import Client

from casework.api_tokens import api_token_create


def token_client(user, *, can_write: bool = True, **headers) -> Client:
    """A client whose every request carries a new token of ``user``."""
    _token, secret = api_token_create(
        user=user, name="test script", expires_in_days=30, can_write=can_write
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}", **headers)


@pytest.fixture
def api_as():
    """api_as(user, can_write=True): a token client of that user."""
    return token_client
