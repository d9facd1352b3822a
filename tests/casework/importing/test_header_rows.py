"""casework.importing.header_rows: a sub-header row under the header is read into it, not
as data; a data row that lacks its name stays a row with its error."""

from __future__ import annotations

import datetime
import io

from openpyxl import Workbook, load_workbook

from casework.importing.cells import Table
from casework.importing.header_rows import table_header
from casework.importing.runs import import_file_run, import_run_create, import_run_preview
from casework.models import Case, ImportRun, Status
from tests.casework.import_files import text_import


def _sub_header_xlsx() -> bytes:
    """ "ФИО" merged down over nothing, "Задержание" merged across "дата" and "статья"; a
    row without a date of detention to fix on row 5."""
    workbook = Workbook()
    sheet = workbook.active
    for row in [
        ["ФИО", "Задержание", None, "Статус"],
        [None, "дата", "статья", None],
        ["Иванов Иван", "12.03.2021", "ст. 174 УК РК", "в СИЗО"],
        ["Петров Пётр", "01.02.2022", "ст. 405 УК РК", "осужден"],
        ["Сидоров Сидор", "вчера", "ст. 174 УК РК", "в СИЗО"],
    ]:
        sheet.append(row)
    sheet.merge_cells("A1:A2")
    sheet.merge_cells("B1:C1")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_it_reads_a_sub_header_row_into_the_header_not_as_data(
    partner_user, partner_organisation, client_as_partner
):
    run = import_run_create(
        data=_sub_header_xlsx(),
        file_name="a.xlsx",
        organisation=partner_organisation,
        user=partner_user,
    )

    assert run.state != ImportRun.State.FAILED and run.header_row == 1
    assert run.headers == ["ФИО", "Задержание дата", "статья", "Статус"]
    assert run.mapping == {"0": "full_name", "1": "detained_on", "2": "charges", "3": "status"}
    assert run.rows_total == 3
    import_run_preview(run=run, user=partner_user)
    assert [(error["row"], error["column"][:1]) for error in run.errors] == [(5, "B")]
    client_as_partner.post(f"/imports/{run.pk}/confirm/", {"skip_invalid": "1"})
    cases = {case.person.native_name: case for case in Case.objects.select_related("person")}
    assert set(cases) == {"Иванов Иван", "Петров Пётр"}
    assert cases["Иванов Иван"].detained_on == datetime.date(2021, 3, 12)
    sheet = client_as_partner.get(f"/imports/{run.pk}/rows-to-fix.xlsx")
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert [row[:4] for row in rows] == [
        ("ФИО", "Задержание дата", "статья", "Статус"),
        ("Сидоров Сидор", "вчера", "ст. 174 УК РК", "в СИЗО"),
    ]


def test_it_reads_name_parts_under_a_name_header_as_the_header():
    table = Table(
        "csv",
        [
            (1, ["ФИО", None, None, "Статус"]),
            (2, ["Фамилия", "Имя", "Отчество", None]),
            (3, ["Иванов", "Иван", "Иванович", "в СИЗО"]),
        ],
    )

    found = table_header(table=table)

    assert found.headers == ["Фамилия", "Имя", "Отчество", "Статус"]
    assert (found.number, found.data_start) == (1, 2)


def test_a_data_row_without_its_name_under_the_header_stays_a_row_with_its_error(
    partner_user, partner_organisation
):
    for second in [";в СИЗО;Алматы", ";12.03.2021;в СИЗО", ";осужден;"]:
        run, summary = text_import(
            f"ФИО;Статус;Регион\n{second}\nИванов Иван;в СИЗО;Алматы\n",
            partner_user,
            partner_organisation,
            skip_invalid=True,
        )

        assert run.header_row == 1 and run.rows_total == 2, second
        assert {error["row"] for error in summary["errors"]} == {2}, second


def test_it_reads_the_sub_header_in_the_one_step_import_too(partner_user, partner_organisation):
    _run, summary = import_file_run(
        data=_sub_header_xlsx(),
        file_name="a.xlsx",
        organisation=partner_organisation,
        user=partner_user,
        skip_invalid=True,
    )

    assert [error["row"] for error in summary["errors"]] == [5]
    assert Case.objects.filter(status=Status.PRETRIAL_DETENTION).count() == 1


_NAMELESS_UNDER_HEADER = (
    "ФИО;Место содержания;Регион\n;СИЗО;Алматинская область\nИванов Иван;СИЗО-1;Алматы\n"
)


def test_it_tells_the_partner_which_row_was_read_into_the_header_and_not_imported(
    client_as_partner,
):
    # A row without its name whose cells read as headers ("СИЗО" under "Место содержания")
    # is read as a sub-header: the mapping and preview pages say so, naming the row.
    from django.core.files.uploadedfile import SimpleUploadedFile

    client_as_partner.post(
        "/imports/new/",
        {"file": SimpleUploadedFile("list.csv", _NAMELESS_UNDER_HEADER.encode())},
    )
    run = ImportRun.objects.get()
    assert run.rows_total == 1
    said = (
        "Row 2 (“СИЗО”, “Алматинская область”) was read as a second header row under row 1, "
        "not as a person"
    )
    assert said in client_as_partner.get(f"/imports/{run.pk}/mapping/").text
    assert said in client_as_partner.get(f"/imports/{run.pk}/preview/").text


def test_it_leaves_out_rows_that_hold_only_the_template_s_row_number(
    partner_user, partner_organisation
):
    # A partner's template numbered ahead of its entries: rows 4 and 5 are as empty as a
    # blank row to a person; a row with a number and something else stays a row.
    run, summary = text_import(
        "№;ФИО;Статус\n1;Иванов Иван;в СИЗО\n2;Петров Пётр;осужден\n3;;осужден\n4;;\n5;;\n",
        partner_user,
        partner_organisation,
        skip_invalid=True,
    )

    assert run.rows_total == 3
    assert {error["row"] for error in summary["errors"]} == {4}
    assert Case.objects.count() == 2
