"""Playwright for Python driving Debian's Chromium against pytest-django's live server.

Outside CI a missing browser skips these tests with a message saying how to get it; under
CI=true it is a failure, never a skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"

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


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def sign_in(page, password):
    def sign_in_as(user, *, second_factor: bool = True) -> None:
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

    return sign_in_as
