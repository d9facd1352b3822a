"""The case form and pages with dates known only to the month or the year."""

from __future__ import annotations

import datetime

from casework.models import Case
from casework.partial_dates import Precision
from tests.factories import CaseFactory, PersonFactory


def _new_case(**dates):
    return {
        "person-full_name": "Aigerim Tleuzhan",
        "initial-status": "unknown",
        "confidentiality": "internal",
        **dates,
    }


def test_it_records_a_detention_known_only_to_the_year(client_as_caseworker):
    response = client_as_caseworker.post("/cases/new/", _new_case(detained_on="2018"))

    case = Case.objects.get(person__full_name="Aigerim Tleuzhan")
    assert response.status_code == 302
    assert (case.detained_on, case.detained_on_precision) == (
        datetime.date(2018, 1, 1),
        Precision.YEAR,
    )


def test_it_shows_partial_dates_as_written_on_the_case_page_and_in_the_list(
    client_as_caseworker, host
):
    case = CaseFactory(
        owning_organisation=host,
        person=PersonFactory(owning_organisation=host, full_name="Aigerim Tleuzhan"),
        detained_on=datetime.date(2019, 3, 1),
        detained_on_precision=Precision.MONTH,
        sentenced_on=datetime.date(2020, 1, 1),
        sentenced_on_precision=Precision.YEAR,
    )

    page = client_as_caseworker.get(f"/cases/{case.pk}/").text
    listing = client_as_caseworker.get("/cases/").text

    assert "<dd>March 2019</dd>" in page and "<dd>in 2020</dd>" in page
    assert "1 March 2019" not in page and "1 January 2020" not in page
    assert "March 2019" in listing and "1\u00a0Mar 2019" not in listing


def test_the_edit_form_shows_a_partial_date_as_it_can_be_typed_back(client_as_caseworker, host):
    case = CaseFactory(
        owning_organisation=host,
        person=PersonFactory(owning_organisation=host),
        detained_on=datetime.date(2019, 3, 1),
        detained_on_precision=Precision.MONTH,
    )

    form = client_as_caseworker.get(f"/cases/{case.pk}/edit/").text

    assert 'name="detained_on" value="March 2019"' in form


def test_it_changes_a_full_date_into_a_month_on_edit(client_as_caseworker, host):
    case = CaseFactory(
        owning_organisation=host,
        person=PersonFactory(owning_organisation=host),
        detained_on=datetime.date(2019, 3, 6),
    )

    response = client_as_caseworker.post(
        f"/cases/{case.pk}/edit/", {"confidentiality": "internal", "detained_on": "03.2019"}
    )

    case.refresh_from_db()
    assert response.status_code == 302
    assert (case.detained_on, case.detained_on_precision) == (
        datetime.date(2019, 3, 1),
        Precision.MONTH,
    )


def test_a_release_in_the_year_of_a_detention_known_to_the_month_is_accepted(
    client_as_caseworker,
):
    client_as_caseworker.post(
        "/cases/new/", _new_case(detained_on="March 2019", released_on="2019")
    )

    case = Case.objects.get()
    assert (case.released_on, case.released_on_precision) == (
        datetime.date(2019, 1, 1),
        Precision.YEAR,
    )


def test_a_release_in_a_year_before_the_detention_is_refused_beside_the_field(
    client_as_caseworker,
):
    response = client_as_caseworker.post(
        "/cases/new/", _new_case(detained_on="March 2019", released_on="2018")
    )

    assert response.status_code == 200
    assert "Release cannot be before detention (March 2019)." in response.text
    assert not Case.objects.exists()


def test_it_refuses_a_date_it_cannot_read_naming_what_to_type(client_as_caseworker):
    response = client_as_caseworker.post("/cases/new/", _new_case(detained_on="spring 2019"))

    assert response.status_code == 200
    assert "Enter a date, a month or a year" in response.text
    assert not Case.objects.exists()
