"""A caseworker's day in a real browser: record a person and a case, change the status,
find the case by a Cyrillic spelling, export the filtered list and open the file."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from playwright.sync_api import expect

from casework.models import Case, Confidentiality, Status
from tests.factories import CaseFactory, ChargeFactory, OrganisationFactory, PersonFactory


@pytest.fixture
def console_errors(page):
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    return errors


def test_it_records_a_case_changes_its_status_and_exports_the_filtered_list(
    page, sign_in, caseworker, host, screenshot, console_errors
):
    CaseFactory(
        person=PersonFactory(full_name="Serik Released", owning_organisation=host),
        status=Status.RELEASED,
        detained_on=None,
    )
    sign_in(caseworker)

    page.get_by_role("link", name="Cases", exact=True).click()
    page.get_by_role("link", name="New case").click()
    page.get_by_label("Full name (Latin script)").fill("Almat Zhumagulov")
    page.get_by_label("Name in native script").fill("Алмат Жумагулов")
    page.get_by_label("Region").fill("Almaty")
    page.get_by_label("Status", exact=True).select_option("pretrial_detention")
    page.get_by_label("Status since").fill("2024-02-01")
    page.get_by_label("Detained on").fill("2024-02-01")
    page.get_by_label("Torture or ill-treatment").check()
    screenshot("case-form")
    page.get_by_role("button", name="Create case").click()

    page.wait_for_url("**/cases/*/")
    expect(page.get_by_text("created.")).to_be_visible()
    case = Case.objects.get(person__full_name="Almat Zhumagulov")
    assert case.status == Status.PRETRIAL_DETENTION

    page.get_by_role("link", name="Change status").click()
    page.get_by_label("New status").select_option("imprisoned")
    page.get_by_label("Date of the change").fill("2024-09-15")
    page.get_by_label("Source").fill("Verdict of the Almaty city court")
    page.get_by_label("Note").fill("Sentenced to seven years")
    page.get_by_role("button", name="Change status").click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("Sentenced to seven years")
    expect(timeline.locator("li").first).to_have_text(re.compile(r"^\s*15 Sep 2024"))
    screenshot("case-page")

    page.goto("/cases/")
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(2)
    # htmx replaces the results in place and puts the filters in the address.
    page.get_by_label("Imprisoned", exact=True).check()
    page.wait_for_url("**status=imprisoned**")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Almat Zhumagulov")
    page.get_by_label("Imprisoned", exact=True).uncheck()
    expect(rows).to_have_count(2)
    page.get_by_label("Name or reference").fill("Жумагулов")
    page.wait_for_url("**q=**")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Almat Zhumagulov")
    screenshot("case-list")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    path = download_info.value.path()
    exported = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert len(exported) == 2
    assert exported[1][exported[0].index("Person")] == "Almat Zhumagulov"
    assert exported[1][exported[0].index("Status")] == "Imprisoned"

    page.get_by_role("link", name="Almat Zhumagulov").click()
    page.wait_for_url("**/people/*/")
    page.get_by_label("Other name or spelling").fill("Zhumagulov A.")
    page.get_by_role("button", name="Add name").click()
    expect(page.get_by_text("added as another name")).to_be_visible()
    screenshot("person-page")

    assert not [error for error in console_errors if "Content Security Policy" in error]


def test_the_case_list_works_without_javascript(browser, live_server, caseworker, host, password):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    CaseFactory(
        person=PersonFactory(full_name="Almat Zhumagulov", owning_organisation=host),
        status=Status.IMPRISONED,
    )
    CaseFactory(
        person=PersonFactory(full_name="Serik Released", owning_organisation=host),
        status=Status.RELEASED,
        detained_on=None,
    )
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(caseworker.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/cases/")
    page.get_by_label("Released", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()
    # Without JavaScript the form is a plain GET: wait for the new page, not just its address.
    page.wait_for_url("**status=released**", wait_until="load")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results tbody")).to_contain_text("Serik Released")
    context.close()


def test_it_shows_a_phone_sized_case_list(page, sign_in, caseworker, host, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    CaseFactory(
        person=PersonFactory(
            full_name="Almat Zhumagulov", native_name="Алмат Жумагулов", owning_organisation=host
        ),
        detained_on=datetime.date(2024, 1, 10),
    )
    sign_in(caseworker, at="/cases/")
    screenshot("case-list-phone")
    # Nothing wider than the screen: the page never scrolls sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_pressing_enter_after_the_duplicate_warning_never_picks_an_existing_person(
    page, sign_in, caseworker, host, screenshot
):
    existing = PersonFactory(
        full_name="Almat Zhumagulov", native_name="Алмат Жумагулов", owning_organisation=host
    )
    sign_in(caseworker, at="/cases/new/")
    name = page.get_by_label("Full name (Latin script)")
    name.fill("Almat Jumagulov")
    with page.expect_response(lambda response: response.request.method == "POST"):
        name.press("Enter")
    choices = page.get_by_role("group", name="Is this someone already on file?")
    expect(choices).to_be_visible()
    expect(choices.get_by_label("Use Almat Zhumagulov")).not_to_be_checked()
    screenshot("case-form-duplicates")

    # Enter again, as someone who did not read the warning would: still nothing is saved.
    with page.expect_response(lambda response: response.request.method == "POST"):
        page.get_by_label("Full name (Latin script)").press("Enter")
    expect(page.get_by_role("group", name="Is this someone already on file?")).to_be_visible()
    expect(page.get_by_text("This person may already be on file.")).to_be_visible()
    assert not Case.objects.exists()

    page.get_by_label("None of these — create a new person").check()
    page.get_by_label("Full name (Latin script)").press("Enter")
    page.wait_for_url("**/cases/*/")
    expect(page.get_by_text("created.")).to_be_visible()
    case = Case.objects.get()
    assert case.person != existing
    assert case.person.full_name == "Almat Jumagulov"


def test_the_back_button_after_filtering_brings_back_the_whole_page(
    page, sign_in, caseworker, host
):
    CaseFactory(person=PersonFactory(full_name="Almat Zhumagulov"), status=Status.IMPRISONED)
    CaseFactory(
        person=PersonFactory(full_name="Serik Released"), status=Status.RELEASED, detained_on=None
    )
    sign_in(caseworker, at="/cases/")
    rows = page.locator("#results tbody tr")
    page.get_by_label("Imprisoned", exact=True).check()
    page.wait_for_url("**status=imprisoned**")
    expect(rows).to_have_count(1)
    page.get_by_label("Released", exact=True).check()
    page.wait_for_url("**status=released**")
    expect(rows).to_have_count(2)

    # htmx keeps no copy of the page (historyCacheSize 0), so Back asks the server with
    # HX-History-Restore-Request: the answer must be the whole page, filters included.
    page.go_back()
    page.wait_for_url(lambda url: "status=released" not in url)
    expect(rows).to_have_count(1)
    expect(page.locator("#case-filters")).to_be_visible()
    expect(page.get_by_role("heading", name="Cases", level=1)).to_have_count(1)
    expect(page.get_by_label("Imprisoned", exact=True)).to_be_checked()


def _long_case(host):
    organisation = OrganisationFactory(
        name="Kazakhstan International Bureau for Human Rights and the Rule of Law"
    )
    case = CaseFactory(
        reference="KIBHR-2024-00042",
        person=PersonFactory(
            full_name="Zhanbolat Agadil-Zheksebayev",
            native_name="Жанболат Агадил-Жексебаев",
            region="East Kazakhstan Region",
            owning_organisation=organisation,
        ),
        owning_organisation=organisation,
        confidentiality=Confidentiality.PUBLIC,
        status=Status.PSYCHIATRIC_DETENTION,
    )
    case.charges.add(
        ChargeFactory(article="174", part="2"),
        ChargeFactory(article="405", part="2"),
        ChargeFactory(article="179", part="3"),
    )
    return case


def test_the_case_table_fits_a_laptop_screen(page, sign_in, caseworker, host, screenshot):
    _long_case(host)
    CaseFactory(person=PersonFactory(full_name="Almat Zhumagulov"), status=Status.IMPRISONED)
    sign_in(caseworker, at="/cases/")
    expect(page.locator("#results tbody tr")).to_have_count(2)
    expect(page.get_by_role("columnheader", name="Organisation")).to_be_visible()
    # Every column inside its card at 1280 px: nothing to scroll to, nothing clipped.
    page.wait_for_function(
        "() => { const wrap = document.querySelector('#results .table-wrap');"
        " return wrap.scrollWidth <= wrap.clientWidth; }"
    )
    screenshot("case-list-long")


def test_the_case_table_never_makes_a_phone_page_scroll_sideways(
    page, sign_in, caseworker, host, screenshot
):
    page.set_viewport_size({"width": 390, "height": 844})
    _long_case(host)
    sign_in(caseworker, at="/cases/")
    table = page.get_by_role("region", name="Cases")
    expect(table).to_contain_text("Psychiatric")
    expect(table).to_contain_text("since 10 Jan 2024")
    # The page itself never scrolls sideways; the table's own region can take the focus,
    # so a keyboard can scroll it if a long name ever makes it wider than the screen.
    page.wait_for_function("() => document.documentElement.scrollWidth <= 390")
    table.focus()
    expect(table).to_be_focused()
    screenshot("case-list-phone-long")


LONG_ORGANISATION = (
    "Kazakhstan International Bureau for Human Rights and Rule of Law, "
    "Almaty Regional Branch for Monitoring of Places of Detention"
)


def test_a_phone_shows_each_case_whole_and_the_filtered_results_on_the_first_screen(
    page, sign_in, caseworker, host
):
    # Long single words, as in the seed data: neither the reference nor the name can wrap
    # short enough for three columns on a phone.
    for name in ("Dametkan Aspandiyarova", "Nurgul Onlabekkyzykyzy"):
        CaseFactory(
            person=PersonFactory(full_name=name, owning_organisation=host),
            reference=f"SEED-{name.split()[1].upper()}",
            status=Status.IMPRISONED,
            status_since=datetime.date(2024, 11, 30),
        )
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(caseworker, at="/cases/?status=imprisoned&region=")
    # The filters are folded even though one is on, and say so; the results follow them.
    expect(page.locator("details.more-filters")).not_to_have_attribute("open", "")
    expect(page.locator("details.more-filters summary")).to_contain_text("1 on")
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_be_in_viewport()
    # The whole first card is on the first screen, not just its top edge under the fold.
    first = rows.first.bounding_box()
    assert page.evaluate("window.scrollY") == 0
    assert first["y"] + first["height"] <= 844, (
        f"the first case ends at {first['y'] + first['height']}px"
    )
    # Every row fits the screen: the status and its date are whole, nothing scrolls sideways.
    table = page.get_by_role("region", name="Cases")
    assert table.evaluate("element => element.scrollWidth <= element.clientWidth")
    for row in rows.all():
        badge = row.locator(".badge").first.bounding_box()
        since = row.get_by_text("since 30 Nov 2024").bounding_box()
        assert badge["x"] + badge["width"] <= 390 and since["x"] + since["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_long_organisation_name_never_pushes_the_case_table_sideways(
    page, sign_in, caseworker, host
):
    CaseFactory(
        person=PersonFactory(full_name="Almat Zhumagulov"),
        owning_organisation=OrganisationFactory(name=LONG_ORGANISATION),
        confidentiality=Confidentiality.PUBLIC,
    )
    sign_in(caseworker, at="/cases/")
    table = page.get_by_role("region", name="Cases")
    assert table.evaluate("element => element.scrollWidth <= element.clientWidth")
    name = page.get_by_title(LONG_ORGANISATION)
    expect(name).to_be_visible()
    line_height = name.evaluate("element => parseFloat(getComputedStyle(element).lineHeight)")
    assert name.bounding_box()["height"] <= 2 * line_height + 1


def test_a_long_charge_is_shown_whole_in_the_case_form(page, sign_in, caseworker, host):
    ChargeFactory(
        article="405", part="2",
        title="Participation in the activity of a public or religious association or other "
        "organisation banned by a court for extremism",
    )  # fmt: skip
    case = CaseFactory(owning_organisation=host)
    sign_in(caseworker, at=f"/cases/{case.pk}/edit/")
    charge = page.get_by_label("banned by a court for extremism")
    expect(charge).to_be_visible()
    label = page.get_by_text("banned by a court for extremism")
    box = label.bounding_box()
    charges = page.get_by_role("group", name="Charges", exact=True).bounding_box()
    assert box["x"] + box["width"] <= charges["x"] + charges["width"]
    charge.check()
    page.get_by_role("button", name="Save case").click()
    page.wait_for_url(f"**/cases/{case.pk}/")
    assert case.charges.filter(article="405").exists()
