"""Playwright for Python driving Debian's Chromium against pytest-django's live server.

Outside CI a missing browser skips these tests with a message saying how to get it; under
CI=true it is a failure, never a skip.

The tests whose subject is signing in (SIGN_IN_SUBJECTS) sign in through the form, second
factor included, as a person would; every other test starts from the session that signing
in makes, made directly: the form costs a second or more a test and proves nothing new.
"""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Response

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
# The screenshots (and the dossier's PDF pages) are for a person to look at after changing
# a page; no test reads them. Taking them costs more than the page they show (a full-page
# PNG is 0.3 s of Chromium's processor time, some 25 s over these tests), so a run takes
# them only when asked: ADVOCASE_SCREENSHOTS=1.
SCREENSHOTS_WANTED = os.environ.get("ADVOCASE_SCREENSHOTS", "").lower() in {"1", "true", "yes"}
SIGN_IN_SUBJECTS = {"test_sign_in.py", "test_security.py"}

# Playwright's sync API keeps an event loop running in the test thread; Django's ORM calls
# made by the test itself (fixtures, assertions) are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = (
            f"Chromium not found at {CHROMIUM}: install it with 'apt-get install -y chromium' "
            "(or set CHROMIUM_PATH) to run the browser tests."
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True, scope="session")
def _live_server_keeps_its_connections(live_server):
    """The live server answers each of Chromium's connections (kept alive: a page, its files
    and its fetches go over a few) in a thread of its own. On SQLite (CONN_MAX_AGE 0) each
    request opened the database afresh, reading its whole schema again: 4-5 ms of processor
    time a request, some 2 s over these tests. Here a thread keeps its database connection
    for the requests of its browser connection, as a PostgreSQL server process keeps its own
    (CONN_MAX_AGE 60), and closes it when the browser connection ends, as the live server
    always did. Connections shared with the test (in-memory SQLite) are left as they are.
    The thread's requests run with room on the frame stack, as a web server's do
    (common/stack_room.py)."""
    from django.db import connections

    from common.stack_room import with_room_on_the_stack

    server = live_server.thread.httpd
    handle = server.process_request_thread
    handle_with_room = with_room_on_the_stack(handle)
    shared = set(server.connections_override or ())

    def process_request_thread(request, client_address):
        for connection in connections.all():
            if connection.alias not in shared and connection.settings_dict["CONN_MAX_AGE"] == 0:
                connection.settings_dict = {**connection.settings_dict, "CONN_MAX_AGE": None}
        handle_with_room(request, client_address)

    server.process_request_thread = process_request_thread
    yield
    server.process_request_thread = handle


@pytest.fixture(scope="session")
def _shared_page(browser, live_server, django_db_setup):
    """One tab for the process's tests that take `page`: a tab costs Chromium a renderer
    process (0.3 s and 0.1-0.2 s of CPU a test on the shared machine); `page` hands it over
    as a new one would be, and a test that closes it gets a new one."""
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    shared = {"page": context.new_page()}
    yield shared
    context.close()
    # The live server answers each of the tab's connections in a thread of its own, which
    # closes its database connection when Chromium closes the socket: wait for them, before
    # the test database (set up first, so dropped after this) is dropped; PostgreSQL
    # refuses to drop a database in use.
    for thread in threading.enumerate():
        if "process_request_thread" in thread.name:
            thread.join(timeout=10)


@pytest.fixture
def page(_shared_page, live_server):
    if _shared_page["page"].is_closed():
        _shared_page["page"] = _shared_page["page"].context.new_page()
    page = _shared_page["page"]
    _page_reset(page, origin=live_server.url)
    # Listeners are the page's; the ones a test adds (console errors, responses) go with it.
    before = _page_listeners(page)
    yield page
    for event, listeners in _page_listeners(page).items():
        for listener in listeners:
            if listener not in before.get(event, []):
                page._impl_obj.remove_listener(event, listener)
    if not page.is_closed():
        # What the origin kept in the tab (sessionStorage) goes before the tab leaves it;
        # a page the test left loading has none yet.
        if page.url.startswith(live_server.url):
            with contextlib.suppress(PlaywrightError):
                page.evaluate("() => { sessionStorage.clear(); localStorage.clear(); }")
        _page_quieten(page)


