"""What a create or change request may send (a field it does not take answers 400, naming
it), and a change's If-Match precondition against the ETag of a case or person."""

from __future__ import annotations

import datetime

from casework.models import Case, CaseEvent, Person, Status
from tests.factories import CaseEventFactory, CaseFactory, PersonFactory


def _patch(client, path, data, **headers):
    return client.patch(path, data, content_type="application/json", headers=headers)


def _errors(response) -> dict:
    return {error["field"]: error["message"] for error in response.json()["errors"]}


def test_it_refuses_a_field_the_case_does_not_have_and_writes_nothing(api_as, caseworker, host):
    case = CaseFactory(owning_organisation=host, summary="Before")
    response = _patch(
        api_as(caseworker), f"/api/v1/cases/{case.pk}/", {"sumary": "After", "summary": "After"}
    )
    assert response.status_code == 400
    assert _errors(response) == {"sumary": "“sumary” is not a field of this resource."}
    case.refresh_from_db()
    assert case.summary == "Before"


def test_it_refuses_a_read_only_field_changed_naming_where_it_changes(api_as, caseworker, host):
    case = CaseFactory(owning_organisation=host, status=Status.IMPRISONED, summary="Before")
    sent = {"status": Status.RELEASED, "reference": "X-1", "summary": "After"}
    response = _patch(api_as(caseworker), f"/api/v1/cases/{case.pk}/", sent)
    assert response.status_code == 400
    errors = _errors(response)
    assert set(errors) == {"status", "reference"}
    assert f"POST /api/v1/cases/{case.pk}/status/" in errors["status"]
    assert errors["reference"].startswith("“reference” cannot be changed here.")
    case.refresh_from_db()
    assert (case.status, case.summary) == (Status.IMPRISONED, "Before")


def test_it_takes_read_only_fields_sent_back_as_read(api_as, caseworker, host):
    case = CaseFactory(owning_organisation=host, summary="Before")
    client = api_as(caseworker)
    read = client.get(f"/api/v1/cases/{case.pk}/").json()
    sent = {name: read[name] for name in ("id", "reference", "status", "owning_organisation")}
    response = _patch(client, f"/api/v1/cases/{case.pk}/", {**sent, "summary": "After"})
    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert case.summary == "After"


def test_it_refuses_sources_from_a_partner_and_keeps_them(
    api_as, partner_user, partner_organisation
):
    case = CaseFactory(owning_organisation=partner_organisation, sources="Kept", summary="Old")
    response = _patch(
        api_as(partner_user), f"/api/v1/cases/{case.pk}/", {"summary": "New", "sources": "x"}
    )
    assert response.status_code == 400
    assert set(_errors(response)) == {"sources"}
    case.refresh_from_db()
    assert (case.summary, case.sources) == ("Old", "Kept")


def test_it_refuses_a_field_a_new_case_does_not_take(api_as, caseworker):
    sent = {
        "new_person": {"full_name": "Unique Testperson"},
        "status": Status.PRETRIAL_DETENTION,
        "status_source": "Lawyer",
        "reference": "MINE-1",
        "sumary": "typo",
    }
    response = api_as(caseworker).post("/api/v1/cases/", sent, content_type="application/json")
    assert response.status_code == 400
    assert set(_errors(response)) == {"reference", "sumary"}
    assert not Case.objects.exists()


def test_it_refuses_a_field_the_person_does_not_have(api_as, caseworker, host):
    person = PersonFactory(owning_organisation=host, full_name="Almat Zhumagulov")
    response = _patch(
        api_as(caseworker),
        f"/api/v1/people/{person.pk}/",
        {"ful_name": "Almat Zh.", "owning_organisation": person.owning_organisation_id + 1},
    )
    assert response.status_code == 400
    assert set(_errors(response)) == {"ful_name", "owning_organisation"}
    person.refresh_from_db()
    assert person.full_name == "Almat Zhumagulov"


