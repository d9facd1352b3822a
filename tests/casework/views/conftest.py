"""Fixtures of the casework page tests: a person on file and their case, and a case
with a task assigned to its caseworker."""

from __future__ import annotations

import datetime as dt

import pytest

from casework.followups import follow_up_create
from tests.factories import CaseFactory, ChargeFactory, PersonFactory


@pytest.fixture
def zhumagulov(host):
    return PersonFactory(
        full_name="Almat Zhumagulov", native_name="Алмат Жумагулов", owning_organisation=host
    )


@pytest.fixture
def zhumagulov_case(zhumagulov, host):
    case = CaseFactory(person=zhumagulov, owning_organisation=host, reference="KZ-2021-0001")
    case.charges.add(
        ChargeFactory(
            article="405", part="2", title="Participation in a banned extremist organisation"
        )
    )
    return case


DUE = dt.date(2030, 5, 20)


@pytest.fixture
def case(caseworker):
    return CaseFactory(assigned_caseworker=caseworker)


@pytest.fixture
def task(case, coordinator, caseworker):
    return follow_up_create(
        case=case, title="Visit in SIZO", assignee=caseworker, by=coordinator, due_on=DUE
    )
