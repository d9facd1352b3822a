"""Advocacy in Russian and Kazakh: its pages read in the user's language with no English left
from its own catalogue, counts take Russian plural forms, and Kazakh falls back to Russian."""

from __future__ import annotations

import datetime
import io
import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext, trans_real
from openpyxl import load_workbook

from casework.models import Confidentiality, Membership, Status
from config.check_translations import po_entries
from tests.factories import (
    ActorFactory,
    CampaignFactory,
    CaseFactory,
    DocumentFactory,
    EngagementFactory,
    FollowUpFactory,
    MentionFactory,
    PersonFactory,
)

LOCALE = Path(__file__).resolve().parents[2] / "advocacy" / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}|<[^>]+>")


def catalogue_english_phrases() -> set[str]:
    """The English of every advocacy string, cut at its placeholders and markup, keeping the
    pieces of two words or more: what a page would show if a string went untranslated."""
    phrases: set[str] = set()
    for _context, msgid in po_entries(LOCALE / "ru" / "LC_MESSAGES" / "django.po"):
        for piece in PLACEHOLDER.split(msgid):
            piece = piece.strip(" ,.;:()·—“”")
            if len(re.findall(r"[A-Za-z]{2,}", piece)) >= 2:
                phrases.add(piece)
    return phrases


ENGLISH = catalogue_english_phrases()


def main_text(html: str) -> str:
    """What the page's main region shows and says to assistive technology."""
    main = BeautifulSoup(html, "html.parser").find("main")
    assert main is not None
    attributes = [
        value
        for element in main.find_all(True)
        for name in ("title", "aria-label", "placeholder", "data-confirm")
        if isinstance(value := element.get(name), str)
    ]
    return " ".join([main.get_text(" "), *attributes])


def english_left(html: str) -> list[str]:
    text = " ".join(main_text(html).split())
    return sorted(phrase for phrase in ENGLISH if phrase in text)


@pytest.fixture
def world(host, caseworker, coordinator):
    """A document naming two cases, a follow-up due and one overdue, an actor, a campaign
    and an engagement, with data in words no catalogue holds."""
    today = timezone.localdate()
    document = DocumentFactory(
        title="Qarar 56",
        reference="P9_TA(2021)0056",
        issued_on=datetime.date(2021, 2, 11),
        votes_for=598,
        votes_against=43,
        votes_abstained=52,
        full_text="Almat Zhumagulov, Aset Abishev",
    )
    for name, status in (
        ("Almat Zhumagulov", Status.RELEASED),
        ("Aset Abishev", Status.IMPRISONED),
    ):
        case = CaseFactory(
            person=PersonFactory(full_name=name),
            confidentiality=Confidentiality.PUBLIC,
            status=status,
            status_since=today - datetime.timedelta(days=3),
            assigned_caseworker=caseworker,
        )
        MentionFactory(document=document, case=case, passage=name)
    FollowUpFactory(case=case, assignee=caseworker, assigned_by=coordinator, title="Qongyrau")
    FollowUpFactory(
        case=case,
        assignee=caseworker,
        assigned_by=coordinator,
        title="Sapar",
        due_on=today - datetime.timedelta(days=2),
    )
    CaseFactory(
        person=PersonFactory(full_name="Aigul Utepova"), confidentiality=Confidentiality.PUBLIC
    )
    actor = ActorFactory(name="Testina Zhunus")
    CampaignFactory(name="Bostandyq", owning_organisation=host)
    EngagementFactory(subject="Kezdesu", owning_organisation=host, actors=[actor])
    return document


def speaking(client, user, language: str):
    Membership.objects.filter(user=user).update(language=language)
    return client


SAMPLE_PAGES = [
    ("dashboard", lambda document: reverse("dashboard"), ["Главная", "Мои открытые задачи"]),
    ("documents", lambda document: reverse("document_list"), ["Документы", "Названо людей"]),
    (
        "document",
        lambda document: reverse("document_detail", args=[document.pk]),
        ["Что стало с названными людьми", "за — 598, против — 43, воздержались — 52"],
    ),
    (
        "mentions",
        lambda document: reverse("document_mention_review", args=[document.pk]),
        ["Упоминания людей в этом документе", "текст из 30 знаков"],
    ),
    (
        "mention form",
        lambda document: reverse("mention_add", args=[document.pk]) + "?q=Utepova",
        ["Добавить упоминание вручную", "Цитируемый фрагмент"],
    ),
    (
        "document form",
        lambda document: reverse("document_edit", args=[document.pk]),
        ["Изменить документ", "Принявший орган", "Голосов «за»"],
    ),
    (
        "text",
        lambda document: reverse("document_text_upload", args=[document.pk]),
        ["Текст документа", "Или вставьте текст"],
    ),
    ("actors", lambda document: reverse("actor_list"), ["Адресаты", "Политическая группа"]),
    ("campaigns", lambda document: reverse("campaign_list"), ["Кампании"]),
    ("engagements", lambda document: reverse("engagement_list"), ["Взаимодействия"]),
]


@pytest.mark.parametrize(("name", "url", "russian"), SAMPLE_PAGES, ids=[p[0] for p in SAMPLE_PAGES])
def test_it_shows_the_page_in_russian_with_no_english_left(
    client_as_caseworker, caseworker, world, name, url, russian
):
    response = speaking(client_as_caseworker, caseworker, "ru").get(url(world))
    assert response.status_code == 200
    for words in russian:
        assert words in " ".join(main_text(response.text).split()), words
    assert english_left(response.text) == []


