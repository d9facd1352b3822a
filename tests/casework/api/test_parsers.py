"""The API's JSON parser: a text holding half a character is refused, naming the field."""

from __future__ import annotations

import pytest

from casework.models import Case, CaseEvent, Status
from tests.factories import CaseFactory

# JSON's escape for the first half of a character beyond the Basic Multilingual Plane,
# sent alone (a script that cut "😀", "\ud83d\ude00", in two).
HALF = '"before \\ud83d after"'


def test_it_refuses_half_a_character_in_a_case_s_summary_naming_the_field(api_as, caseworker, host):
    # Found by hand: the database refused to encode the text, and the API answered 500.
    case = CaseFactory(owning_organisation=host, summary="As it was")
    response = api_as(caseworker).patch(
        f"/api/v1/cases/{case.pk}/",
        data=f'{{"summary": {HALF}}}',
        content_type="application/json",
    )
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["field"] == "summary"
    assert "\\ud83d" in error["message"]
    case.refresh_from_db()
    assert case.summary == "As it was"


def test_it_refuses_half_a_character_in_a_status_source_and_records_nothing(
    api_as, caseworker, host
):
    case = CaseFactory(owning_organisation=host)
    response = api_as(caseworker).post(
        f"/api/v1/cases/{case.pk}/status/",
        data=f'{{"status": "{Status.RELEASED}", "on": "2024-05-01", "source": {HALF}}}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == ["source"]
    assert not CaseEvent.objects.filter(case=case).exists()


def test_it_names_a_nested_field_by_its_path(api_as, caseworker):
    response = api_as(caseworker).post(
        "/api/v1/people/",
        data=f'{{"full_name": "Aigul Nurlanova", "aliases": ["ok", {HALF}]}}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == ["aliases.1"]


def test_it_takes_a_whole_character_sent_as_two_escapes(api_as, caseworker, host):
    case = CaseFactory(owning_organisation=host)
    response = api_as(caseworker).patch(
        f"/api/v1/cases/{case.pk}/",
        data='{"summary": "smile \\ud83d\\ude00"}',
        content_type="application/json",
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.summary == "smile \N{GRINNING FACE}"


@pytest.mark.parametrize("depth", [20, 100_000])
def test_it_refuses_a_body_nested_too_deep_with_a_400(api_as, caseworker, depth):
    # Found by hand: 100,000 nested objects exceeded the decoder's recursion limit, a 500.
    body = '{"new_person": ' * depth + "1" + "}" * depth
    response = api_as(caseworker).post("/api/v1/cases/", data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": None,
            "message": "The JSON body nests lists and objects more than 16 levels deep.",
        }
    ]
    assert not Case.objects.exists()
