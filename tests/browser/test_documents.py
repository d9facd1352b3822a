"""An advocacy officer opens the 2021 resolution, reads what became of the people it named,
and adds a mention by hand after finding the person by a Cyrillic spelling."""

import datetime

import pytest
from playwright.sync_api import expect

from advocacy.models import Document, Mention
from casework.models import CaseEvent, Confidentiality, Status
from tests.factories import (
    CaseEventFactory,
    CaseFactory,
    DocumentFactory,
    IssuingBodyFactory,
    MentionFactory,
    PersonFactory,
)

RESOLUTION_DAY = datetime.date(2021, 2, 11)


@pytest.fixture
def resolution(host):
    document = DocumentFactory(
        kind=Document.Kind.RESOLUTION,
        issuing_body=IssuingBodyFactory(),
        title="European Parliament resolution of 11 February 2021 on the human rights situation in Kazakhstan",
        reference="P9_TA(2021)0056",
        procedure="2021/2544(RSP)",
        issued_on=RESOLUTION_DAY,
        url="https://www.europarl.europa.eu/doceo/document/TA-9-2021-0056_EN.html",
        votes_for=598,
        votes_against=43,
        votes_abstained=52,
        full_text=(
            "The European Parliament,\n"
            "whereas activist Almat Zhumagulov was sentenced to six years in prison;\n"
            "whereas Aset Abishev was sentenced to four years;\n"
            "calls for the immediate and unconditional release of Aigul Utepova."
        ),
    )
    released = CaseFactory(
        person=PersonFactory(full_name="Almat Zhumagulov", native_name="Алмат Жумагулов"),
        confidentiality=Confidentiality.PUBLIC,
        detained_on=datetime.date(2019, 2, 22),
        status=Status.RELEASED,
        status_since=datetime.date(2021, 8, 30),
        released_on=datetime.date(2021, 8, 30),
    )
    CaseEventFactory(
        case=released,
        kind=CaseEvent.Kind.STATUS,
        status=Status.IMPRISONED,
        happened_on=datetime.date(2019, 12, 2),
    )
    CaseEventFactory(
        case=released,
        kind=CaseEvent.Kind.STATUS,
        status=Status.RELEASED,
        happened_on=datetime.date(2021, 8, 30),
    )
    detained = CaseFactory(
        person=PersonFactory(full_name="Aset Abishev", native_name="Асет Абишев"),
        confidentiality=Confidentiality.PUBLIC,
        detained_on=datetime.date(2018, 11, 5),
        status=Status.IMPRISONED,
        status_since=datetime.date(2019, 6, 24),
    )
    MentionFactory(
        document=document,
        case=released,
        passage="whereas activist Almat Zhumagulov was sentenced to six years in prison",
    )
    MentionFactory(
        document=document, case=detained, passage="whereas Aset Abishev was sentenced to four years"
    )
    return document


@pytest.fixture
def utepova(host):
    return CaseFactory(
        person=PersonFactory(full_name="Aigul Utepova", native_name="Айгуль Утепова"),
        confidentiality=Confidentiality.PUBLIC,
        status=Status.RESTRICTED_FREEDOM,
    )


def test_it_shows_the_impact_of_the_2021_resolution_and_adds_a_mention_by_hand(
    page, sign_in, caseworker, resolution, utepova, screenshot
):
    sign_in(caseworker)
    screenshot("documents_dashboard")

    page.get_by_role("link", name="Documents", exact=True).first.click()
    page.wait_for_url("**/documents/")
    row = page.get_by_role("row").filter(has_text="P9_TA(2021)0056")
    expect(row).to_contain_text("598 / 43 / 52")
    screenshot("documents_list")

    row.get_by_role("link").first.click()
    page.wait_for_url(f"**/documents/{resolution.pk}/")
    expect(page.get_by_text("598 for, 43 against, 52 abstentions")).to_be_visible()
    table = page.locator("table.impact-table")
    zhumagulov = table.get_by_role("row").filter(has_text="Almat Zhumagulov")
    expect(zhumagulov).to_contain_text("Imprisoned")  # on the resolution's date
    expect(zhumagulov).to_contain_text("Released")  # today
    expect(zhumagulov).to_contain_text("200")  # 2021-02-11 to 2021-08-30
    abishev = table.get_by_role("row").filter(has_text="Aset Abishev")
    expect(abishev).to_contain_text("Imprisoned")
    screenshot("documents_detail")

    page.get_by_role("link", name="Add a mention by hand").first.click()
    page.get_by_label("Find the person by any spelling").fill("Утепова")
    page.get_by_role("button", name="Find").click()
    page.get_by_label("Aigul Utepova", exact=False).check()
    page.get_by_label("Quoted passage").fill(
        "calls for the immediate and unconditional release of Aigul Utepova"
    )
    page.get_by_label("Release", exact=True).check()
    screenshot("documents_mention_add")
    page.get_by_role("button", name="Add the mention").click()
    page.wait_for_url(f"**/documents/{resolution.pk}/")
    expect(page.get_by_text("Mention of Aigul Utepova added.")).to_be_visible()
    expect(page.locator("table.impact-table").get_by_text("Aigul Utepova")).to_be_visible()
    assert Mention.objects.filter(document=resolution, case=utepova, demands_release=True).exists()


def test_it_opens_the_cases_a_document_names_in_the_case_list(
    page, sign_in, caseworker, resolution, utepova, screenshot
):
    sign_in(caseworker, at=f"/documents/{resolution.pk}/")
    expect(page.locator(".breadcrumbs")).to_contain_text("P9_TA(2021)0056")
    page.get_by_role("link", name="Show these cases in the case list").click()
    page.wait_for_url(f"**/cases/?document={resolution.pk}")
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Aigul Utepova")).to_have_count(0)
    chip = page.get_by_label("Only cases named in")
    expect(chip).to_be_checked()
    expect(page.locator("#case-filters")).to_contain_text(
        "European Parliament resolution of 11 February 2021"
    )
    screenshot("case-list-document-filter")

    # Other filters keep the document; unticking it keeps the other filters.
    page.get_by_label("Imprisoned", exact=True).check()
    page.wait_for_url("**status=imprisoned**")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Aset Abishev")
    chip.uncheck()
    page.wait_for_url(lambda url: "document=" not in url and "status=imprisoned" in url)
    expect(rows).to_have_count(1)
    utepova_row = rows.filter(has_text="Aigul Utepova")
    expect(utepova_row).to_have_count(0)  # restricted freedom, not imprisoned


def test_the_review_of_proposed_mentions_fits_a_phone_with_its_buttons_on_screen(
    page, sign_in, caseworker, resolution, utepova, screenshot
):
    MentionFactory(
        document=resolution,
        case=utepova,
        state=Mention.State.PROPOSED,
        origin=Mention.Origin.DETECTED,
        passage="calls for the immediate and unconditional release of Aigul Utepova " * 4,
    )
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(caseworker, at=f"/documents/{resolution.pk}/mentions/review/")
    screenshot("mention-review-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    confirm = page.get_by_role("button", name="Confirm Aigul Utepova")
    box = confirm.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 375
