"""The interface language: the browser's before sign-in, the account's after, kk → ru → en."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from casework.models import Membership


def _lang_attribute(response) -> str:
    return response.text.split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.mark.django_db
def test_it_honours_accept_language_before_sign_in(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9,en;q=0.5")
    assert _lang_attribute(response) == "ru"
    assert response["Content-Language"] == "ru"


@pytest.mark.django_db
def test_it_honours_the_language_cookie_over_the_browser(client):
    client.cookies["django_language"] = "kk"
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert _lang_attribute(response) == "kk"


@pytest.mark.django_db
def test_it_refuses_a_language_switch_without_the_csrf_token(caseworker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(caseworker)
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/cases/"})
    assert response.status_code == 403
    assert Membership.objects.get(user=caseworker).language == ""


@pytest.mark.django_db
def test_it_keeps_a_signed_in_users_choice_on_the_account(client_as_caseworker, caseworker):
    response = client_as_caseworker.post("/i18n/setlang/", {"language": "kk", "next": "/cases/"})
    assert response.status_code == 302
    assert response["Location"] == "/cases/"
    assert response.cookies["django_language"].value == "kk"
    assert Membership.objects.get(user=caseworker).language == "kk"


@pytest.mark.django_db
def test_the_accounts_language_wins_over_the_browser_and_sets_the_cookie(caseworker):
    Membership.objects.filter(user=caseworker).update(language="ru")
    client = Client()
    client.force_login(caseworker)
    response = client.get("/cases/", HTTP_ACCEPT_LANGUAGE="en")
    assert _lang_attribute(response) == "ru"
    assert response.cookies["django_language"].value == "ru"


@pytest.mark.django_db
def test_it_never_redirects_the_switch_off_the_site(client_as_caseworker):
    response = client_as_caseworker.post(
        "/i18n/setlang/", {"language": "ru", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_kazakh_falls_back_to_russian_then_english():
    with translation.override("kk"):
        assert gettext("This field is required.") == "Бұл өрісті толтыру міндетті."  # kk's own
        assert gettext("Afrikaans") == "Бурский"  # kk has none: Russian's
        assert gettext("A string no catalogue has") == "A string no catalogue has"


@pytest.mark.parametrize(
    ("language", "format_name", "expected"),
    [
        ("en", "DATE_FORMAT", "6 Dec 2026"),
        ("ru", "DATE_FORMAT", "6 декабря 2026"),
        ("ru", "SHORT_DATE_FORMAT", "11 февр. 2021"),
        ("kk", "DATE_FORMAT", "6 желтоқсан 2026"),
        ("kk", "SHORT_DATE_FORMAT", "11 ақп. 2021"),
    ],
)
def test_it_writes_dates_in_each_languages_own_way(language, format_name, expected):
    day = datetime.date(2026, 12, 6) if format_name == "DATE_FORMAT" else datetime.date(2021, 2, 11)
    with translation.override(language):
        assert date_format(day, format_name) == expected


@pytest.mark.django_db
def test_it_keeps_the_language_chosen_on_the_sign_in_page_on_the_account(caseworker):
    caseworker.set_password("a long enough passphrase 42")
    caseworker.save()
    client = Client()
    client.post("/i18n/setlang/", {"language": "kk", "next": "/accounts/login/"})
    client.post(
        "/accounts/login/",
        {"username": caseworker.username, "password": "a long enough passphrase 42"},
    )
    assert Membership.objects.get(user=caseworker).language == "kk"
    response = client.get("/cases/", HTTP_ACCEPT_LANGUAGE="en")
    assert _lang_attribute(response) == "kk"


@pytest.mark.django_db
def test_a_sign_in_without_a_chosen_language_leaves_the_accounts_choice(caseworker):
    Membership.objects.filter(user=caseworker).update(language="ru")
    Client().force_login(caseworker)
    assert Membership.objects.get(user=caseworker).language == "ru"


@pytest.mark.django_db
def test_the_server_error_page_speaks_the_readers_language(client):
    from django.template.loader import render_to_string

    with translation.override("ru"):
        page = render_to_string("errors/500.html")
    assert '<html lang="ru">' in page
    assert "Что-то пошло не так" in page
