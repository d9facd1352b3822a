"""A case's timeline through the API: read, add a status change or an event, correct or
remove an entry, through casework.status, with the forms' messages and the same history
rows as the pages."""

from __future__ import annotations

import datetime

from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from casework.event_notes import IMPORT_RECORDED, IMPORT_SOURCE
from casework.models import Case, CaseEvent, Confidentiality, Status
from casework.status import case_change_status
from tests.factories import CaseEventFactory, CaseFactory
from tests.support.catalogues import every_marked_string_tagged


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


def test_the_api_reads_an_imports_note_in_the_language_the_client_asks_for(
    api_as, caseworker, host, monkeypatch
):
    # Stored as the English message, it was read so whatever the client asked for.
    every_marked_string_tagged(monkeypatch, "ru", "[ru] ")
    case = CaseFactory(owning_organisation=host)
    CaseEventFactory(
        case=case,
        kind=CaseEvent.Kind.STATUS,
        status=Status.IMPRISONED,
        source=IMPORT_SOURCE,
        description=IMPORT_RECORDED,
    )

    response = api_as(caseworker, HTTP_ACCEPT_LANGUAGE="ru").get(
        f"/api/v1/cases/{case.pk}/timeline/"
    )

    (event,) = response.json()
    assert (event["source"], event["description"]) == (
        "[ru] Import",
        "[ru] Status recorded by a spreadsheet import.",
    )


# --- Correcting and removing an entry ---------------------------------------------------------


def _patch(client, event, data):
    return client.patch(f"/api/v1/events/{event.pk}/", data, content_type="application/json")


def _delete(client, event, reason="Entered twice"):
    return client.delete(f"/api/v1/events/{event.pk}/?reason={reason}")


def _two_statuses(organisation):
    case = CaseFactory(owning_organisation=organisation)
    first = case_change_status(
        case=case, status=Status.IMPRISONED, on=datetime.date(2023, 1, 1), source="Lawyer"
    )
    second = case_change_status(
        case=case, status=Status.RELEASED, on=datetime.date(2024, 1, 1), source="Family"
    )
    return case, first, second


def test_it_corrects_a_status_change_and_the_chain_follows(api_as, caseworker, host):
    case, _first, second = _two_statuses(host)
    response = _patch(api_as(caseworker), second, {"status": Status.IN_EXILE})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.IN_EXILE
    case.refresh_from_db()
    assert case.status == Status.IN_EXILE
    second.refresh_from_db()
    # Fields left out keep their value.
    assert (second.happened_on, second.source) == (datetime.date(2024, 1, 1), "Family")
    assert second.history.latest().history_user == caseworker


def test_it_moves_an_entry_to_an_unknown_date(api_as, caseworker, host):
    _case, first, _second = _two_statuses(host)
    response = _patch(api_as(caseworker), first, {"date_unknown": True})
    assert response.status_code == 200, response.content
    first.refresh_from_db()
    assert first.happened_on is None


def test_it_corrects_an_entry_from_a_form_encoded_body(api_as, caseworker, host):
    _case, first, _second = _two_statuses(host)
    client = api_as(caseworker)
    url = f"/api/v1/events/{first.pk}/"
    body = encode_multipart(BOUNDARY, {"date_unknown": "true", "source": "Neighbour"})
    response = client.patch(url, body, content_type=MULTIPART_CONTENT)
    assert response.status_code == 200, response.content
    first.refresh_from_db()
    assert (first.happened_on, first.source) == (None, "Neighbour")
    body = encode_multipart(BOUNDARY, {"happened_on": "null", "date_unknown": "true"})
    response = client.patch(url, body, content_type=MULTIPART_CONTENT)
    assert response.status_code == 400, response.content
    assert [error["field"] for error in response.json()["errors"]] == ["happened_on"]


def test_it_names_a_wrong_correction_with_the_form_s_message_in_russian(api_as, caseworker, host):
    event = CaseEventFactory(case=CaseFactory(owning_organisation=host))
    next_year = datetime.date.today().year + 1
    client = api_as(caseworker, HTTP_ACCEPT_LANGUAGE="ru")
    response = _patch(client, event, {"happened_on": f"{next_year}-02-01"})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "happened_on", "message": "Событие не может быть датировано будущим."}
    ]


def test_it_removes_an_entry_with_the_reason_for_a_coordinator(api_as, coordinator, host):
    case, _first, second = _two_statuses(host)
    response = _delete(api_as(coordinator), second)
    assert response.status_code == 204, response.content
    removed = CaseEvent.all_objects.get(pk=second.pk)
    assert (removed.removal_reason, removed.removed_by) == ("Entered twice", coordinator)
    assert removed.history.latest().history_user == coordinator
    case.refresh_from_db()
    assert case.status == Status.IMPRISONED
    assert api_as(coordinator).get(f"/api/v1/events/{second.pk}/").status_code == 404


def test_it_wants_the_reason_for_a_removal(api_as, coordinator, host):
    _case, _first, second = _two_statuses(host)
    response = api_as(coordinator).delete(f"/api/v1/events/{second.pk}/")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "reason"
    assert CaseEvent.objects.filter(pk=second.pk).exists()


def test_it_leaves_removal_to_coordinators(api_as, caseworker, host):
    _case, _first, second = _two_statuses(host)
    assert _delete(api_as(caseworker), second).status_code == 403
    assert CaseEvent.objects.filter(pk=second.pk).exists()


def test_it_refuses_a_read_only_token(api_as, coordinator, host):
    _case, _first, second = _two_statuses(host)
    client = api_as(coordinator, can_write=False)
    assert _patch(client, second, {"status": Status.IN_EXILE}).status_code == 403
    assert _delete(client, second).status_code == 403
    second.refresh_from_db()
    assert second.status == Status.RELEASED


def test_it_answers_an_entry_of_a_hidden_case_like_a_missing_one_for_every_method(
    api_as, partner_user, host
):
    hidden = CaseEventFactory(
        case=CaseFactory(owning_organisation=host, confidentiality=Confidentiality.INTERNAL)
    )
    client = api_as(partner_user)
    for method in ("get", "post", "put", "patch", "delete", "options"):
        seen = getattr(client, method)(f"/api/v1/events/{hidden.pk}/")
        missing = getattr(client, method)("/api/v1/events/987654321/")
        assert (seen.status_code, seen.content) == (missing.status_code, missing.content), method
    assert CaseEvent.objects.filter(pk=hidden.pk).exists()


def test_it_never_shows_or_reads_a_source_for_a_partner(api_as, partner_user, partner_organisation):
    _case, first, _second = _two_statuses(partner_organisation)
    response = _patch(api_as(partner_user), first, {"source": "Overwritten", "description": "x"})
    # Refused by name (casework.api.preconditions), not silently dropped; nothing written.
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == ["source"]
    first.refresh_from_db()
    assert first.source == "Lawyer"
    assert first.description != "x"
    response = _patch(api_as(partner_user), first, {"description": "x"})
    assert response.status_code == 200
    assert "source" not in response.json()
    first.refresh_from_db()
    assert (first.source, first.description) == ("Lawyer", "x")
