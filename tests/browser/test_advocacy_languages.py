"""A partner-facing reader switches to Russian, then Kazakh, in the header, and reads the
dashboard, a document page and the actors list in that language, with no English left from
the advocacy catalogue (screenshots in screenshots/advocacy_<language>_<page>.png)."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import Confidentiality, Membership, Status
from tests.advocacy.test_translations import english_left
from tests.factories import (
    ActorFactory,
    CaseFactory,
    DocumentFactory,
    FollowUpFactory,
    MentionFactory,
    PersonFactory,
    PositionFactory,
)

PAGES = {
    "ru": {
        "dashboard": ["Главная", "Мои открытые задачи", "Последние документы"],
        "document": ["Что стало с названными людьми", "Статус сегодня", "Упоминания"],
        "actors": ["Адресаты", "Политическая группа"],
    },
    "kk": {
        "dashboard": ["Басты бет", "Менің ашық тапсырмаларым", "Соңғы құжаттар"],
        "document": ["Аталған адамдардың жағдайы", "Бүгінгі мәртебе", "Аталымдар"],
        "actors": ["Адресаттар", "Саяси топ"],
    },
}


@pytest.fixture
def resolution(host, caseworker, coordinator):
    document = DocumentFactory(
        title="Qarar 56 (P9_TA(2021)0056)",
        reference="P9_TA(2021)0056",
        issued_on=datetime.date(2021, 2, 11),
        votes_for=598,
        votes_against=43,
        votes_abstained=52,
        full_text="Almat Zhumagulov; Aset Abishev",
    )
    for name, status in (
        ("Almat Zhumagulov", Status.RELEASED),
        ("Aset Abishev", Status.IMPRISONED),
    ):
        case = CaseFactory(
            person=PersonFactory(full_name=name),
            confidentiality=Confidentiality.PUBLIC,
            status=status,
            status_since=timezone.localdate() - datetime.timedelta(days=5),
            assigned_caseworker=caseworker,
        )
        MentionFactory(document=document, case=case, passage=name)
    FollowUpFactory(
        case=case,
        assignee=caseworker,
        assigned_by=coordinator,
        title="Qongyrau",
        due_on=timezone.localdate() - datetime.timedelta(days=3),
    )
    PositionFactory(
        actor=ActorFactory(name="Testina Zhunus"),
        kind="political_group",
        body="Group of the European People's Party",
        body_code="EPP",
    )
    return document


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_it_reads_the_advocacy_pages_in_the_language_chosen_in_the_header(
    page, sign_in, caseworker, resolution, screenshot, language
):
    sign_in(caseworker)
    name = {"ru": "Русский", "kk": "Қазақша"}[language]
    page.locator(".language-switch").get_by_role("button", name=name).click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert Membership.objects.get(user=caseworker).language == language

    for page_name, path in (
        ("dashboard", "/"),
        ("document", f"/documents/{resolution.pk}/"),
        ("actors", "/actors/"),
    ):
        # The switch brings back the page it was pressed on, the dashboard, in the language
        # chosen: it is read there, once loaded, not asked for a second time.
        address = urlsplit(page.url)
        if (address.path, address.query) != (path, ""):
            page.goto(path)
        page.wait_for_load_state()
        main = page.locator("main")
        for words in PAGES[language][page_name]:
            expect(main).to_contain_text(words)
        screenshot(f"advocacy_{language}_{page_name}")
        assert english_left(page.content()) == [], page_name
