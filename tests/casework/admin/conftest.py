"""Fixtures of the admin tests: a host admin, a partner admin (both staff), and a case
nobody of the host or the partner may see."""

from __future__ import annotations

import pytest

from casework.models import (
    Confidentiality,
    Role,
)
from tests.factories import CaseFactory, PersonFactory, member


@pytest.fixture
def host_admin(host):
    return member(organisation=host, role=Role.ADMIN, username="host-admin", is_staff=True)


@pytest.fixture
def partner_admin(partner_organisation):
    return member(
        organisation=partner_organisation, role=Role.ADMIN, username="partner-admin", is_staff=True
    )


@pytest.fixture
def hidden_case(other_partner_organisation):
    """Restricted to another partner's team: no user of the host or the partner sees it."""
    person = PersonFactory(
        full_name="Zzsecret Partner Person", owning_organisation=other_partner_organisation
    )
    return CaseFactory(
        reference="SECRET-RP",
        person=person,
        owning_organisation=other_partner_organisation,
        confidentiality=Confidentiality.RESTRICTED,
    )
