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
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(import_template_xlsx()))
    workbook["Cases"].append(["Сейітов Асқар Болатұлы", None, 1990])
    buffer = io.BytesIO()
    workbook.save(buffer)

    _run, summary = import_file_run(
        data=buffer.getvalue(),
        file_name="template.xlsx",
        organisation=partner_organisation,
        user=partner_user,
    )

    assert summary["errors"] == [] and summary["new"] == 1
    assert Person.objects.get().native_name == "Сейітов Асқар Болатұлы"


def test_the_template_s_example_is_no_row_a_partner_imports_with_theirs(
    partner_user, partner_organisation
):
    # The example person stood in row 2: a partner who added their rows under it imported
    # a case of "Жумагулов Алмат Серикович" too (a known person: a new case of theirs).
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(import_template_xlsx()))["Cases"]

    assert sheet.max_row == 1
    name = sheet.cell(row=1, column=1)
    assert "Жумагулов Алмат Серикович" in name.comment.text  # the example, on the header

    run, _summary = import_file_run(
        data=import_template_xlsx(),
        file_name="template.xlsx",
        organisation=partner_organisation,
        user=partner_user,
    )
    assert run.state == "failed" and not Person.objects.exists()
