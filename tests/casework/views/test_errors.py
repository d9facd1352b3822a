"""The layout, the error pages (403, 404, 500) and the password change page."""

import json
import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from casework.models import Confidentiality
from casework.views.errors import server_error
from tests.factories import CaseFactory
from tests.support.api_clients import token_client


def test_the_layout_names_the_user_and_their_organisation(client_as_caseworker, caseworker):
    text = client_as_caseworker.get("/cases/").text
    assert 'href="#main"' in text  # skip link
    assert 'id="notification-bell"' in text
    assert "Host NGO" in text
    assert caseworker.username in text
    assert 'action="/accounts/logout/"' in text
    for label in (
        "Dashboard",
        "Cases",
        "People",
        "Documents",
        "Tasks",
        "Imports",
        "Change password",
    ):
        assert f">{label}</a>" in text


def test_the_layout_loads_no_inline_script_or_style(client_as_caseworker):
    text = client_as_caseworker.get("/cases/").text
    assert "<style" not in text
    assert " style=" not in text
    assert "<script>" not in text
    assert "https://" not in text


def test_it_shows_a_friendly_404(client_as_caseworker):
    response = client_as_caseworker.get("/cases/999999/")
    assert response.status_code == 404
    assert "There is nothing here, or it is not visible to you." in response.text


def test_it_shows_a_friendly_403(client_as_partner, host):
    case = CaseFactory(owning_organisation=host, confidentiality=Confidentiality.PUBLIC)
    response = client_as_partner.get(f"/cases/{case.pk}/edit/")
    assert response.status_code == 403
    assert "Not allowed" in response.text


def test_it_shows_a_friendly_500(db):
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


@pytest.mark.urls("tests.casework.raising_urls")
def test_a_crashing_view_gets_the_stand_alone_500_page_without_context_processor_queries(
    client_as_caseworker,
):
    client_as_caseworker.raise_request_exception = False
    client_as_caseworker.get("/test-plain/")  # the session's first-request bookkeeping
    with CaptureQueriesContext(connection) as plain_queries:
        assert client_as_caseworker.get("/test-plain/").status_code == 200
    with CaptureQueriesContext(connection) as crash_queries:
        response = client_as_caseworker.get("/test-crash/")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "Sign out" not in response.text
    # Only what the middleware asked for the plain answer too: the navigation's membership
    # and unread-notification queries would come on top if the page ran context processors.
    assert _tables_read(crash_queries) == _tables_read(plain_queries)


def _tables_read(queries) -> list[list[str]]:
    return [re.findall(r'FROM "(\w+)"', query["sql"]) for query in queries]


def test_it_shows_the_password_change_page(client_as_caseworker):
    response = client_as_caseworker.get("/accounts/password/")
    assert response.status_code == 200
    assert '<label for="id_old_password"' in response.text


def test_it_tells_a_user_whose_pasted_text_is_too_large_what_to_do(client_as_caseworker, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    text = "Жанболат Мамай задержан. " * 50_000  # about 1.3 MB as sent
    response = client_as_caseworker.post("/documents/new/", {"title": "Report", "full_text": text})
    assert response.status_code == 400
    assert "larger than 1.0 MB" in response.text
    assert "upload it as a file instead of pasting it" in response.text


def test_the_api_answers_a_request_too_large_in_its_own_shape(caseworker, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    body = json.dumps({"note": "x" * 2_000_000})
    response = token_client(caseworker).post(
        "/api/v1/cases/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "field": None,
                "message": "The request is larger than 1.0 MB, the most one request takes; "
                "nothing was saved.",
            }
        ]
    }


@pytest.mark.parametrize(
    ("language", "title"), [("en", "This form has expired"), ("kk", "Бұл пішіннің мерзімі өтті")]
)
def test_a_form_whose_token_expired_is_told_in_the_reader_s_language_with_the_way_back(
    caseworker, host, language, title
):
    from django.test import Client

    from casework.models import Membership
    from tests.conftest import _signed_in

    Membership.objects.filter(user=caseworker).update(language=language)
    case = CaseFactory(owning_organisation=host, summary="Before")
    client = _signed_in(Client(enforce_csrf_checks=True), caseworker)

    response = client.post(f"/cases/{case.pk}/edit/", {"summary": "Typed, then sent late"})

    assert response.status_code == 403
    assert title in response.text
    assert f'href="/cases/{case.pk}/edit/"' in response.text
    assert "CSRF" not in response.text
    case.refresh_from_db()
    assert case.summary == "Before"


def test_the_api_answers_a_server_error_in_its_own_shape(db):
    # Found by hand: every 500 under /api/ (before its causes were fixed) was the HTML page.
    response = server_error(RequestFactory().get("/api/v1/cases/"))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {
        "errors": [
            {
                "field": None,
                "message": "The server failed to answer this request; the error has been logged.",
            }
        ]
    }
