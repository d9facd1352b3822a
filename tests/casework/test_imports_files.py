"""Every realistic partner file of tests/casework/import_files imports exactly as
expected.json says (written by build.py in the same folder), and imported again changes
nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casework.importing.runs import import_file_run
from casework.models import Case, Confidentiality, Person
from tests.factories import CaseFactory, PersonFactory

FILES = Path(__file__).resolve().parent / "import_files"
EXPECTED = json.loads((FILES / "expected.json").read_text())
REALISTIC = sorted(name for name in EXPECTED if not name.startswith("_"))
NOT_PARTNER_FILES = {"__init__.py", "build.py", "hostile.py", "expected.json"}


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


def _import(name: str, user, organisation):
    return import_file_run(
        data=(FILES / name).read_bytes(), file_name=name, organisation=organisation, user=user
    )


def test_every_partner_file_in_the_folder_has_an_expected_outcome():
    on_disk = {
        path.name
        for path in FILES.iterdir()
        if path.is_file() and path.name not in NOT_PARTNER_FILES
    }

    assert on_disk == set(REALISTIC)


@pytest.mark.parametrize("name", REALISTIC)
def test_it_imports_each_realistic_partner_file_as_expected(
    name, partner_user, partner_organisation, zhumagulov, tokayeva
):
    expected = EXPECTED[name]
    people_before = Person.objects.count()

    run, summary = _import(name, partner_user, partner_organisation)

    assert summary == expected["first"]
    assert run.state == expected["state"]
    assert Person.objects.count() - people_before == expected["people_created"]
    if expected["again"] is not None:
        cases_before = Case.objects.count()
        history_before = Case.history.count() + Person.history.count()
        _, again = _import(name, partner_user, partner_organisation)
        assert again == expected["again"]
        assert Case.objects.count() == cases_before
        assert Case.history.count() + Person.history.count() == history_before
