"""Nothing searched for reaches a log: the web servers' request lines and Django's own
logs keep paths, never query strings (config/log_filters.py, config/gunicorn.py); and a
refused request is one line, not a traceback."""

from __future__ import annotations

import http.cookiejar
import io
import logging
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager

import pytest

from config.log_filters import query_strings_redact
from tests.factories import CaseFactory, PersonFactory, password_hashed_for_servers
from tests.support.web_server import free_port, web_server
from tests.support.worker import worker_environment

SEARCHED = "Zhumagulov"
SEARCHES = [
    f"/cases/?q={SEARCHED}",
    f"/cases/export.csv?q={SEARCHED}",
    f"/people/?q={SEARCHED}",
    f"/people/similar/?person-full_name=Almat+{SEARCHED}",
    f"/people/similar/?person-full_name=%D0%96%D1%83%D0%BC%D0%B0%D0%B3%D1%83%D0%BB%D0%BE%D0%B2&q={SEARCHED}",
    # A missing id logs "Not Found: <path>" through django.request.
    f"/cases/999999999/?q={SEARCHED}",
]


@contextmanager
def console_output():
    """What the app's console handler (settings.LOGGING, with its filters) writes."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        yield buffer
    finally:
        handler.setStream(previous)


def test_it_cuts_the_query_string_from_every_path_in_a_line():
    line = '"GET /people/similar/?person-full_name=Almat+Zhumagulov HTTP/1.1" 200 "https://x/cases/?q=A"'
    assert query_strings_redact(line) == (
        '"GET /people/similar/?[query removed] HTTP/1.1" 200 "https://x/cases/?[query removed]"'
    )
    assert query_strings_redact("Import run 4 failed") == "Import run 4 failed"


def test_django_logs_no_searched_name(client_as_caseworker, host):
    CaseFactory(person=PersonFactory(full_name=f"Almat {SEARCHED}"))
    with console_output() as output:
        for path in SEARCHES:
            client_as_caseworker.get(path)
        # runserver's request line, as django.core.servers.basehttp writes it.
        logging.getLogger("django.server").info(
            '"%s" %s %s', f"GET {SEARCHES[3]} HTTP/1.1", "200", "512"
        )
    logged = output.getvalue()
    assert "Not Found: /cases/999999999/" in logged
    assert "/people/similar/?[query removed]" in logged
    assert SEARCHED not in logged
    assert "Жумагулов" not in logged and "%D0%96" not in logged


def test_a_refused_request_is_logged_as_one_line_without_a_traceback(client_as_caseworker, host):
    case = CaseFactory(owning_organisation=host)
    with console_output() as output:
        response = client_as_caseworker.post(f"/cases/{case.pk}/archive/")
    assert response.status_code == 403
    lines = [line for line in output.getvalue().splitlines() if line]
    assert lines == [
        f"{lines[0][:23]} WARNING django.request Forbidden (Permission denied): /cases/{case.pk}/archive/"
    ]
    assert "Traceback" not in output.getvalue()


def _signed_in_opener(base: str, *, username: str, password: str) -> urllib.request.OpenerDirector:
    cookies = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
    opener.open(f"{base}/accounts/login/", timeout=30).read()
    token = next(cookie.value for cookie in cookies if cookie.name == "csrftoken")
    form = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(
        f"{base}/accounts/login/", data=form, headers={"Referer": f"{base}/accounts/login/"}
    )
    opener.open(request, timeout=30).read()
    assert any(cookie.name == "sessionid" for cookie in cookies), "sign-in failed"
    return opener


@pytest.mark.parametrize("server", ["gunicorn", "runserver"])
def test_the_web_servers_log_no_searched_name(
    server, transactional_db, caseworker, password, tmp_path
):
    caseworker.password = password_hashed_for_servers(password)
    caseworker.save(update_fields=["password"])
    CaseFactory(person=PersonFactory(full_name=f"Almat {SEARCHED}"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp_path / f"{server}.log"
    environment = worker_environment(DJANGO_DEBUG="false")
    with web_server(server, port=port, log=log, environment=environment):
        opener = _signed_in_opener(base, username="caseworker", password=password)
        for path in SEARCHES:
            try:
                opener.open(f"{base}{path}", timeout=30).read()
            except urllib.error.HTTPError as error:
                assert error.code == 404, (path, error.code)
    logged = log.read_text()
    # The request lines are there, without their queries.
    assert "/cases/ " in logged or "/cases/?[query removed]" in logged, logged
    assert "/people/similar/" in logged
    assert SEARCHED not in logged, logged
    assert "%D0%96" not in logged and "Жумагулов" not in logged
