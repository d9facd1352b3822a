"""The API's two pages in Chromium: making a token on the account page (its secret shown
once) and the interactive docs, which must run under the CSP (script-src 'self')."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from casework.models import ApiToken, Status
from tests.factories import CaseFactory


@pytest.fixture(autouse=True)
def _patient_page(page):
    # The shared machine runs many test suites at once: a first page load (the dashboard)
    # can take longer than the usual ten seconds there.
    page.set_default_timeout(60_000)
    page.set_default_navigation_timeout(60_000)


@pytest.fixture
def console_errors(page):
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    return errors


def test_it_shows_a_new_token_once_on_the_account_page(page, sign_in, caseworker, screenshot):
    sign_in(caseworker)
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Name").fill("Our case database sync")
    page.get_by_label("Expires after").select_option("30")
    page.get_by_label("Read and write").check()
    page.get_by_role("button", name="Make token").click()
    secret = page.locator(".api-token-secret").inner_text()
    token = ApiToken.objects.get(user=caseworker)
    assert secret.startswith(token.prefix) and token.can_write
    expect(page.get_by_text("This is the only time it is shown")).to_be_visible()
    screenshot("api-token-made")
    page.goto("/accounts/api-tokens/")
    expect(page.get_by_role("cell", name="Our case database sync")).to_be_visible()
    assert secret not in page.content()
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("Revoked", exact=False).first).to_be_visible()
    screenshot("api-token-revoked")


def test_it_runs_the_docs_page_under_the_csp(
    page, sign_in, caseworker, host, screenshot, console_errors
):
    CaseFactory(owning_organisation=host, status=Status.IMPRISONED)
    response = sign_in(caseworker, at="/api/v1/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Advocase API", timeout=60_000)
    # Try the case list with the session, as someone reading the docs would.
    operation = page.locator("#operations-cases-cases_list")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".live-responses-table tbody .response-col_status")).to_contain_text(
        "200", timeout=60_000
    )
    screenshot("api-docs")
    assert not [error for error in console_errors if "Content Security Policy" in error], (
        console_errors
    )
