"""casework.importing.ods: an ODS workbook's sheet of cases is chosen by the rule XLSX's is
(casework.importing.sheets): hidden sheets skipped, a sheet of instructions passed over."""

from __future__ import annotations

import io

from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import Style, TableProperties
from odf.table import Table, TableCell, TableHeaderRows, TableRow
from odf.text import P

from casework.importing.parsing import import_file_read


def _ods(*sheets: tuple[str, list[list[str]], bool], header_rows: bool = False) -> bytes:
    """Sheets as (name, rows, hidden); hidden by a table style with display="false", as
    LibreOffice writes it."""
    document = OpenDocumentSpreadsheet()
    hidden_style = Style(name="ta2", family="table")
    hidden_style.addElement(TableProperties(display="false"))
    document.automaticstyles.addElement(hidden_style)
    for name, rows, hidden in sheets:
        table = Table(name=name, stylename="ta2") if hidden else Table(name=name)
        for index, values in enumerate(rows):
            row = TableRow()
            for value in values:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=value))
                row.addElement(cell)
            if index == 0 and header_rows:
                group = TableHeaderRows()  # the header row repeated on every printed page
                group.addElement(row)
                table.addElement(group)
            else:
                table.addElement(row)
        document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _rows(data: bytes) -> list[list]:
    return [cells for _number, cells in import_file_read(data=data, file_name="a.ods").rows]


_CASES = [["ФИО", "Статус"], ["Иванов Иван", "в СИЗО"]]
_OLD = [["ФИО", "Статус"], ["Старов Старик", "освобожден"]]
_INSTRUCTIONS = [
    ["Заполните лист «Данные»: ФИО полностью, дату задержания, статус."],
    ["Даты пишите как 12.03.2021."],
]


def test_it_reads_the_first_sheet_a_person_sees_not_a_hidden_one():
    data = _ods(("Старый список", _OLD, True), ("Список", _CASES, False))

    assert _rows(data) == _CASES


def test_it_reads_the_cases_from_the_sheet_after_a_sheet_of_instructions():
    data = _ods(("Инструкция", _INSTRUCTIONS, False), ("Данные", _CASES, False))

    assert _rows(data) == _CASES


def test_it_passes_over_a_hidden_sheet_between_instructions_and_cases():
    data = _ods(
        ("Инструкция", _INSTRUCTIONS, False),
        ("Справочник", _OLD, True),
        ("Данные", _CASES, False),
        header_rows=True,
    )

    assert _rows(data) == _CASES


def test_a_workbook_whose_every_sheet_is_hidden_is_read_from_its_first():
    data = _ods(("Старый список", _OLD, True), ("Список", _CASES, True))

    assert _rows(data) == _OLD


def test_it_keeps_a_first_sheet_of_cases_whatever_a_later_sheet_holds():
    data = _ods(("Список", _CASES, False), ("Справочник", _OLD, False))

    assert _rows(data) == _CASES


def test_it_reads_which_rows_the_sheet_hides():
    # Rows hidden by hand (collapse) or by a filter were imported and nothing said so.
    document = OpenDocumentSpreadsheet()
    table = Table(name="Список")
    rows = [
        ("ФИО", ""),
        ("Иванов Иван", ""),
        ("Петров Пётр", "collapse"),
        ("Ахметов Ерлан", "filter"),
    ]
    for name, visibility in rows:
        row = TableRow(visibility=visibility) if visibility else TableRow()
        cell = TableCell(valuetype="string")
        cell.addElement(P(text=name))
        row.addElement(cell)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.save(buffer)

    read = import_file_read(data=buffer.getvalue(), file_name="a.ods")

    assert read.hidden_rows == [3, 4]
    assert len(read.rows) == 4
