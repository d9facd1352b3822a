"""Read serializers build their fields from the model once (casework.api.serializers)."""

from __future__ import annotations

from jsonschema import Draft202012Validator
from rest_framework.test import APIRequestFactory

from casework.api.serializers import CaseSerializer
from casework.models import Case
from tests.factories import CaseFactory


def test_each_serializer_gets_fields_of_its_own(caseworker, partner_user):
    request = APIRequestFactory().get("/")
    request.user = caseworker
    first = CaseSerializer(context={"request": request}).fields
    second = CaseSerializer(context={"request": request}).fields
    assert list(first) == list(second)
    assert all(first[name] is not second[name] for name in first)
    assert all(first[name].parent is not second[name].parent for name in first)
    assert set(Case.SENSITIVE_FIELDS) <= set(first)
    request.user = partner_user
    partner_fields = CaseSerializer(context={"request": request}).fields
    assert not set(Case.SENSITIVE_FIELDS) & set(partner_fields)
    assert set(CaseSerializer(context={"request": request}).fields) == set(partner_fields)


def test_a_serializer_reads_the_same_with_fields_built_once(caseworker, host):
    case = CaseFactory(owning_organisation=host)
    request = APIRequestFactory().get("/")
    request.user = caseworker
    first = CaseSerializer(case, context={"request": request}).data
    second = CaseSerializer(case, context={"request": request}).data
    assert first == second
    assert first["reference"] == case.reference
    assert first["person"]["id"] == case.person_id


def test_it_answers_a_timeline_entry_other_than_a_status_change_as_the_schema_says(
    api_as, caseworker, host
):
    # Found by Schemathesis: a hearing's empty "status" was not among the schema's values.
    case = CaseFactory(owning_organisation=host)
    client = api_as(caseworker)
    created = client.post(
        f"/api/v1/cases/{case.pk}/events/",
        {"kind": "hearing", "happened_on": "2024-05-01", "source": "Court", "description": ""},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    validator = Draft202012Validator(
        {"$ref": "#/components/schemas/CaseEvent", "components": schema["components"]}
    )
    entries = [created.json(), *client.get(f"/api/v1/cases/{case.pk}/timeline/").json()]
    assert entries[0]["status"] == ""
    for entry in entries:
        assert not list(validator.iter_errors(entry)), entry
