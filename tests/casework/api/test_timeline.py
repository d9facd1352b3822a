"""A case's timeline through the API: read, add a status change or an event, through
casework.status, with the forms' messages and the same history rows as the pages."""

from __future__ import annotations

import datetime

from casework.models import Case, CaseEvent, Confidentiality, Status
from casework.status import case_change_status
from tests.factories import CaseFactory


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_it_adds_a_status_change_with_the_token_s_user_as_actor(api_as, caseworker, host):
    case = CaseFactory(owning_organisation=host)
    response = _post(
        api_as(caseworker),
        f"/api/v1/cases/{case.pk}/status/",
        {"status": Status.RELEASED, "on": "2024-05-01", "source": "The lawyer, by phone"},
    )
    assert response.status_code == 201, response.content
    event = CaseEvent.objects.get(pk=response.json()["id"])
    assert (event.kind, event.status, event.created_by) == ("status", "released", caseworker)
    case.refresh_from_db()
    assert case.status == Status.RELEASED
    assert event.history.latest().history_user == caseworker
    assert Case.history.filter(id=case.pk).latest().history_user == caseworker


def test_it_refuses_a_status_change_without_a_date_with_the_form_s_message(
    api_as, caseworker, host
):
    case = CaseFactory(owning_organisation=host)
    response = _post(
        api_as(caseworker),
        f"/api/v1/cases/{case.pk}/status/",
        {"status": Status.RELEASED, "source": "Lawyer"},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "on", "message": "Give the date, or tick “The date is not known”."}
    ]
    assert not CaseEvent.objects.filter(case=case).exists()


def test_it_refuses_a_body_that_is_not_an_object(api_as, caseworker, host):
    case = CaseFactory(owning_organisation=host)
    response = _post(api_as(caseworker), f"/api/v1/cases/{case.pk}/status/", ["released"])
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] is None


def test_it_adds_a_hearing_to_the_timeline(api_as, caseworker, host):
    case = CaseFactory(owning_organisation=host)
    response = _post(
        api_as(caseworker),
        f"/api/v1/cases/{case.pk}/events/",
        {"kind": "hearing", "date_unknown": True, "description": "Closed hearing"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["happened_on"] is None
    assert case.events.get().description == "Closed hearing"


def test_it_refuses_a_partner_s_change_to_a_case_it_does_not_own(api_as, partner_user, host):
    case = CaseFactory(owning_organisation=host, confidentiality=Confidentiality.PUBLIC)
    response = _post(
        api_as(partner_user),
        f"/api/v1/cases/{case.pk}/status/",
        {"status": Status.RELEASED, "on": "2024-05-01", "source": "x"},
    )
    assert response.status_code == 403
    assert not case.events.exists()


def test_it_lets_a_partner_change_the_status_of_its_own_case(
    api_as, partner_user, partner_organisation
):
    case = CaseFactory(owning_organisation=partner_organisation)
    response = _post(
        api_as(partner_user),
        f"/api/v1/cases/{case.pk}/status/",
        {"status": Status.RELEASED, "on": "2024-05-01", "source": "Family"},
    )
    assert response.status_code == 201
    # The answer leaves out the source the partner itself sent: sources are never shown
    # to partner users, whoever wrote them.
    assert "source" not in response.json()


def test_it_reads_the_timeline_in_order_without_sources_for_a_partner(
    api_as, partner_user, partner_organisation
):
    case = CaseFactory(owning_organisation=partner_organisation)
    case_change_status(
        case=case, status=Status.IMPRISONED, on=datetime.date(2023, 1, 1), source="SECRET-SRC"
    )
    case_change_status(case=case, status=Status.RELEASED, on=datetime.date(2024, 1, 1), source="")
    response = api_as(partner_user).get(f"/api/v1/cases/{case.pk}/timeline/")
    assert [event["status"] for event in response.json()] == ["released", "imprisoned"]
    assert b"SECRET-SRC" not in response.content
