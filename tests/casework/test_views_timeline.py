"""The timeline pages: a status change, another event, correcting and removing an entry,
and how the case page shows the chain."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from casework.models import CaseEvent, Confidentiality, Status
from casework.status import case_change_status
from tests.factories import CaseFactory, PersonFactory


@pytest.fixture
def case(host):
    return CaseFactory(
        person=PersonFactory(full_name="Almat Zhumagulov"),
        owning_organisation=host,
        status=Status.UNKNOWN,
        status_since=None,
        detained_on=None,
    )


def _timeline(page: str) -> list[str]:
    """The timeline's entries as text seen on the screen, newest first."""
    section = page.split('id="timeline-heading"')[1].split("</ol>")[0]
    entries = re.findall(r"<li id=\"event-\d+\"[^>]*>(.*?)</li>", section, re.S)
    seen = [re.sub(r'<span class="visually-hidden">[^<]*</span>', "", entry) for entry in entries]
    return [" ".join(re.sub(r"<[^>]+>", " ", entry).split()) for entry in seen]


def _change(client, case, **data):
    return client.post(f"/cases/{case.pk}/status/", {"source": "Lawyer", **data})


def test_a_backdated_change_shows_in_its_place_with_the_right_from(client_as_caseworker, case):
    _change(client_as_caseworker, case, status="imprisoned", on="2024-06-03")
    response = _change(client_as_caseworker, case, status="pretrial_detention", on="2024-01-10")

    assert response.status_code == 302
    page = client_as_caseworker.get(f"/cases/{case.pk}/").text
    assert "the current status stays “Imprisoned”" in page
    entries = _timeline(page)
    assert entries[0].startswith("3 Jun 2024 — Status change: Pre-trial detention → Imprisoned")
    assert entries[1].startswith("10 Jan 2024 — Status change: Unknown → Pre-trial detention")


def test_a_change_needs_a_date_or_the_word_that_it_is_unknown(client_as_caseworker, case):
    response = _change(client_as_caseworker, case, status="released", on="")
    assert response.status_code == 200
    assert "Give the date, or tick “The date is not known”." in response.text
    both = _change(
        client_as_caseworker, case, status="released", on="2024-01-01", date_unknown="on"
    )
    assert "Either give a date or say it is not known." in both.text
    assert not CaseEvent.objects.exists()


def test_an_undated_change_says_so_with_the_day_it_was_recorded(client_as_caseworker, case):
    _change(client_as_caseworker, case, status="imprisoned", on="2024-06-03")
    response = _change(client_as_caseworker, case, status="released", on="", date_unknown="on")

    assert response.status_code == 302
    page = client_as_caseworker.get(f"/cases/{case.pk}/").text
    today = timezone.localdate()
    recorded = f"{today.day} {today:%b %Y}"
    assert _timeline(page)[0].startswith(
        f"date unknown (recorded {recorded}) — Status change: Imprisoned → Released"
    )
    assert "since an unknown date" in page
    case.refresh_from_db()
    assert (case.status, case.status_since) == (Status.RELEASED, None)


def test_an_event_of_unknown_date_can_be_added(client_as_caseworker, case):
    response = client_as_caseworker.post(
        f"/cases/{case.pk}/events/new/",
        {"kind": "visit", "happened_on": "", "date_unknown": "on", "description": "Family visit"},
    )
    assert response.status_code == 302
    assert CaseEvent.objects.get(case=case).happened_on is None


def test_correcting_an_entry_moves_it_and_the_status_follows(
    client_as_caseworker, case, caseworker
):
    first = case_change_status(
        case=case, status=Status.PRETRIAL_DETENTION, on=datetime.date(2024, 1, 10), by=caseworker
    )
    case_change_status(
        case=case, status=Status.HOUSE_ARREST, on=datetime.date(2024, 3, 1), by=caseworker
    )
    url = f"/cases/events/{first.pk}/edit/"
    form = client_as_caseworker.get(url).text
    assert 'value="2024-01-10"' in form

    response = client_as_caseworker.post(
        url, {"status": "pretrial_detention", "happened_on": "2024-06-03", "source": "Lawyer"}
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.status_since) == (
        Status.PRETRIAL_DETENTION,
        datetime.date(2024, 6, 3),
    )
    entries = _timeline(client_as_caseworker.get(f"/cases/{case.pk}/").text)
    assert entries[0].startswith("3 Jun 2024 — Status change: House arrest → Pre-trial detention")


