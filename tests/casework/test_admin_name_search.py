"""The admin's person search uses the name keys: any script or spelling finds the person."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casework.models import Confidentiality
from tests.factories import CaseFactory, PersonFactory


@pytest.fixture
def zhumagulov_and_another(host):
    almat = PersonFactory(full_name="Almat Zhumagulov", owning_organisation=host)
    other = PersonFactory(full_name="Aset Abishev", owning_organisation=host)
    for person in (almat, other):
        CaseFactory(person=person, owning_organisation=host, confidentiality=Confidentiality.PUBLIC)
    return almat, other


@pytest.mark.parametrize("query", ["Жумагулов", "Jumagulov", "Алмат Жумагулов", "Zhumagulov A."])
def test_the_person_changelist_finds_almat_zhumagulov_by_another_spelling(
    client_as_admin, zhumagulov_and_another, query
):
    almat, other = zhumagulov_and_another

    response = client_as_admin.get(reverse("admin:casework_person_changelist"), {"q": query})

    assert response.status_code == 200
    found = list(response.context["cl"].result_list)
    assert found == [almat]
    assert other not in found
