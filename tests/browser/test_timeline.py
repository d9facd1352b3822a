"""The timeline and status conflicts in a real browser: a back-dated status change shown
in its place with the right "from", and a conflict between the host's and a partner's
case, seen by the host's coordinator and resolved from its banner both ways."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from casework.models import Confidentiality, Status, StatusConflict
from tests.factories import CaseFactory, PersonFactory, case_with_status


@pytest.fixture
def zhumagulov_case(host):
    return CaseFactory(
        person=PersonFactory(full_name="Almat Zhumagulov", owning_organisation=host),
        owning_organisation=host,
        status=Status.UNKNOWN,
        status_since=None,
        detained_on=None,
    )


def _from_to(before: str, after: str) -> re.Pattern:
    """ "Before → After" as seen (the arrow is read "to" by screen readers)."""
    return re.compile(rf"{re.escape(before)} →\s*(to)?\s*{re.escape(after)}")


def _record_status(page, *, status: str, on: str | None, source: str) -> None:
    page.get_by_role("link", name="Change status").click()
    page.get_by_label("New status").select_option(status)
    if on is None:
        page.get_by_label("The date is not known").check()
    else:
        page.get_by_label("Date of the change").fill(on)
    page.get_by_label("Source").fill(source)
    page.get_by_role("button", name="Change status").click()


def test_a_backdated_change_takes_its_place_with_the_right_from(
    page, sign_in, caseworker, zhumagulov_case, screenshot
):
    sign_in(caseworker, at=f"/cases/{zhumagulov_case.pk}/")

    _record_status(page, status="imprisoned", on="2024-06-03", source="Verdict")
    _record_status(page, status="pretrial_detention", on="2024-01-10", source="Lawyer")

    expect(page.get_by_text("the current status stays “Imprisoned”")).to_be_visible()
    _record_status(page, status="released", on=None, source="Family")
    entries = page.locator("ol.timeline > li")
    expect(entries).to_have_count(3)
    expect(entries.nth(0)).to_contain_text(re.compile(r"date unknown \(recorded .+\)"))
    expect(entries.nth(0)).to_contain_text(_from_to("Imprisoned", "Released"))
    expect(entries.nth(1)).to_contain_text("3 Jun 2024 — Status change:")
    expect(entries.nth(1)).to_contain_text(_from_to("Pre-trial detention", "Imprisoned"))
    expect(entries.nth(2)).to_contain_text("10 Jan 2024 — Status change:")
    expect(entries.nth(2)).to_contain_text(_from_to("Unknown", "Pre-trial detention"))
    expect(page.locator(".subtitle")).to_contain_text("Released since an unknown date")
    screenshot("timeline-backdated-and-undated")

    # Correcting the June date to before January turns the chain around.
    entries.nth(1).get_by_role("link", name="Correct").click()
    page.get_by_label("Date", exact=True).fill("2023-12-01")
    page.get_by_role("button", name="Save the correction").click()
    expect(entries.nth(1)).to_contain_text("10 Jan 2024 — Status change:")
    expect(entries.nth(1)).to_contain_text(_from_to("Imprisoned", "Pre-trial detention"))
    expect(entries.nth(2)).to_contain_text("1 Dec 2023 — Status change:")
    expect(entries.nth(2)).to_contain_text(_from_to("Unknown", "Imprisoned"))


@pytest.fixture
def kozlov_conflict(host, partner_organisation, coordinator, partner_user):
    person = PersonFactory(full_name="Vladimir Kozlov", owning_organisation=host)
    host_case = case_with_status(
        person=person,
        organisation=host,
        status=Status.IMPRISONED,
        on=datetime.date(2016, 3, 30),
        source="European Parliament resolution",
        by=coordinator,
        reference="SEED-KOZLOV",
        confidentiality=Confidentiality.PUBLIC,
    )
    partner_case = case_with_status(
        person=person,
        organisation=partner_organisation,
        status=Status.RELEASED,
        on=datetime.date(2024, 5, 2),
        source="His lawyer, by phone",
        by=partner_user,
        reference="KIBHR-1-000001",
    )
    return host_case, partner_case


def test_the_host_coordinator_records_the_partners_status_from_the_banner(
    page, sign_in, coordinator, kozlov_conflict, screenshot
):
    host_case, _partner_case = kozlov_conflict
    sign_in(coordinator)
    expect(page.locator(".bell__count")).to_have_text(re.compile(r"^1"))
    page.goto(f"/people/{host_case.person_id}/")

    banner = page.locator(".conflict-banner")
    expect(banner).to_contain_text("Bostandyq Partner reports “Released” since 2 May 2024")
    expect(banner).to_contain_text("Host NGO reports “Imprisoned” since 30 Mar 2016")
    expect(banner).to_contain_text("His lawyer, by phone")
    screenshot("conflict-banner")

    banner.get_by_role("button", name="Record Bostandyq Partner’s status on SEED-KOZLOV").click()

    page.wait_for_url(f"**/cases/{host_case.pk}/")
    expect(page.locator(".conflict-banner")).to_have_count(0)
    latest = page.locator("ol.timeline > li").first
    expect(latest).to_contain_text("2 May 2024 — Status change:")
    expect(latest).to_contain_text(_from_to("Imprisoned", "Released"))
    expect(latest).to_contain_text("Reported by Bostandyq Partner in case KIBHR-1-000001.")
    page.goto(f"/people/{host_case.person_id}/")
    expect(page.get_by_text("The other case's status was recorded")).to_be_visible()
    screenshot("conflict-recorded")


def test_the_host_coordinator_dismisses_the_conflict_with_a_reason(
    page, sign_in, coordinator, kozlov_conflict, screenshot
):
    host_case, _partner_case = kozlov_conflict
    sign_in(coordinator, at=f"/cases/{host_case.pk}/")

    banner = page.locator(".conflict-banner")
    banner.get_by_label("Or dismiss it, saying why").fill("His lawyer confirmed today he is held")
    banner.get_by_role("button", name="Dismiss").click()

    page.wait_for_url(f"**/people/{host_case.person_id}/")
    expect(page.get_by_text("The status conflict is dismissed.")).to_be_visible()
    expect(page.locator(".conflict-banner")).to_have_count(0)
    expect(page.get_by_text("His lawyer confirmed today he is held")).to_be_visible()
    assert StatusConflict.objects.get().outcome == StatusConflict.Outcome.DISMISSED
    screenshot("conflict-dismissed")
