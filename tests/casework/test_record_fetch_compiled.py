"""record_fetch's query compiled once per connection (same_query_as), rule_key, and
request.user unwrapped by EvaluatedUserMiddleware: the same rows, the same answers."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import MultipleObjectsReturned
from django.db import connection
from django.db.models import Prefetch
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.models import Case, Confidentiality, Person
from casework.permissions import case_for_user, person_for_user, record_fetch
from casework.visibility import cases_visible_to, rule_key, user_membership
from tests.factories import CaseEventFactory, CaseFactory, UserFactory


def test_rule_key_names_what_the_rule_reads_and_none_without_a_membership(caseworker, db):
    membership = user_membership(caseworker)
    assert membership is not None
    assert rule_key("cases", caseworker, True) == (
        "cases",
        caseworker.pk,
        membership.pk,
        membership.role,
        membership.organisation_id,
        membership.organisation.kind,
        True,
    )
    assert rule_key("cases", UserFactory()) is None
    assert rule_key("cases", AnonymousUser()) is None


def test_the_compiled_fetch_sends_the_sql_of_queryset_get(host, caseworker):
    case = CaseFactory(owning_organisation=host, confidentiality=Confidentiality.PUBLIC)
    cases = cases_visible_to(caseworker).select_related("person")
    user_membership(caseworker)
    with CaptureQueriesContext(connection) as plain:
        expected = cases.get(pk=case.pk)
    for _ in range(2):  # compiled, then reused
        with CaptureQueriesContext(connection) as compiled:
            fetched = record_fetch(cases, case.pk, same_query_as=("test", "cases"))
        assert [q["sql"] for q in compiled] == [q["sql"] for q in plain]
        assert fetched == expected
        assert fetched.person == expected.person
        assert fetched._state.fields_cache.keys() == expected._state.fields_cache.keys()


def test_the_compiled_fetch_answers_missing_hidden_and_odd_ids_as_before(
    host, coordinator, partner_user
):
    restricted = CaseFactory(owning_organisation=host, confidentiality=Confidentiality.RESTRICTED)
    for pk in (restricted.pk, 987654321, 2**31, 2**70, 0, -1, "not-a-number", None):
        with pytest.raises(Http404):
            case_for_user(partner_user, pk)
    visible = CaseFactory(owning_organisation=host, confidentiality=Confidentiality.PUBLIC)
    assert case_for_user(partner_user, str(visible.pk)) == visible
    # The owning organisation's coordinator is of the case team.
    assert case_for_user(coordinator, restricted.pk) == restricted


def test_the_compiled_fetch_raises_as_get_for_more_than_one_row(host, caseworker):
    case = CaseFactory(owning_organisation=host, confidentiality=Confidentiality.PUBLIC)
    CaseEventFactory.create_batch(2, case=case)
    # A join that repeats the case: get() and the compiled fetch both refuse it.
    doubled = Case.objects.filter(events__isnull=False)
    with pytest.raises(MultipleObjectsReturned) as plain:
        doubled.get(pk=case.pk)
    with pytest.raises(MultipleObjectsReturned) as compiled:
        record_fetch(doubled, case.pk, same_query_as=("test", "doubled"))
    assert str(compiled.value) == str(plain.value)


def test_the_compiled_fetch_prefetches_what_the_queryset_asks_for(host, caseworker):
    case = CaseFactory(owning_organisation=host, confidentiality=Confidentiality.PUBLIC)
    user_membership(caseworker)
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            person = person_for_user(
                caseworker,
                case.person_id,
                prefetch_related=(Prefetch("cases", queryset=Case.objects.order_by("pk")),),
            )
            assert list(person.cases.all()) == [case]
        assert len(queries) == 2
        assert isinstance(person, Person)


def test_the_request_carries_the_account_itself(client_as_coordinator, coordinator):
    response = client_as_coordinator.get("/")
    assert response.status_code == 200
    user = response.wsgi_request.user
    assert type(user) is type(coordinator)
    assert user == coordinator
    assert user.is_verified()


def test_an_anonymous_request_carries_anonymous_user(client, db):
    response = client.get(reverse("login"))
    assert type(response.wsgi_request.user) is AnonymousUser
    assert response.wsgi_request.user.otp_device is None
