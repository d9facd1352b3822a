"""The people the realistic partner files name (tests/casework/import_files/expected.json)."""

from __future__ import annotations

import pytest

from casework.models import Confidentiality
from tests.factories import CaseFactory, PersonFactory


@pytest.fixture
def zhumagulov(host):
    person = PersonFactory(full_name="Almat Zhumagulov", birth_year=1985, owning_organisation=host)
    CaseFactory(person=person, owning_organisation=host, confidentiality=Confidentiality.PUBLIC)
    return person


@pytest.fixture
def tokayeva(partner_organisation):
    return PersonFactory(
        full_name="Dana Tokayeva", birth_year=1992, owning_organisation=partner_organisation
    )