# Stops what the page was doing (loads, fetches, timers such as the import page's progress
# poll) and empties the document with its listeners, staying on the origin.
QUIETEN = """() => {
    window.stop();
    for (let id = window.setTimeout(() => {}, 0); id > 0; id--) {
        window.clearTimeout(id);
        window.clearInterval(id);
    }
    document.open();
    document.close();
}"""


def _page_quieten(page) -> None:
    """Leaves the tab idle between tests. Going to about:blank did the same, but the next
    test's first page then needs a new renderer process: 0.18 s of Chromium's processor time
    a test, where emptying the page in place costs 0.02 s. A tab the test left navigating
    (no page to run the script in) still goes to about:blank."""
    try:
        page.evaluate(QUIETEN)
    except PlaywrightError:
        page.goto("about:blank")


def _page_reset(page, *, origin: str) -> None:
    """The state a new context's new tab starts in: no cookies, storage or cached files,
    the laptop viewport, screen media, ten-second timeouts, no routes."""
    context = page.context
    context.clear_cookies()
    context.clear_permissions()
    cdp = context.new_cdp_session(page)
    try:
        cdp.send("Network.clearBrowserCache")
        cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
    finally:
        cdp.detach()
    page.unroute_all()
    page.set_viewport_size(DESKTOP)
    page.emulate_media(media="null")
    page.set_default_timeout(10_000)
    page.set_default_navigation_timeout(10_000)


def _page_listeners(page) -> dict[str, list]:
    # The sync Page keeps its listeners on its implementation object (Playwright's own
    # event emitter); the public API removes a listener only given the function added.
    emitter = page._impl_obj
    return {event: list(emitter.listeners(event)) for event in emitter.event_names()}


@pytest.fixture
def screenshot(page):
    """screenshot(name): the whole page into screenshots/<name>.png when the run asks for
    screenshots (SCREENSHOTS_WANTED); nothing otherwise."""

    def take(name: str) -> Path | None:
        if not SCREENSHOTS_WANTED:
            return None
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def sign_in(request, page, live_server, password):
    through_the_form = request.node.path.name in SIGN_IN_SUBJECTS

    def sign_in_as(user, *, second_factor: bool = True, at: str = "/") -> Response | None:
        """Signs in and opens `at`: the dashboard, where signing in lands, unless the test
        goes on from another page (a page load saved, the dashboard proving nothing there).
        Returns the response to opening `at` (None where the form's redirect opened it)."""
        if through_the_form or not second_factor:
            _sign_in_through_the_form(page, user, password, second_factor=second_factor)
            return page.goto(at) if at != "/" else None
        # The session the form and the second-factor step would have left, under the
        # cookie the browser would hold; then the page the test starts from.
        from django.conf import settings
        from django.test import Client

        from tests.conftest import verify_second_factor

        client = Client()
        client.force_login(user)
        verify_second_factor(client, user)
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                    "httpOnly": settings.SESSION_COOKIE_HTTPONLY,
                    "secure": settings.SESSION_COOKIE_SECURE,
                    "sameSite": settings.SESSION_COOKIE_SAMESITE,
                }
            ]
        )
        return page.goto(at)

    return sign_in_as


def _sign_in_through_the_form(page, user, password: str, *, second_factor: bool) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if second_factor and "/accounts/two-factor/" in page.url:
        # Coordinators and admins type a code from their app next, as a person would.
        from django_otp.oath import totp

        from casework.security import user_ensure_totp_device

        device, _url = user_ensure_totp_device(user=user)
        if "/set-up/" in page.url:
            page.goto("/accounts/two-factor/verify/")
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
        page.get_by_label("Code").fill(f"{code:06d}")
        page.get_by_role("button", name="Verify").click()
        page.wait_for_url(lambda url: "/accounts/two-factor/" not in url)
