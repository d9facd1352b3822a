"""The vocabulary pages in the browser: a coordinator merges two detention places and
reviews a partner's proposed entry, on a desktop and at phone size."""

from __future__ import annotations

from playwright.sync_api import expect

from casework.models import Case, DetentionPlace
from tests.factories import CaseFactory, PersonFactory

PHONE = {"width": 390, "height": 844}


def test_a_coordinator_merges_two_detention_places(page, sign_in, host, coordinator, screenshot):
    kept = DetentionPlace.objects.create(name="ИК-158/2", region="Petropavlovsk", kind="colony")
    merged = DetentionPlace.objects.create(name="Колония 158/2 Петропавловск")
    cases = [
        CaseFactory(
            detention_place=merged,
            person=PersonFactory(full_name=f"Prisoner {number}", owning_organisation=host),
        )
        for number in range(2)
    ]
    sign_in(coordinator)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Vocabularies").click()
    expect(page.get_by_role("heading", name="Detention places")).to_be_visible()
    page.get_by_label("Search Detention places").fill("колония")
    page.get_by_role("button", name="Search").click()
    row = page.get_by_role("row", name="Колония 158/2 Петропавловск")
    expect(row).to_contain_text("2")  # used by two cases
    screenshot("vocabularies-detention-places-search")
    row.get_by_role("link", name="Edit or merge").click()
    page.get_by_label("Merge into", exact=True).select_option(label=str(kept))
    screenshot("vocabularies-merge-form")
    page.get_by_role("button", name="Merge").click()
    expect(page.get_by_role("status")).to_contain_text("Merged “Колония 158/2 Петропавловск”")
    expect(page.get_by_role("row", name="ИК-158/2")).to_contain_text("Колония 158/2 Петропавловск")
    screenshot("vocabularies-merged")
    assert set(Case.objects.filter(detention_place=kept)) == set(cases)
    assert not DetentionPlace.objects.filter(pk=merged.pk).exists()


def test_a_coordinator_reviews_a_partners_proposed_place_on_a_phone(
    page, sign_in, host, coordinator, partner_organisation, screenshot
):
    page.set_viewport_size(PHONE)
    existing = DetentionPlace.objects.create(name="СИЗО-1 Уральск")
    proposal = DetentionPlace.objects.create(
        name="сизо г. Уральск", proposed_by=partner_organisation
    )
    accepted = DetentionPlace.objects.create(
        name="ИК-161 Уральск", proposed_by=partner_organisation
    )
    case = CaseFactory(owning_organisation=partner_organisation, detention_place=proposal)
    sign_in(coordinator, at="/vocabularies/detention-places/")
    page.get_by_role("link", name="Proposed by imports").click()
    expect(page.get_by_role("row", name="сизо г. Уральск")).to_contain_text(
        partner_organisation.name
    )
    screenshot("vocabularies-proposals-phone")
    # Nothing on the page is wider than the phone but the table, which scrolls in its box.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_role("row", name="ИК-161 Уральск").get_by_role("button", name="Accept").click()
    expect(page.get_by_role("status")).to_contain_text("Accepted: “ИК-161 Уральск”")
    accepted.refresh_from_db()
    assert accepted.proposed_by is None

    page.get_by_role("row", name="сизо г. Уральск").get_by_role(
        "link", name="Rename or merge"
    ).click()
    page.get_by_label("Merge into", exact=True).select_option(label=str(existing))
    screenshot("vocabularies-proposal-merge-phone")
    page.get_by_role("button", name="Merge").click()
    expect(page.get_by_role("status")).to_contain_text("Merged")
    case.refresh_from_db()
    assert case.detention_place == existing
