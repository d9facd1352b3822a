"""Every main page, as a caseworker sees it: each field has a label, keyboard focus is
visible, and nothing is loaded from another origin."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from casework.models import CaseEvent, Confidentiality
from tests.factories import CaseEventFactory, CaseFactory, DocumentFactory, MentionFactory

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
    sign_in(caseworker)
    for path in pages:
        response = page.goto(path)
        assert response.status == 200, path
        expect(page.locator("main h1")).to_be_visible()
        unlabelled = page.evaluate(UNLABELLED_FIELDS)
        assert unlabelled == [], f"{path}: fields without a label: {unlabelled}"
        assert page.evaluate(OTHER_ORIGINS) == [], path


def test_keyboard_focus_is_visible_from_the_first_tab(page, sign_in, caseworker, host):
    sign_in(caseworker)
    page.goto("/cases/")
    expect(page.locator("main h1")).to_have_text("Cases")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Tab")
    brand = page.get_by_role("link", name="Advocase")
    expect(brand).to_be_focused()
    expect(brand).to_have_css("outline-style", "solid")
