"""Editing a case (/cases/<id>/edit/), and who may reach the pages that change a case
(edit, status, events)."""

from __future__ import annotations

import datetime
import html
import re

import pytest
import time_machine

from casework.cases import case_update
from casework.models import Confidentiality, Membership, Status
from tests.factories import CaseFactory, PersonFactory


def test_it_forbids_a_partner_to_change_a_public_host_case(client_as_partner, host):
    case = CaseFactory(owning_organisation=host, confidentiality=Confidentiality.PUBLIC)
    assert client_as_partner.get(f"/cases/{case.pk}/").status_code == 200
    response = client_as_partner.post(
        f"/cases/{case.pk}/status/", {"status": Status.RELEASED, "on": "2024-01-11", "source": "x"}
    )
    assert response.status_code == 403
    assert client_as_partner.get(f"/cases/{case.pk}/edit/").status_code == 403
    case.refresh_from_db()
    assert case.status == Status.PRETRIAL_DETENTION


@pytest.mark.parametrize("path", ["edit/", "status/", "events/new/"])
def test_it_answers_404_for_the_forms_of_an_invisible_case(client_as_partner, host, path):
    case = CaseFactory(owning_organisation=host)
    assert client_as_partner.get(f"/cases/{case.pk}/{path}").status_code == 404


def test_it_edits_a_case_without_showing_sensitive_fields_to_a_partner(
    client_as_partner, partner_organisation
):
    case = CaseFactory(
        owning_organisation=partner_organisation,
        person=PersonFactory(owning_organisation=partner_organisation),
        sources="kept",
    )
    response = client_as_partner.get(f"/cases/{case.pk}/edit/")
    assert 'name="sources"' not in response.text
    client_as_partner.post(
        f"/cases/{case.pk}/edit/",
        {
            "confidentiality": Confidentiality.INTERNAL,
            "detained_on": "2024-01-10",
            "sentence": "5 years",
        },
    )
    case.refresh_from_db()
    assert case.sentence == "5 years"
    assert case.sources == "kept"


def test_it_puts_each_field_of_the_case_form_under_a_heading_that_fits(
    client_as_caseworker, zhumagulov_case
):
    text = client_as_caseworker.get(f"/cases/{zhumagulov_case.pk}/edit/").text
    fieldsets = {
        legend.split("</legend>")[0]: body
        for legend, body in (part.split("</legend>", 1) for part in text.split("<legend>")[1:])
    }
    # The text after each legend runs to the next one.
    assert 'name="summary"' in fieldsets["Summary"]
    assert 'name="sources"' in fieldsets["Sources and health"]
    assert 'name="health_notes"' in fieldsets["Sources and health"]
    team = fieldsets["Team and confidentiality"]
    assert 'name="confidentiality"' in team
    assert 'name="summary"' not in team and 'name="sources"' not in team


def test_it_shows_a_partner_no_sensitive_heading_on_the_case_form(
    client_as_partner, partner_organisation
):
    case = CaseFactory(
        owning_organisation=partner_organisation,
        person=PersonFactory(owning_organisation=partner_organisation),
    )
    text = client_as_partner.get(f"/cases/{case.pk}/edit/").text
    assert "<legend>Summary</legend>" in text
    assert "Sources and health" not in text


def test_it_logs_a_view_of_a_restricted_case_on_each_page_that_shows_it(
    client_as_caseworker, caseworker, host
):
    from casework.models import RestrictedCaseView

    case = CaseFactory(
        owning_organisation=host,
        confidentiality=Confidentiality.RESTRICTED,
        assigned_caseworker=caseworker,
    )
    for page in ("edit/", "status/", "events/new/"):
        assert client_as_caseworker.get(f"/cases/{case.pk}/{page}").status_code == 200
    paths = set(
        RestrictedCaseView.objects.filter(case=case, user=caseworker).values_list("path", flat=True)
    )
    assert paths == {
        f"/cases/{case.pk}/edit/",
        f"/cases/{case.pk}/status/",
        f"/cases/{case.pk}/events/new/",
    }


