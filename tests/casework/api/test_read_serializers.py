"""Read serializers build their fields from the model once (casework.api.serializers)."""

from __future__ import annotations

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