def test_a_partner_corrects_an_entry_without_seeing_or_blanking_its_source(
    client_as_partner, partner_organisation, partner_user
):
    case = CaseFactory(
        owning_organisation=partner_organisation,
        status=Status.UNKNOWN,
        status_since=None,
        detained_on=None,
    )
    event = case_change_status(
        case=case, status=Status.IMPRISONED, on=datetime.date(2024, 1, 10), source="Cellmate X"
    )
    url = f"/cases/events/{event.pk}/edit/"
    assert "Cellmate X" not in client_as_partner.get(url).text
    response = client_as_partner.post(url, {"status": "imprisoned", "happened_on": "2024-01-12"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.happened_on, event.source) == (datetime.date(2024, 1, 12), "Cellmate X")


def test_only_coordinators_remove_an_entry_and_only_with_a_reason(
    client_as_caseworker, client, case, caseworker, coordinator
):
    from tests.conftest import _signed_in

    event = case_change_status(
        case=case, status=Status.RELEASED, on=datetime.date(2024, 5, 1), by=caseworker
    )
    url = f"/cases/events/{event.pk}/remove/"
    assert client_as_caseworker.get(url).status_code == 403
    assert client_as_caseworker.post(url, {"reason": "wrong"}).status_code == 403
    assert "Remove" not in _timeline(client_as_caseworker.get(f"/cases/{case.pk}/").text)[0]

    client = _signed_in(client, coordinator)
    assert "This field is required" in client.post(url, {"reason": ""}).text
    response = client.post(url, {"reason": "Confused with his brother"})

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.UNKNOWN
    page = client.get(f"/cases/{case.pk}/").text
    assert _timeline(page) == []
    assert "1 entry removed from the timeline" in page
    assert "Confused with his brother" in page


def test_another_organisations_case_timeline_is_not_changed_by_a_partner(
    client_as_partner, host, caseworker
):
    public = CaseFactory(
        owning_organisation=host,
        confidentiality=Confidentiality.PUBLIC,
        status=Status.UNKNOWN,
        status_since=None,
    )
    event = case_change_status(
        case=public, status=Status.IMPRISONED, on=datetime.date(2024, 1, 10), by=caseworker
    )
    assert client_as_partner.get(f"/cases/events/{event.pk}/edit/").status_code == 403
    response = client_as_partner.post(
        f"/cases/events/{event.pk}/edit/", {"status": "released", "happened_on": "2024-01-10"}
    )
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.status == Status.IMPRISONED


def test_the_case_page_shows_the_timeline_in_a_bounded_number_of_queries(
    client_as_caseworker, case, caseworker, django_assert_max_num_queries
):
    for day in range(1, 21):
        case_change_status(
            case=case,
            status=Status.IMPRISONED if day % 2 else Status.ON_TRIAL,
            on=datetime.date(2024, 1, day),
            by=caseworker,
        )
    client_as_caseworker.get(f"/cases/{case.pk}/")
    with django_assert_max_num_queries(20):
        response = client_as_caseworker.get(f"/cases/{case.pk}/")
    assert len(_timeline(response.text)) == 20


def test_a_repeated_status_reads_as_confirmed(client_as_caseworker, case, caseworker):
    for on in (datetime.date(2013, 4, 18), datetime.date(2016, 3, 30)):
        case_change_status(case=case, status=Status.IMPRISONED, on=on, by=caseworker)
    entries = _timeline(client_as_caseworker.get(f"/cases/{case.pk}/").text)
    assert entries[0].startswith("30 Mar 2016 — Status confirmed: Imprisoned")
    assert entries[1].startswith("18 Apr 2013 — Status change: Unknown → Imprisoned")


def test_a_restricted_case_shown_in_a_conflict_banner_is_logged(
    client_as_coordinator, coordinator, host, partner_organisation, partner_user
):
    from casework.models import RestrictedCaseView
    from tests.factories import case_with_status

    person = PersonFactory()
    shown = case_with_status(
        person=person, organisation=host, status=Status.IMPRISONED, on=datetime.date(2020, 1, 1)
    )
    secret = case_with_status(
        person=person,
        organisation=host,
        status=Status.RELEASED,
        on=datetime.date(2024, 1, 1),
        confidentiality=Confidentiality.RESTRICTED,
    )
    other = case_with_status(
        person=person,
        organisation=partner_organisation,
        status=Status.IN_EXILE,
        on=datetime.date(2023, 1, 1),
        confidentiality=Confidentiality.PUBLIC,
    )
    page = client_as_coordinator.get(f"/cases/{other.pk}/").text
    assert secret.reference in page and shown.reference in page
    assert RestrictedCaseView.objects.filter(case=secret, user=coordinator).exists()


def test_it_refuses_a_caseworker_the_dismissal_of_a_conflict_in_their_language(
    client_as_caseworker, caseworker, host, partner_organisation, monkeypatch
):
    from casework.models import Membership, StatusConflict
    from tests.factories import case_with_status
    from tests.support.catalogues import translations_given

    # The 403 page shows the reason, which was written in English only.
    translations_given(
        monkeypatch,
        "ru",
        {
            "Only coordinators of an organisation holding one of the cases dismiss it.": (
                "Только координаторы организации, ведущей одно из дел, отклоняют расхождение."
            )
        },
    )
    person = PersonFactory()
    case_with_status(
        person=person, organisation=host, status=Status.IMPRISONED, on=datetime.date(2020, 1, 1)
    )
    case_with_status(
        person=person,
        organisation=partner_organisation,
        status=Status.IN_EXILE,
        on=datetime.date(2023, 1, 1),
        confidentiality=Confidentiality.PUBLIC,
    )
    conflict = StatusConflict.objects.get()
    Membership.objects.filter(user=caseworker).update(language="ru")
    response = client_as_caseworker.get(f"/people/conflicts/{conflict.pk}/dismiss/")
    assert response.status_code == 403
    assert "Только координаторы организации, ведущей одно из дел" in response.text


def _stamp(page: str) -> str:
    return re.search(r'name="edit_stamp" value="([^"]*)"', page).group(1)


def test_it_refuses_a_correction_over_a_colleagues_correction_since_the_form_was_opened(
    client_as_caseworker, case, caseworker, coordinator
):
    from casework.status import case_event_correct

    event = case_change_status(
        case=case, status=Status.IMPRISONED, on=datetime.date(2024, 1, 10), by=caseworker
    )
    url = f"/cases/events/{event.pk}/edit/"
    opened = _stamp(client_as_caseworker.get(url).text)
    # Meanwhile a coordinator corrects the date from the lawyer's letter.
    case_event_correct(event=event, by=coordinator, happened_on=datetime.date(2024, 1, 12))

    mine = {"status": "imprisoned", "happened_on": "2024-01-11", "source": "Mother"}
    refused = client_as_caseworker.post(url, {**mine, "edit_stamp": opened})

    assert refused.status_code == 200
    assert "Someone else changed this since you opened it: “Date”. Nothing was saved." in (
        refused.text
    )
    event.refresh_from_db()
    assert (event.happened_on, event.source) == (datetime.date(2024, 1, 12), "")
    # Saving again from the refusal replaces their correction knowingly.
    again = client_as_caseworker.post(url, {**mine, "edit_stamp": _stamp(refused.text)})
    assert again.status_code == 302
    event.refresh_from_db()
    assert event.happened_on == datetime.date(2024, 1, 11)


def test_it_keeps_a_source_of_several_lines_in_a_text_area_when_correcting(
    client_as_caseworker, case, caseworker
):
    # A one-line box drops the line breaks of "Reported by … in case …\nLawyer's letter":
    # correcting only the description would then save the source glued into one line.
    event = case_change_status(
        case=case,
        status=Status.IMPRISONED,
        on=datetime.date(2024, 1, 10),
        source="Reported by KIBHR in case KIBHR-2026-00001.\nLawyer's letter",
        by=caseworker,
    )
    page = client_as_caseworker.get(f"/cases/events/{event.pk}/edit/").text
    assert re.search(r'<textarea name="source"[^>]*>\s*Reported by KIBHR[^<]*\nLawyer', page)


def test_it_keeps_the_line_breaks_of_an_untouched_source_as_stored(
    client_as_caseworker, case, caseworker
):
    event = case_change_status(
        case=case, status=Status.IMPRISONED, on=datetime.date(2024, 1, 10), source="A\nB"
    )
    client_as_caseworker.post(
        f"/cases/events/{event.pk}/edit/",
        {
            "status": "imprisoned",
            "happened_on": "2024-01-10",
            "source": "A\r\nB",
            "description": "x",
        },
    )
    event.refresh_from_db()
    assert (event.source, event.description) == ("A\nB", "x")
