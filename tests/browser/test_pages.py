"""Every main page, as a caseworker sees it: each field has a label, keyboard focus is
visible, and nothing is loaded from another origin."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from casework.models import CaseEvent, Confidentiality
from tests.factories import (
    ActorFactory,
    CaseEventFactory,
    CaseFactory,
    DocumentFactory,
    MentionFactory,
    PersonFactory,
)

UNLABELLED_FIELDS = """() => [...document.querySelectorAll('input, select, textarea')]
    .filter(field => !['hidden', 'submit', 'button'].includes(field.type))
    .filter(field => !(field.labels && field.labels.length)
                     && !field.getAttribute('aria-label')
                     && !field.getAttribute('aria-labelledby'))
    .map(field => field.name || field.id)"""

OTHER_ORIGINS = """() => performance.getEntriesByType('resource')
    .map(entry => entry.name)
    .filter(name => !name.startsWith(location.origin))"""


@pytest.fixture
def pages(host):
    case = CaseFactory(owning_organisation=host, confidentiality=Confidentiality.INTERNAL)
    CaseEventFactory(case=case, kind=CaseEvent.Kind.VISIT, source="A lawyer")
    document = DocumentFactory()
    MentionFactory(document=document, case=case)
    return [
        "/",
        "/cases/",
        "/cases/new/",
        f"/cases/{case.pk}/",
        f"/cases/{case.pk}/edit/",
        f"/cases/{case.pk}/status/",
        f"/cases/{case.pk}/events/new/",
        "/people/",
        f"/people/{case.person.pk}/",
        "/documents/",
        "/documents/new/",
        f"/documents/{document.pk}/",
        f"/documents/{document.pk}/mentions/new/",
        f"/cases/?document={document.pk}",
        "/tasks/",
        "/imports/",
        "/notifications/",
        "/accounts/password/",
    ]


def test_every_field_on_the_main_pages_has_a_label_and_nothing_comes_from_elsewhere(
    page, sign_in, caseworker, pages
):
    # Signing in opens the first page; the loop checks it without opening it again.
    first = sign_in(caseworker, at=pages[0])
    for path in pages:
        response = first if path == pages[0] else page.goto(path)
        assert response.status == 200, path
        expect(page.locator("main h1")).to_be_visible()
        unlabelled = page.evaluate(UNLABELLED_FIELDS)
        assert unlabelled == [], f"{path}: fields without a label: {unlabelled}"
        assert page.evaluate(OTHER_ORIGINS) == [], path


def test_keyboard_focus_is_visible_from_the_first_tab(page, sign_in, caseworker, host):
    sign_in(caseworker, at="/cases/")
    expect(page.locator("main h1")).to_have_text("Cases")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Tab")
    brand = page.get_by_role("link", name="Advocase")
    expect(brand).to_be_focused()
    expect(brand).to_have_css("outline-style", "solid")


def test_a_phone_sees_the_newest_documents_of_the_dashboard_chart_first(
    page, sign_in, caseworker, host
):
    case = CaseFactory(owning_organisation=host, confidentiality=Confidentiality.INTERNAL)
    for year in range(2012, 2024):
        MentionFactory(
            document=DocumentFactory(issued_on=datetime.date(year, 3, 1), reference=f"DOC-{year}"),
            case=case,
        )
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(caseworker)
    chart = page.get_by_role("region", name="Chart: named and released since, by document")
    chart.scroll_into_view_if_needed()
    # The chart is wider than the phone and starts at its right end: the newest document
    # is in view, the oldest is off to the left, and a line says so.
    expect(chart.get_by_text("DOC-2023")).to_be_in_viewport()
    expect(chart.get_by_text("DOC-2012")).not_to_be_in_viewport()
    expect(page.get_by_text("Newest documents on the right")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_dashboard_chart_fills_its_card_on_a_laptop(page, sign_in, caseworker, host):
    case = CaseFactory(owning_organisation=host, confidentiality=Confidentiality.INTERNAL)
    MentionFactory(document=DocumentFactory(), case=case)
    sign_in(caseworker)
    chart = page.get_by_role("region", name="Chart: named and released since, by document")
    card = page.locator("section", has=chart)
    svg_width = chart.locator("svg").bounding_box()["width"]
    assert svg_width >= card.bounding_box()["width"] * 0.9
    expect(page.get_by_text("Newest documents on the right")).to_be_hidden()


def test_a_disabled_button_looks_disabled(page, sign_in, caseworker, host):
    sign_in(caseworker, at="/tasks/preferences/")
    page.evaluate(
        """() => {
            const form = document.querySelector('main form');
            for (const [text, markup] of [
                ['Enabled', '<button type="button">Enabled</button>'],
                ['Disabled', '<button type="button" disabled>Disabled</button>'],
                ['Not yet', '<a class="button" aria-disabled="true">Not yet</a>'],
            ]) { form.insertAdjacentHTML('beforeend', markup); }
        }"""
    )
    enabled = page.get_by_role("button", name="Enabled")
    for disabled in (page.get_by_role("button", name="Disabled"), page.get_by_text("Not yet")):
        disabled.hover()
        expect(disabled).to_have_css("cursor", "not-allowed")
        assert disabled.evaluate("e => getComputedStyle(e).backgroundColor") != enabled.evaluate(
            "e => getComputedStyle(e).backgroundColor"
        )


def test_a_phone_folds_the_menu_so_the_page_starts_on_the_first_screen(
    page, sign_in, coordinator, host
):
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(coordinator, at="/people/")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    # The bell and the languages stay in the one short header.
    expect(page.locator(".bell")).to_be_visible()
    expect(page.locator(".language-switch")).to_be_visible()
    assert page.locator(".site-header").bounding_box()["height"] < 120
    expect(page.locator("main h1")).to_be_in_viewport()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Tasks").click()
    page.wait_for_url("**/tasks/")
    # Turned to a laptop's width the menu is open and the button gone.
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()


def test_without_javascript_a_phone_shows_the_whole_menu(
    browser, live_server, caseworker, password
):
    context = browser.new_context(
        base_url=live_server.url,
        java_script_enabled=False,
        viewport={"width": 375, "height": 740},
    )
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(caseworker.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url, wait_until="load")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    context.close()


@pytest.mark.parametrize("path", ["/people/", "/documents/", "/actors/"])
def test_a_phone_lists_each_row_as_a_card_never_wider_than_the_screen(
    page, sign_in, coordinator, host, path
):
    person = PersonFactory(
        full_name="Yerzhan Seitkali Bolatuly",
        native_name="Ержан Сейтқали Болатұлы",
        owning_organisation=host,
    )
    case = CaseFactory(
        person=person,
        owning_organisation=host,
        reference="KIBHR-2026-LONG-REFERENCE-0042",
        confidentiality=Confidentiality.INTERNAL,
    )
    document = DocumentFactory(
        title="European Parliament resolution on the human rights situation in Kazakhstan",
        reference="P9_TA(2021)0056",
    )
    MentionFactory(document=document, case=case)
    ActorFactory(name="Karl-Heinrich Mustermann-Schönberger")
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(coordinator, at=path)
    # Nothing wider than the screen, the table included: no sideways scrolling anywhere.
    wrap = page.locator("table.card-table").locator("xpath=..")
    assert wrap.evaluate("wrap => wrap.scrollWidth <= wrap.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    title = page.locator("table.card-table tbody tr").first.locator(".card-table__title a")
    box = title.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 375