@pytest.mark.parametrize(("name", "url", "russian"), SAMPLE_PAGES, ids=[p[0] for p in SAMPLE_PAGES])
def test_it_shows_the_page_in_kazakh_with_no_english_left(
    client_as_caseworker, caseworker, world, name, url, russian
):
    response = speaking(client_as_caseworker, caseworker, "kk").get(url(world))
    assert response.status_code == 200
    assert english_left(response.text) == []


def test_the_english_check_would_see_an_untranslated_page(client_as_caseworker, world):
    response = client_as_caseworker.get(reverse("document_detail", args=[world.pk]))
    assert "What became of the people it names" in english_left(response.text)


def test_it_writes_the_dashboard_in_kazakh(client_as_caseworker, caseworker, world):
    response = speaking(client_as_caseworker, caseworker, "kk").get(reverse("dashboard"))
    text = main_text(response.text)
    assert "Менің ашық тапсырмаларым" in text
    assert "2 күн кешіктірілді" in text


@pytest.mark.parametrize(
    ("count", "expected"),
    [(1, "1 дело"), (2, "2 дела"), (4, "4 дела"), (5, "5 дел"), (11, "11 дел"), (21, "21 дело")],
)
def test_it_counts_cases_in_russian_plural_forms(count, expected):
    with translation.override("ru"):
        assert (
            ngettext("%(counter)s case", "%(counter)s cases", count) % {"counter": count}
            == expected
        )


@pytest.mark.parametrize(
    ("days", "expected"),
    [(1, "просрочено на 1 день"), (3, "просрочено на 3 дня"), (5, "просрочено на 5 дней")],
)
def test_it_says_how_overdue_a_follow_up_is_in_russian(
    client_as_caseworker, caseworker, coordinator, host, days, expected
):
    FollowUpFactory(
        assignee=caseworker,
        assigned_by=coordinator,
        due_on=timezone.localdate() - datetime.timedelta(days=days),
    )
    response = speaking(client_as_caseworker, caseworker, "ru").get(reverse("dashboard"))
    assert expected in main_text(response.text)


def test_it_writes_dates_in_russian_through_the_shared_formats(
    client_as_caseworker, caseworker, coordinator, host
):
    FollowUpFactory(assignee=caseworker, assigned_by=coordinator, due_on=datetime.date(2099, 12, 6))
    response = speaking(client_as_caseworker, caseworker, "ru").get(reverse("dashboard"))
    text = main_text(response.text)
    assert "срок — 6 дек. 2099" in text
    assert "Dec" not in text


def test_kazakh_falls_back_to_russian_for_a_string_it_lacks(
    client_as_caseworker, caseworker, world, monkeypatch
):
    kazakh = trans_real.translation("kk")
    holding = [c for c in kazakh._catalog._catalogs if "My open follow-ups" in c]
    assert holding
    for catalogue in holding:  # as if no one had translated it yet
        monkeypatch.delitem(catalogue, "My open follow-ups")
    response = speaking(client_as_caseworker, caseworker, "kk").get(reverse("dashboard"))
    text = main_text(response.text)
    assert "Мои открытые задачи" in text
    assert "My open follow-ups" not in text
    assert "Басты бет" in text  # the strings it has stay Kazakh


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_advocacy_catalogue_has_no_untranslated_or_fuzzy_entry(language):
    entries = po_entries(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert len(entries) > 500
    assert [msgid for (_c, msgid), entry in entries.items() if not entry["translated"]] == []
    assert [msgid for (_c, msgid), entry in entries.items() if entry["fuzzy"]] == []


def test_it_writes_the_impact_export_in_russian(client_as_caseworker, caseworker, world):
    response = speaking(client_as_caseworker, caseworker, "ru").get(
        reverse("document_impact_export", args=[world.pk, "xlsx"])
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Итоги", "Сводка"]
    header = [cell.value for cell in workbook["Итоги"][1]]
    assert header[:3] == ["Человек", "Имя в исходном написании", "Номер дела"]
    summary = {row[0].value: row[1].value for row in workbook["Сводка"].iter_rows()}
    assert summary["Названо людей"] == 2
    assert summary["По-прежнему лишены свободы"] == 1


def test_it_says_in_russian_how_many_follow_ups_it_created(
    client_as_coordinator, coordinator, world
):
    response = speaking(client_as_coordinator, coordinator, "ru").post(
        reverse("document_create_follow_ups", args=[world.pk]), {"due_in_days": "90"}, follow=True
    )
    assert "Создана 1 задача, срок — 90 дней." in response.text


def advocacy_translations(language: str) -> dict[str, str]:
    """msgid -> msgstr of the advocacy catalogue's plain (no context, no plural) entries."""
    catalogue: dict[str, str] = {}
    for block in (LOCALE / language / "LC_MESSAGES" / "django.po").read_text().split("\n\n"):
        if "msgctxt" in block or "msgid_plural" in block or "#~" in block:
            continue
        match = re.search(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', block, re.M)
        if match:
            msgid, msgstr = (
                "".join(json.loads(line) for line in part.split("\n") if line)
                for part in match.groups()
            )
            if msgid:
                catalogue[msgid] = msgstr
    return catalogue


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_no_other_apps_catalogue_overrides_the_advocacy_words(language):
    project = po_entries(
        Path(__file__).resolve().parents[2] / "locale" / language / "LC_MESSAGES" / "django.po"
    )
    overridden = []
    with translation.override(language):
        for msgid, msgstr in advocacy_translations(language).items():
            if project.get(("", msgid), {}).get("translated"):
                continue  # the project's catalogue may choose for the whole app
            if translation.gettext(msgid) != msgstr:
                overridden.append((msgid, translation.gettext(msgid), msgstr))
    assert overridden == []
