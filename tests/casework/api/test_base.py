"""What the API's writes share (casework.api.base): a JSON value is taken as a page would
post it, and a list or an object where one value goes is refused, naming the field."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.models import Case, CaseEvent, Status
from casework.status import case_change_status
from tests.factories import CaseFactory

ONE_VALUE = "Send one value here, not a list or an object."


@pytest.mark.parametrize("value", [[2024], {"year": 2024}])
def test_it_refuses_a_list_or_an_object_for_a_date_naming_the_field(
    api_as, caseworker, host, value
):
    # Found by hand: Django's date field called .strip() on it, and the API answered 500.
    case = CaseFactory(owning_organisation=host)
    event = case_change_status(
        case=case, status=Status.IMPRISONED, on=datetime.date(2023, 1, 1), source="Lawyer"
    )
    response = api_as(caseworker).patch(
        f"/api/v1/events/{event.pk}/", {"happened_on": value}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "happened_on", "message": ONE_VALUE}]
    event.refresh_from_db()
    assert event.happened_on == datetime.date(2023, 1, 1)


@pytest.mark.parametrize("value", [20240501, True])
def test_it_reads_a_number_or_true_for_a_date_as_text(api_as, caseworker, host, value):
    case = CaseFactory(owning_organisation=host)
    response = api_as(caseworker).post(
        f"/api/v1/cases/{case.pk}/status/",
        {"status": Status.RELEASED, "on": value, "source": "Lawyer"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "on", "message": "Enter a valid date."}]
    assert not CaseEvent.objects.filter(case=case).exists()


def test_it_refuses_a_list_for_a_text_rather_than_storing_its_spelling(api_as, caseworker, host):
    case = CaseFactory(owning_organisation=host, summary="As it was")
    response = api_as(caseworker).patch(
        f"/api/v1/cases/{case.pk}/", {"summary": ["a", "b"]}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "summary", "message": ONE_VALUE}]
    case.refresh_from_db()
    assert case.summary == "As it was"


def test_it_names_a_new_person_s_field_and_tells_every_other_error_at_once(api_as, caseworker):
    response = api_as(caseworker).post(
        "/api/v1/cases/",
        {"new_person": {"full_name": ["Aigul"]}, "status": "on_the_moon"},
        content_type="application/json",
    )
    assert response.status_code == 400
    fields = {error["field"]: error["message"] for error in response.json()["errors"]}
    assert fields["new_person.full_name"] == ONE_VALUE
    assert "status" in fields
    assert not Case.objects.exists()


@pytest.mark.parametrize("value", ["no", "nein", 0.5, [True]])
def test_it_refuses_a_yes_or_no_field_that_says_neither_and_changes_nothing(
    api_as, caseworker, host, value
):
    # Found by hand: a checkbox reads any text as ticked, so "no" (and "0") set the concern;
    # "0" is now false, "no" refused.
    case = CaseFactory(owning_organisation=host, concern_health=False)
    response = api_as(caseworker).patch(
        f"/api/v1/cases/{case.pk}/", {"concern_health": value}, content_type="application/json"
    )
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["field"] == "concern_health"
    case.refresh_from_db()
    assert case.concern_health is False


@pytest.mark.parametrize(
    ("value", "expected"), [("false", False), ("0", False), ("1", True), (True, True)]
)
def test_it_takes_true_or_false_in_json_or_as_text(api_as, caseworker, host, value, expected):
    case = CaseFactory(owning_organisation=host, concern_health=not expected)
    response = api_as(caseworker).patch(
        f"/api/v1/cases/{case.pk}/", {"concern_health": value}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert case.concern_health is expected


def test_it_refuses_skip_invalid_no_in_a_multipart_body_and_imports_nothing(api_as, partner_user):
    client = api_as(partner_user)
    run = client.post(
        "/api/v1/imports/",
        {
            "file": SimpleUploadedFile(
                "a.csv",
                b"Full name,Detained on\r\nIvan Ivanov,31.02.2022\r\nAigul Nurlanova,2022\r\n",
            )
        },
    ).json()
    response = client.post(f"/api/v1/imports/{run['id']}/confirm/", {"skip_invalid": "no"})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "skip_invalid", "message": "Send true or false."}
    ]
    assert not Case.objects.exists()
