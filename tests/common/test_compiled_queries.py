"""A query compiled once per connection gives what the ORM gives, for any value."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connections

from casework.models import Role
from common.compiled_queries import instances_compiled_once
from tests.factories import OrganisationFactory, member


def _accounts(pk):
    model = get_user_model()
    return instances_compiled_once(
        name="test-account-with-membership",
        model=model,
        queryset_for=lambda value: model.objects.select_related("membership__organisation").filter(
            pk=value
        ),
        value=pk,
    )


def test_it_gives_the_orms_instances_with_their_related_rows_for_each_value(db):
    first = member(organisation=OrganisationFactory(name="Первая"), role=Role.CASEWORKER)
    second = member(organisation=OrganisationFactory(name="Екінші"), role=Role.PARTNER)

    found_first, found_second = _accounts(first.pk), _accounts(second.pk)

    assert [account.pk for account in found_first] == [first.pk]
    assert [account.pk for account in found_second] == [second.pk]
    assert found_second[0].membership.organisation.name == "Екінші"
    assert found_first[0].date_joined == get_user_model().objects.get(pk=first.pk).date_joined
    assert found_first[0]._state.db == "default"
    assert not found_first[0]._state.adding


def test_it_compiles_once_per_connection_and_sends_one_query(db, django_assert_num_queries):
    account = member(organisation=OrganisationFactory(), role=Role.CASEWORKER)
    _accounts(account.pk)
    compiled = connections["default"].__dict__["advocase_compiled_queries"][
        "test-account-with-membership"
    ]

    with django_assert_num_queries(1):
        found = _accounts(account.pk)

    assert (
        connections["default"].__dict__["advocase_compiled_queries"]["test-account-with-membership"]
        is compiled
    )
    assert found[0].membership.role == Role.CASEWORKER


def test_it_finds_nothing_for_an_id_no_row_has(db):
    assert _accounts(987654321) == []


def test_it_refuses_a_query_that_does_not_carry_the_value_exactly_once(db):
    model = get_user_model()
    with pytest.raises(ValueError, match="once as a parameter"):
        instances_compiled_once(
            name="test-value-twice",
            model=model,
            queryset_for=lambda value: (
                model.objects.filter(pk=value) | model.objects.filter(id=value)
            ),
            value=1,
        )
