"""The import_cases command: the same import as the web flow, for a file on disk."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from casework.models import Case, ImportRun, Person
from tests.casework.import_files import FILES

EXPECTED = json.loads((FILES / "expected.json").read_text())


def test_the_command_prints_the_exact_json_and_exits_non_zero_on_errors(
    partner_user, partner_organisation, capsys
):
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "import_cases",
            str(FILES / "partner_en_utf8_bom_errors.csv"),
            organisation=partner_organisation.slug,
            user=partner_user.username,
            format="json",
        )

    assert exit_info.value.code == 1
    printed = json.loads(capsys.readouterr().out)
    columns = printed.pop("columns")
    assert printed == EXPECTED["partner_en_utf8_bom_errors.csv"]["first"]
    assert list(printed) == [
        "new",
        "new_cases",
        "new_people",
        "linked_people",
        "updated",
        "unchanged",
        "possible_duplicates",
        "skipped",
        "errors",
    ]
    assert columns == [
        {"column": "A", "header": "Full name", "field": "full_name"},
        {"column": "B", "header": "Date of birth", "field": "birth"},
        {"column": "C", "header": "Charges", "field": "charges"},
        {"column": "D", "header": "Detained on", "field": "detained_on"},
        {"column": "E", "header": "Status", "field": "status"},
        {"column": "F", "header": "Notes", "field": "summary"},
    ]


def test_the_command_imports_and_a_dry_run_reports_without_writing(
    partner_user, partner_organisation, capsys
):
    path = str(FILES / "partner_ru_cp1251.csv")
    call_command(
        "import_cases", path, organisation=partner_organisation.slug, dry_run=True, format="json"
    )
    assert json.loads(capsys.readouterr().out)["new"] == 4
    assert Person.objects.count() == 0

    call_command("import_cases", path, organisation=partner_organisation.slug)

    assert "Imported: 4 new cases (4 new people, 0 people already recorded)" in (
        capsys.readouterr().out
    )
    assert Case.objects.filter(owning_organisation=partner_organisation).count() == 4
    assert ImportRun.objects.get(dry_run=False).user == partner_user


def test_it_prints_a_file_error_once_without_repeating_its_row(
    partner_user, partner_organisation, capsys, tmp_path
):
    path = tmp_path / "unclosed.csv"
    path.write_text('Full name,Status\n"Almat Zhumagulov,released\n', encoding="utf-8")

    with pytest.raises(SystemExit):
        call_command(
            "import_cases", str(path), organisation=partner_organisation.slug, format="text"
        )

    printed = capsys.readouterr().out
    run = ImportRun.objects.get()
    assert run.errors[0]["message"].startswith("Row 2: ")
    assert "row 2: Row 2" not in printed
    assert f"\n  {run.errors[0]['message']}\n" in printed
