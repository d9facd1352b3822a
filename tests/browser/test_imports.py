"""A partner imports a messy Russian Excel file in a real browser: sees what will happen,
settles the one uncertain person, confirms, and gets no duplicates."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from casework.models import Case, Confidentiality, ImportRun, Person
from tests.factories import CaseFactory, PersonFactory

MESSY = Path(__file__).resolve().parents[1] / "casework" / "import_files" / "partner_messy_ru.xlsx"


@pytest.fixture
def console_errors(page):
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    return errors


def test_a_partner_imports_a_messy_russian_workbook_without_duplicates(
    page, sign_in, partner_user, partner_organisation, host, screenshot, console_errors
):
    assets: dict[str, int] = {}
    page.on(
        "response",
        lambda response: (
            assets.__setitem__(response.url, response.status)
            if "/static/" in response.url
            else None
        ),
    )
    zhumagulov = PersonFactory(
        full_name="Almat Zhumagulov", birth_year=1985, owning_organisation=host
    )
    CaseFactory(person=zhumagulov, owning_organisation=host, confidentiality=Confidentiality.PUBLIC)
    tokayeva = PersonFactory(
        full_name="Dana Tokayeva", birth_year=1992, owning_organisation=partner_organisation
    )
    sign_in(partner_user)

    page.get_by_role("link", name="Imports").click()
    page.get_by_role("link", name="Import a spreadsheet").click()
    page.get_by_label("Spreadsheet (CSV, XLSX or ODS)").set_input_files(str(MESSY))
    page.get_by_role("button", name="Upload and continue").click()

    expect(page.get_by_role("heading", name="Which column is which?")).to_be_visible()
    expect(page.get_by_label("Дата задержания")).to_have_value("detained_on")
    screenshot("import-mapping")
    page.get_by_role("button", name="Continue to the preview").click()

    expect(page.get_by_role("heading", name="Preview: what the import will do")).to_be_visible()
    counts = page.get_by_role("list", name="Counts")
    expect(counts).to_contain_text("4 new")
    expect(counts).to_contain_text("1 possible duplicate")
    expect(page.locator(".side-by-side")).to_contain_text("Токаева Дана")
    expect(page.locator(".side-by-side")).to_contain_text("Dana Tokayeva")
    expect(page.locator("tr.outcome--new").first).to_contain_text("Almat Zhumagulov")
    assert Person.objects.count() == 2  # the preview wrote nothing
    screenshot("import-preview")

    page.get_by_role("radio", name="Same person").check()
    page.get_by_role("button", name="Apply my choices and preview again").click()
    expect(page.get_by_role("list", name="Counts")).to_contain_text("5 new")
    expect(page.get_by_role("list", name="Counts")).to_contain_text("0 possible duplicates")
    page.get_by_role("button", name="Confirm and import").click()

    expect(page.locator("#import-state")).to_have_text("Imported")
    expect(page.get_by_role("list", name="Counts")).to_contain_text("5 new")
    screenshot("import-result")
    assert Person.objects.filter(full_name="Almat Zhumagulov").count() == 1
    assert Person.objects.filter(full_name__icontains="Tokayeva").count() == 1
    assert Case.objects.filter(person=tokayeva).count() == 2
    assert Case.objects.filter(owning_organisation=partner_organisation).count() == 5
    run = ImportRun.objects.get()
    assert run.user == partner_user and run.state == ImportRun.State.DONE

    page.get_by_role("link", name="Imports").first.click()
    expect(page.locator("table")).to_contain_text("partner_messy_ru.xlsx")
    expect(page.locator("table")).to_contain_text(run.file_sha256[:12])
    assert not [error for error in console_errors if "Content Security Policy" in error]
    import_assets = {url: status for url, status in assets.items() if "imports." in url}
    assert len(import_assets) == 2 and set(import_assets.values()) <= {200, 304}, import_assets


def test_the_import_history_fits_a_laptop_screen(page, sign_in, partner_user, partner_organisation):
    partner_organisation.name = "Kazakhstan International Bureau for Human Rights and Rule of Law"
    partner_organisation.save()
    file_name = "Список_политзаключённых_Казахстан_2024_обновлённый_финальный_v2.xlsx"
    for number in range(3):
        ImportRun.objects.create(
            organisation=partner_organisation,
            user=partner_user,
            file_name=file_name,
            file_sha256=f"{number:064x}",
            state=ImportRun.State.DONE,
            count_new=120,
            count_possible_duplicates=12,
            count_errors=4,
        )
    sign_in(partner_user, at="/imports/")
    table = page.get_by_role("region", name="Imports")
    assert table.evaluate("element => element.scrollWidth <= element.clientWidth")
    expect(page.get_by_role("columnheader", name="Possible duplicates")).to_be_in_viewport()
    expect(page.get_by_role("columnheader", name="Errors")).to_be_in_viewport()
    expect(page.get_by_title(file_name).first).to_be_visible()


UNKNOWN_WORDS = MESSY.parent / "partner_unknown_words.xlsx"
PHONE = {"width": 390, "height": 844}


def _upload(page, path: Path) -> None:
    if not page.url.endswith("/imports/new/"):  # the first: signing in opened it
        page.goto("/imports/new/")
    page.get_by_label("Spreadsheet (CSV, XLSX or ODS)").set_input_files(str(path))
    page.get_by_role("button", name="Upload and continue").click()


def _no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "() => document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth"
    )


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_partner_imports_the_messy_sheet_choosing_a_word_once_and_fixing_the_skipped_row(
    size, page, sign_in, partner_user, partner_organisation, screenshot, console_errors, tmp_path
):
    from openpyxl import load_workbook

    from casework.models import Status, StatusWord

    if size == "phone":
        page.set_viewport_size(PHONE)
    long_name = "Список_политзаключённых_партнёра_обновлённый_вручную_финальный_v3.xlsx"
    upload = tmp_path / long_name
    upload.write_bytes(UNKNOWN_WORDS.read_bytes())
    sign_in(partner_user, at="/imports/new/")

    _upload(page, upload)

    # Every column is mapped or knowingly ignored, with what it holds beside it.
    expect(page.get_by_role("heading", name="Which column is which?")).to_be_visible()
    ignored = page.get_by_role("region", name="2 columns will be ignored:")
    expect(ignored).to_contain_text("Контакты родственников")
    expect(ignored).to_contain_text("сестра, мать, брат")
    expect(page.get_by_label("Текущее положение")).to_have_value("status")
    expect(page.get_by_label("Где содержится")).to_have_value("detention_place")
    expect(page.get_by_label("Дата рожд.")).to_have_value("birth")
    assert _no_sideways_scroll(page)
    screenshot(f"import-{size}-1-mapping")
    page.get_by_role("button", name="Continue to the preview").click()

    # The word nothing knows is asked about once, grouped.
    words = page.get_by_role("region", name="Status words the app does not know yet")
    expect(words).to_contain_text("«под наблюдением» — 3 rows")
    assert _no_sideways_scroll(page)
    screenshot(f"import-{size}-2-unknown-word")
    words.get_by_label("«под наблюдением» — 3 rows").select_option(Status.INVESTIGATION)
    words.get_by_role("button", name="Remember these and preview again").click()

    expect(page.get_by_role("list", name="Counts")).to_contain_text("1 error")
    skip = page.get_by_role("button", name="Import the 5 valid rows and skip the 1 with errors")
    expect(skip).to_be_visible()
    expect(page.get_by_role("button", name="Import all or nothing")).to_be_disabled()
    screenshot(f"import-{size}-3-preview")
    skip.click()

    expect(page.locator("#import-state")).to_have_text("Imported — 1 row skipped")
    assert StatusWord.objects.get().status == Status.INVESTIGATION
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the skipped rows (XLSX)").click()
    screenshot(f"import-{size}-4-result")
    assert download.value.suggested_filename.startswith(long_name.removesuffix(".xlsx")[:60])
    downloaded = tmp_path / download.value.suggested_filename
    download.value.save_as(downloaded)
    workbook = load_workbook(downloaded)
    assert workbook.active["H2"].value.startswith("C (Дата рожд.)")
    workbook.active["C2"] = "31.01.1985"
    fixed = tmp_path / "rows-to-fix.xlsx"
    workbook.save(fixed)

    # The fixed sheet of the skipped row imports on its own, its "Error" column ignored.
    _upload(page, fixed)
    expect(page.get_by_role("region", name="3 columns will be ignored:")).to_contain_text("Error")
    page.get_by_role("button", name="Continue to the preview").click()
    expect(page.get_by_role("list", name="Counts")).to_contain_text("0 errors")
    page.get_by_role("button", name="Confirm and import").click()
    expect(page.locator("#import-state")).to_have_text("Imported")
    assert Person.objects.count() == 6
    assert Case.objects.filter(status=Status.INVESTIGATION).count() == 3

    page.goto("/imports/status-words/")
    expect(page.get_by_label("Means")).to_have_value(Status.INVESTIGATION)
    assert _no_sideways_scroll(page)
    screenshot(f"import-{size}-5-status-words")
    assert not [error for error in console_errors if "Content Security Policy" in error]