def test_it_refuses_a_field_a_new_person_does_not_take(api_as, caseworker):
    response = api_as(caseworker).post(
        "/api/v1/people/",
        {"full_name": "Unique Testperson", "aliases": ["x"]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert set(_errors(response)) == {"aliases"}
    assert not Person.objects.filter(full_name="Unique Testperson").exists()


def test_it_refuses_a_case_change_over_one_made_since_it_was_read(api_as, caseworker, host):
    case = CaseFactory(owning_organisation=host, summary="Read", sentence="5 years")
    client = api_as(caseworker)
    etag = client.get(f"/api/v1/cases/{case.pk}/").headers["ETag"]
    assert _patch(client, f"/api/v1/cases/{case.pk}/", {"summary": "Theirs"}).status_code == 200
    response = _patch(client, f"/api/v1/cases/{case.pk}/", {"sentence": "Mine"}, If_Match=etag)
    assert response.status_code == 412
    assert set(_errors(response)) == {"summary"}
    case.refresh_from_db()
    assert (case.summary, case.sentence) == ("Theirs", "5 years")
    fresh = response.headers["ETag"]
    again = _patch(client, f"/api/v1/cases/{case.pk}/", {"sentence": "Mine"}, If_Match=fresh)
    assert again.status_code == 200, again.content
    assert again.headers["ETag"] == client.get(f"/api/v1/cases/{case.pk}/").headers["ETag"]


def test_it_writes_a_case_change_whose_if_match_still_matches(api_as, caseworker, host):
    case = CaseFactory(owning_organisation=host, summary="Read")
    client = api_as(caseworker)
    etag = client.get(f"/api/v1/cases/{case.pk}/").headers["ETag"]
    response = _patch(client, f"/api/v1/cases/{case.pk}/", {"summary": "Mine"}, If_Match=etag)
    assert response.status_code == 200, response.content
    assert response.headers["ETag"] != etag


def test_it_refuses_an_if_match_that_is_no_etag_of_the_case(api_as, caseworker, host):
    case = CaseFactory(owning_organisation=host, summary="Read")
    response = _patch(
        api_as(caseworker), f"/api/v1/cases/{case.pk}/", {"summary": "x"}, If_Match='"nonsense"'
    )
    assert response.status_code == 412
    assert response.headers["ETag"].startswith('"confidentiality:')
    case.refresh_from_db()
    assert case.summary == "Read"


def test_it_refuses_a_person_change_over_one_made_since_it_was_read(api_as, caseworker, host):
    person = PersonFactory(owning_organisation=host, full_name="Almat Zhumagulov")
    client = api_as(caseworker)
    path = f"/api/v1/people/{person.pk}/"
    etag = client.get(path).headers["ETag"]
    assert _patch(client, path, {"biography": "Theirs"}).status_code == 200
    response = _patch(client, path, {"full_name": "Almat Zh."}, If_Match=etag)
    assert response.status_code == 412
    assert set(_errors(response)) == {"biography"}
    person.refresh_from_db()
    assert person.full_name == "Almat Zhumagulov"


def test_it_refuses_a_misspelt_field_of_a_status_change(api_as, caseworker, host):
    case = CaseFactory(owning_organisation=host, status=Status.IMPRISONED)
    sent = {"status": Status.RELEASED, "on": "2024-05-01", "source": "Lawyer", "notes": "x"}
    response = api_as(caseworker).post(
        f"/api/v1/cases/{case.pk}/status/", sent, content_type="application/json"
    )
    assert response.status_code == 400
    assert _errors(response) == {"notes": "“notes” is not a field of this resource."}
    case.refresh_from_db()
    assert case.status == Status.IMPRISONED


def test_it_refuses_a_timeline_entry_s_case_changed(api_as, caseworker, host):
    case = CaseFactory(owning_organisation=host, status=Status.IMPRISONED)
    other = CaseFactory(owning_organisation=host)
    client = api_as(caseworker)
    event = client.post(
        f"/api/v1/cases/{case.pk}/events/",
        {"kind": "hearing", "happened_on": "2024-05-01", "description": "Before"},
        content_type="application/json",
    ).json()
    path = f"/api/v1/events/{event['id']}/"
    response = _patch(client, path, {"case": other.pk, "description": "After"})
    assert response.status_code == 400
    assert set(_errors(response)) == {"case"}
    response = _patch(client, path, {"case": case.pk, "description": "After"})
    assert response.status_code == 200, response.content


def test_it_refuses_a_timeline_correction_over_one_made_since_it_was_read(api_as, caseworker, host):
    case = CaseFactory(owning_organisation=host)
    event = CaseEventFactory(
        case=case, kind=CaseEvent.Kind.HEARING, happened_on=datetime.date(2024, 5, 1)
    )
    client = api_as(caseworker)
    path = f"/api/v1/events/{event.pk}/"
    etag = client.get(path).headers["ETag"]
    assert _patch(client, path, {"description": "Theirs"}).status_code == 200
    response = _patch(client, path, {"source": "Mine"}, If_Match=etag)
    assert response.status_code == 412
    assert set(_errors(response)) == {"description"}
    event.refresh_from_db()
    assert (event.description, event.source) == ("Theirs", "")
    again = _patch(client, path, {"source": "Mine"}, If_Match=response.headers["ETag"])
    assert again.status_code == 200, again.content
    assert again.headers["ETag"] == client.get(path).headers["ETag"]
    event.refresh_from_db()
    assert event.source == "Mine"


def test_it_refuses_an_if_match_that_is_no_etag_of_the_timeline_entry(api_as, caseworker, host):
    event = CaseEventFactory(case=CaseFactory(owning_organisation=host), description="Read")
    response = _patch(
        api_as(caseworker), f"/api/v1/events/{event.pk}/", {"description": "x"}, If_Match='"x"'
    )
    assert response.status_code == 412
    event.refresh_from_db()
    assert event.description == "Read"


def test_it_refuses_a_field_a_new_person_of_a_new_case_does_not_take(api_as, caseworker):
    sent = {
        "new_person": {"full_name": "Unique Testperson", "birth_yaer": 1980},
        "status": Status.PRETRIAL_DETENTION,
        "status_source": "Lawyer",
    }
    response = api_as(caseworker).post("/api/v1/cases/", sent, content_type="application/json")
    assert response.status_code == 400
    assert set(_errors(response)) == {"new_person.birth_yaer"}
    assert not Case.objects.exists()