def test_it_logs_nothing_for_an_internal_case(client_as_caseworker, zhumagulov_case):
    from casework.models import RestrictedCaseView

    client_as_caseworker.get(f"/cases/{zhumagulov_case.pk}/edit/")
    assert not RestrictedCaseView.objects.exists()


def test_it_refuses_a_stale_form_naming_the_field_someone_else_changed(
    client_as_caseworker, host, coordinator
):
    case = CaseFactory(owning_organisation=host, summary="First account")
    opened = client_as_caseworker.get(f"/cases/{case.pk}/edit/").text
    stamp = re.search(r'name="edit_stamp" value="([^"]+)"', opened).group(1)
    case_update(case=case, by=coordinator, summary="The coordinator's correction")
    mine = {
        "confidentiality": case.confidentiality,
        "summary": "My old reading",
        "edit_stamp": stamp,
    }

    refused = client_as_caseworker.post(f"/cases/{case.pk}/edit/", mine)

    assert refused.status_code == 200
    assert refused.context["case_form"].non_field_errors() == [
        "Someone else changed this since you opened it: “Summary”. Nothing was saved. "
        "Open it again to see their change, or save again to replace it with yours."
    ]
    case.refresh_from_db()
    assert case.summary == "The coordinator's correction"
    fresh = re.search(r'name="edit_stamp" value="([^"]+)"', refused.text).group(1)
    again = client_as_caseworker.post(f"/cases/{case.pk}/edit/", {**mine, "edit_stamp": fresh})
    assert again.status_code == 302
    case.refresh_from_db()
    assert case.summary == "My old reading"


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_it_saves_unchanged_a_month_its_box_shows_in_russian_or_kazakh(
    client_as_caseworker, caseworker, host, language
):
    Membership.objects.filter(user=caseworker).update(language=language)
    case = CaseFactory(
        owning_organisation=host,
        detained_on=datetime.date(2021, 3, 1),
        detained_on_precision="month",
        released_on=None,
    )
    page = client_as_caseworker.get(f"/cases/{case.pk}/edit/").text
    shown = html.unescape(re.search(r'name="detained_on" value="([^"]+)"', page).group(1))

    response = client_as_caseworker.post(
        f"/cases/{case.pk}/edit/",
        {"confidentiality": case.confidentiality, "detained_on": shown},
    )

    assert response.status_code == 302, response.context["case_form"].errors
    case.refresh_from_db()
    assert (case.detained_on, case.detained_on_precision) == (datetime.date(2021, 3, 1), "month")


def test_it_takes_a_detention_of_the_users_today_where_they_work(
    client_as_caseworker, caseworker, host
):
    # 19:30 UTC on 7 December is 00:30 on 8 December in Almaty.
    Membership.objects.filter(user=caseworker).update(timezone="Asia/Almaty")
    case = CaseFactory(owning_organisation=host, detained_on=None, released_on=None)
    moment = datetime.datetime(2026, 12, 7, 19, 30, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        response = client_as_caseworker.post(
            f"/cases/{case.pk}/edit/",
            {"confidentiality": case.confidentiality, "detained_on": "2026-12-08"},
        )

    assert response.status_code == 302, response.context["case_form"].errors
    case.refresh_from_db()
    assert case.detained_on == datetime.date(2026, 12, 8)


def test_it_saves_a_summary_left_as_it_was_with_the_line_breaks_it_had(client_as_caseworker, host):
    # A browser sends a text area's line breaks as CR LF: saved so, a summary nobody
    # touched would be "changed" in the history, and refuse a colleague's form.
    import re

    from tests.factories import CaseFactory

    case = CaseFactory(owning_organisation=host, summary="Arrested.\nHeld in SIZO-1.")
    page = client_as_caseworker.get(f"/cases/{case.pk}/edit/").text
    stamp = re.search(r'name="edit_stamp" value="([^"]*)"', page)[1]
    client_as_caseworker.post(
        f"/cases/{case.pk}/edit/",
        {
            "edit_stamp": stamp,
            "summary": "Arrested.\r\nHeld in SIZO-1.",
            "confidentiality": case.confidentiality,
        },
    )
    case.refresh_from_db()
    assert case.summary == "Arrested.\nHeld in SIZO-1."
