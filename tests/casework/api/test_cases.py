"""The case endpoints: the case list's FilterSet, visibility, sensitive fields, the
restricted-view log, bounded queries."""

from __future__ import annotations

import pytest

from casework.models import Confidentiality, RestrictedCaseView, Role, Status
from tests.factories import CaseFactory, PersonFactory, member


def test_it_lists_the_cases_filtered_by_status_as_the_page_does(api_as, caseworker, host):
    detained = CaseFactory(owning_organisation=host, status=Status.IMPRISONED)
    CaseFactory(owning_organisation=host, status=Status.RELEASED)
    response = api_as(caseworker).get("/api/v1/cases/", {"status": Status.IMPRISONED})
    assert response.status_code == 200
    assert [row["reference"] for row in response.json()["results"]] == [detained.reference]


def test_it_finds_a_case_by_a_cyrillic_spelling_of_the_name(api_as, caseworker, host):
    person = PersonFactory(full_name="Almat Zhumagulov", owning_organisation=host)
    case = CaseFactory(person=person, owning_organisation=host)
    CaseFactory(owning_organisation=host)
    response = api_as(caseworker).get("/api/v1/cases/", {"q": "Жумагулов"})
    assert [row["id"] for row in response.json()["results"]] == [case.pk]


def test_it_refuses_an_unknown_status_with_the_filter_s_message(api_as, caseworker):
    response = api_as(caseworker).get("/api/v1/cases/", {"status": "on_the_moon"})
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["field"] == "status"
    assert "on_the_moon" in error["message"]


def test_it_never_shows_sources_or_health_notes_to_a_partner_user(
    api_as, partner_user, partner_organisation
):
    case = CaseFactory(
        owning_organisation=partner_organisation,
        sources="SENSITIVE-SOURCE",
        health_notes="SENSITIVE-HEALTH",
    )
    response = api_as(partner_user).get(f"/api/v1/cases/{case.pk}/")
    assert response.status_code == 200
    assert "sources" not in response.json()
    assert b"SENSITIVE" not in response.content


def test_it_shows_sources_to_staff(api_as, caseworker, host):
    case = CaseFactory(owning_organisation=host, sources="Interview with the lawyer")
    response = api_as(caseworker).get(f"/api/v1/cases/{case.pk}/")
    assert response.json()["sources"] == "Interview with the lawyer"


def test_it_answers_a_hidden_case_exactly_like_a_missing_one(
    api_as, partner_user, host, partner_organisation
):
    hidden = CaseFactory(owning_organisation=host, confidentiality=Confidentiality.INTERNAL)
    client = api_as(partner_user)
    for method in ("get", "post", "put", "patch", "delete"):
        seen = getattr(client, method)(f"/api/v1/cases/{hidden.pk}/")
        missing = getattr(client, method)("/api/v1/cases/987654321/")
        assert (seen.status_code, seen.content) == (missing.status_code, missing.content), method


def test_it_logs_who_read_a_restricted_case(api_as, host):
    coordinator = member(organisation=host, role=Role.COORDINATOR, username="lead")
    case = CaseFactory(owning_organisation=host, confidentiality=Confidentiality.RESTRICTED)
    api_as(coordinator).get(f"/api/v1/cases/{case.pk}/")
    assert RestrictedCaseView.objects.filter(case=case, user=coordinator).exists()


def test_it_pages_with_a_cursor_that_new_cases_do_not_shift(api_as, caseworker, host):
    CaseFactory.create_batch(5, owning_organisation=host)
    client = api_as(caseworker)
    first = client.get("/api/v1/cases/", {"page_size": 3}).json()
    CaseFactory(owning_organisation=host)  # newest: lands before the first page
    second = client.get(first["next"]).json()
    seen = [row["id"] for row in first["results"] + second["results"]]
    assert len(seen) == len(set(seen)) == 5


@pytest.mark.parametrize("rows", [5, 500])
def test_it_lists_cases_in_a_bounded_number_of_queries(
    api_as, caseworker, host, rows, django_assert_max_num_queries
):
    people = PersonFactory.create_batch(rows, owning_organisation=host)
    for person in people:
        CaseFactory(person=person, owning_organisation=host)
    client = api_as(caseworker)
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/cases/", {"page_size": 200})
    assert len(response.json()["results"]) == min(rows, 200)


def test_it_answers_a_path_no_route_takes_like_a_missing_id(api_as, caseworker):
    client = api_as(caseworker)
    missing = client.get("/api/v1/cases/987654321/")
    for path in ("/api/v1/cases/-5/", "/api/v1/cases/abc/", "/api/v1/nothing-here/"):
        response = client.get(path)
        assert (response.status_code, response.content) == (404, missing.content), path
