"""The session store reads a session as Django's database store does, without the ORM."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from casework.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _saved(**data) -> str:
    session = SessionStore()
    session.update(data)
    session.save()
    assert session.session_key is not None
    return session.session_key


def test_it_is_the_session_engine_of_the_settings(settings):
    assert settings.SESSION_ENGINE == "casework.sessions"


def test_it_reads_what_it_saved_as_django_store_does():
    key = _saved(colour="green", count=3)
    assert dict(SessionStore(key).items()) == {"colour": "green", "count": 3}
    assert dict(DjangoSessionStore(key).items()) == {"colour": "green", "count": 3}


def test_it_reads_an_expired_session_as_none_and_drops_its_key():
    key = _saved(colour="green")
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    for store in (SessionStore(key), DjangoSessionStore(key)):
        assert dict(store.items()) == {}
        assert store.session_key is None


def test_it_reads_a_session_that_expires_later_and_not_one_that_never_was():
    key = _saved(colour="green")
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + datetime.timedelta(seconds=5)
    )
    assert SessionStore(key)["colour"] == "green"
    unknown = SessionStore("x" * 32)
    assert dict(unknown.items()) == {}
    assert unknown.session_key is None


def test_a_signed_out_session_cookie_reads_nothing(client, caseworker):
    client.force_login(caseworker)
    key = client.session.session_key
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    client.cookies["sessionid"] = key
    assert client.get("/").status_code == 302
