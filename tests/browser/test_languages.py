"""A partner who reads no English: switches the header to Russian or Kazakh, then finds
cases, opens one, imports a sheet with an error and reads it, and looks at their tasks,
all in that language, with no English words of the interface left on those pages."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from casework.followups import follow_up_create
from casework.models import Confidentiality, Membership, Role
from tests.factories import CaseFactory, PersonFactory, member

# Words of the interface that must not be left in English on the pages walked. Names of
# people, references and the brand stay as they are.
ENGLISH_UI_WORDS = [
    "Cases",
    "People",
    "Tasks",
    "Imports",
    "Sign out",
    "Change password",
    "Filters",
    "More filters",
    "New case",
    "Status",
    "Timeline",
    "Preview",
    "Row",
    "Column",
    "Problem",
    "Due",
    "My tasks",
    "Export this list",
    "Language",
]

WALK = {
    "ru": {
        "button": "Русский",
        "cases": "Дела",
        "case_heading": "Дело",
        "upload_label": "Таблица (CSV, XLSX или ODS)",
        "upload": "Загрузить и продолжить",
        "mapping": "Какой столбец что содержит?",
        "continue": "Перейти к предпросмотру",
        "error": "«31.02.2021» — несуществующая дата.",
        "tasks": "Задачи",
        "my_tasks": "Мои задачи",
    },
    "kk": {
        "button": "Қазақша",
        "cases": "Істер",
        "case_heading": "Іс",
        "upload_label": "Кесте (CSV, XLSX немесе ODS)",
        "upload": "Жүктеп, жалғастыру",
        "mapping": "Қай баған не туралы?",
        "continue": "Алдын ала қарауға өту",
        "error": "«31.02.2021» — мұндай күн жоқ.",
        "tasks": "Тапсырмалар",
        "my_tasks": "Менің тапсырмаларым",
    },
}


def _english_left(page) -> list[str]:
    """The English interface words in the page's visible text, whole words only."""
    import re

    text = page.locator("body").inner_text()
    return [word for word in ENGLISH_UI_WORDS if re.search(rf"(?<![\w-]){word}(?![\w-])", text)]


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_a_partner_works_in_their_language_from_the_header_switch(
    language, page, sign_in, partner_user, partner_organisation, screenshot, tmp_path
):
    words = WALK[language]
    person = PersonFactory(full_name="Dana Tokayeva", owning_organisation=partner_organisation)
    case = CaseFactory(
        person=person,
        owning_organisation=partner_organisation,
        confidentiality=Confidentiality.INTERNAL,
    )
    coordinator = member(organisation=partner_organisation, role=Role.COORDINATOR, username="coord")
    follow_up_create(
        case=case,
        title="Call the lawyer",
        assignee=partner_user,
        by=coordinator,
        due_on=datetime.date.today() + datetime.timedelta(days=3),
    )
    english_left: dict[str, list[str]] = {}
    sign_in(partner_user)

    page.get_by_role("button", name=words["button"]).click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert Membership.objects.get(user=partner_user).language == language

    page.get_by_role("navigation").get_by_role("link", name=words["cases"], exact=True).click()
    expect(page.get_by_role("heading", level=1, name=words["cases"])).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", language)
    english_left["cases"] = _look(page, screenshot, f"languages-{language}-cases")

    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", level=1, name="Dana Tokayeva")).to_be_visible()
    english_left["case"] = _look(page, screenshot, f"languages-{language}-case")

    page.get_by_role("link", name="Dana Tokayeva").first.click()
    expect(page.get_by_role("heading", level=1, name="Dana Tokayeva")).to_be_visible()
    english_left["person"] = _look(page, screenshot, f"languages-{language}-person")

    sheet = tmp_path / "ошибка.csv"
    sheet.write_text(
        "ФИО;Дата задержания;Статус\nИванова Мария;31.02.2021;в СИЗО\n", encoding="utf-8"
    )
    page.goto("/imports/new/")
    page.get_by_label(words["upload_label"]).set_input_files(str(sheet))
    page.get_by_role("button", name=words["upload"]).click()
    expect(page.get_by_role("heading", name=words["mapping"])).to_be_visible()
    english_left["import-mapping"] = _look(page, screenshot, f"languages-{language}-import-mapping")
    page.get_by_role("button", name=words["continue"]).click()
    expect(page.get_by_text(words["error"]).first).to_be_visible()
    english_left["import-preview"] = _look(page, screenshot, f"languages-{language}-import-preview")

    page.get_by_role("navigation").get_by_role("link", name=words["tasks"], exact=True).click()
    expect(page.get_by_role("heading", name=words["my_tasks"])).to_be_visible()
    expect(page.get_by_text("Call the lawyer")).to_be_visible()
    english_left["tasks"] = _look(page, screenshot, f"languages-{language}-tasks")
    assert english_left == {page_name: [] for page_name in english_left}


def _look(page, screenshot, name: str) -> list[str]:
    screenshot(name)
    return _english_left(page)


def test_the_sign_in_page_follows_the_browsers_language_and_the_switch(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="ru-RU")
    page = context.new_page()
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", name="Вход")).to_be_visible()
    page.get_by_role("button", name="Қазақша").click()
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.get_by_role("heading", name="Кіру")).to_be_visible()
    context.close()
