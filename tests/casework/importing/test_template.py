"""The downloadable XLSX template."""

from __future__ import annotations

import io

from casework.importing.runs import import_file_run
from casework.importing.template import import_template_xlsx
from casework.models import Person


def test_the_template_has_both_languages_and_a_status_drop_down(partner_organisation):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(import_template_xlsx()))
    sheet = workbook["Cases"]
    headers = [cell.value for cell in sheet[1]]
    assert "ФИО / Full name" in headers and "Статус / Status" in headers
    validation = sheet.data_validations.dataValidation[0]
    assert validation.type == "list" and "Statuses" in validation.formula1
    assert "в СИЗО" in [row[0].value for row in workbook["Statuses"].iter_rows()]


def test_the_template_filled_in_imports_cleanly(partner_user, partner_organisation):
    _run, summary = import_file_run(
        data=import_template_xlsx(),
        file_name="template.xlsx",
        organisation=partner_organisation,
        user=partner_user,
    )
    assert summary["errors"] == [] and summary["new"] == 1
    assert Person.objects.get().native_name == "Жумагулов Алмат Серикович"
