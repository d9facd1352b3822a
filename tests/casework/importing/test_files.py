"""Every realistic partner file of tests/casework/import_files imports exactly as
expected.json says (written by build.py in the same folder), and imported again changes
nothing."""

from __future__ import annotations

import json

import pytest

from casework.models import Case, Person
from tests.casework.import_files import FILES, partner_file_import

EXPECTED = json.loads((FILES / "expected.json").read_text())


REALISTIC = sorted(name for name in EXPECTED if not name.startswith("_"))


NOT_PARTNER_FILES = {"__init__.py", "build.py", "hostile.py", "expected.json"}


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

    run, summary = partner_file_import(name, partner_user, partner_organisation)

    assert summary == expected["first"]
    assert run.state == expected["state"]
    assert Person.objects.count() - people_before == expected["people_created"]
    if expected["again"] is not None:
        cases_before = Case.objects.count()
        history_before = Case.history.count() + Person.history.count()
        _, again = partner_file_import(name, partner_user, partner_organisation)
        assert again == expected["again"]
        assert Case.objects.count() == cases_before
        assert Case.history.count() + Person.history.count() == history_before
