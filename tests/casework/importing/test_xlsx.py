"""The streaming XLSX reader in casework.importing.parsing: the same cells openpyxl reads,
except where the importer reads deliberately differently (formulas and booleans stay the text
written, a date at midnight is a date), and XML entities refused."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from casework.importing.parsing import ImportFileError, import_file_read

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _workbook_rows(*, write_only: bool) -> bytes:
    """Strings (shared in a normal workbook, inline in a write-only one), numbers, dates,
    booleans, blanks and a formula stored as text."""
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("Лист1") if write_only else workbook.active
    rows = [
        ["ФИО", "Год", "Дата", "Сумма", "Флаг", "Пусто", "Формула"],
        ["Жумагулов Алмат", 1980, datetime.date(2021, 3, 4), 2.5, True, None, "=1+1"],
        ["Ivanov Ivan", 1975, datetime.datetime(2020, 1, 2, 13, 30), -7, False, None, "x"],
        ["  пробелы  ", 0, datetime.date(1999, 12, 31), 1e-3, None, None, "@cmd"],
        ["Ivanov Ivan", 12345678901, None, 0.1 + 0.2, None, None, "+7 701"],
    ]
    if write_only:
        for row in rows:
            sheet.append(row)
    else:
        for row in rows:
            sheet.append(row)
        for row_cells in sheet.iter_rows(min_col=7, max_col=7):
            row_cells[0].data_type = "s"  # kept as text, not a formula
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _openpyxl_rows(data: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=False).worksheets[0]
    rows = []
    for row in sheet.iter_rows(values_only=True):
        cells = list(row)
        while cells and cells[-1] is None:
            cells.pop()
        rows.append(cells)
    return rows


def _as_importer_reads(value):
    """openpyxl's value, as the importer deliberately reads it."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        return value.date()
    return value


def _read_rows(data: bytes) -> list[list]:
    rows = []
    for _number, cells in import_file_read(data=data, file_name="book.xlsx").rows:
        cells = list(cells)
        while cells and cells[-1] is None:
            cells.pop()
        rows.append(cells)
    return rows


@pytest.mark.parametrize("write_only", [False, True], ids=["shared strings", "inline strings"])
def test_it_reads_the_same_cells_as_openpyxl(write_only):
    data = _workbook_rows(write_only=write_only)

    expected = [[_as_importer_reads(value) for value in row] for row in _openpyxl_rows(data)]

    assert _read_rows(data) == expected
    assert expected[1][0] == "Жумагулов Алмат"
    assert expected[1][2] == datetime.date(2021, 3, 4)
    assert expected[2][2] == datetime.datetime(2020, 1, 2, 13, 30)
    assert expected[1][6] == "=1+1"


def test_it_keeps_the_spreadsheet_row_numbers_and_skips_blank_rows():
    workbook = Workbook()
    sheet = workbook.active
    sheet["A1"], sheet["A4"], sheet["C4"] = "ФИО", "Ivanov Ivan", 3
    buffer = io.BytesIO()
    workbook.save(buffer)

    table = import_file_read(data=buffer.getvalue(), file_name="gaps.xlsx")

    assert table.rows == [(1, ["ФИО"]), (4, ["Ivanov Ivan", None, 3])]


def _package(*, sheet: str, shared: str | None = None, styles: str | None = None) -> bytes:
    """A minimal XLSX written by hand, for cell shapes openpyxl does not write."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{_MAIN}" xmlns:r="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{_MAIN}"><sheetData>{sheet}</sheetData></worksheet>',
        )
        if shared is not None:
            archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{_MAIN}">{shared}</sst>')
        if styles is not None:
            archive.writestr("xl/styles.xml", f'<styleSheet xmlns="{_MAIN}">{styles}</styleSheet>')
    return buffer.getvalue()


def test_it_reads_rich_text_errors_booleans_and_custom_date_formats():
    shared = (
        "<si><t>plain</t></si>"
        '<si><r><t>Жума</t></r><r><rPr><b/></rPr><t xml:space="preserve">гулов </t></r></si>'
        "<si><t/></si>"
    )
    styles = (
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd.mm.yyyy"/></numFmts>'
        '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14"/></cellXfs>'
    )
    sheet = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c><c r="E1" t="e"><v>#DIV/0!</v></c></row>'
        '<row r="2"><c r="A2" t="b"><v>1</v></c><c r="B2" s="1"><v>44260</v></c>'
        '<c r="C2" s="2"><v>44260.5</v></c><c r="D2" s="1"/><c r="E2"><v>3.25</v></c></row>'
        '<row r="3"><c r="A3" t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r></is></c>'
        '<c r="B3" t="str"><f>A1&amp;"x"</f><v>plainx</v></c><c r="C3" t="inlineStr"><is>'
        "<t>&lt;tag&gt; &amp; &#1046;</t></is></c></row>"
    )

    table = import_file_read(data=_package(sheet=sheet, shared=shared, styles=styles))

    assert table.rows == [
        (1, ["plain", "Жумагулов ", "", None, "#DIV/0!"]),
        (
            2,
            ["1", datetime.date(2021, 3, 5), datetime.datetime(2021, 3, 5, 12, 0), None, 3.25],
        ),
        (3, ["ab", "plainx", "<tag> & Ж"]),
    ]


def test_it_refuses_a_sheet_that_declares_an_entity_and_never_expands_it():
    sheet = '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol;</t></is></c></row>'
    data = _package(sheet=sheet)
    # Put a DOCTYPE with an entity before the root element of the sheet.
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in source.namelist():
            content = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                content = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY lol "lol">]>' + content
            archive.writestr(name, content)

    with pytest.raises(ImportFileError, match="declares XML entities"):
        import_file_read(data=buffer.getvalue(), file_name="entity.xlsx")


def test_it_refuses_a_shared_strings_part_that_declares_an_entity():
    data = _package(
        sheet='<row r="1"><c r="A1" t="s"><v>0</v></c></row>',
        shared="<si><t>x</t></si>",
    )
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in source.namelist():
            content = source.read(name)
            if name == "xl/sharedStrings.xml":
                content = b"<!doctype sst SYSTEM 'http://example.invalid/x.dtd'>" + content
            archive.writestr(name, content)

    with pytest.raises(ImportFileError, match="declares XML entities"):
        import_file_read(data=buffer.getvalue(), file_name="entity.xlsx")


def _formatted_across(columns: int) -> bytes:
    """A two-column sheet whose header and row were coloured across `columns` columns, as a
    user colours whole rows: Excel then writes an empty cell for every coloured one."""
    from openpyxl.styles import PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["ФИО", "Статус"])
    sheet.append(["Иванов Иван", "в СИЗО"])
    fill = PatternFill("solid", fgColor="FFFF00")
    for column in range(1, columns + 1):
        sheet.cell(row=1, column=column).fill = fill
        sheet.cell(row=2, column=column).fill = fill
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("reader", ["fast", "general"])
def test_it_counts_only_cells_that_hold_something_against_the_column_limit(reader):
    data = _formatted_across(300)
    if reader == "general":
        # An attribute the fast path does not expect sends the sheet to the general reader.
        data = _replace_sheet(data, lambda xml: xml.replace(b'<c r="A1"', b'<c  r="A1"'))

    assert _read_rows(data) == [["ФИО", "Статус"], ["Иванов Иван", "в СИЗО"]]


@pytest.mark.parametrize("reader", ["fast", "general"])
def test_it_still_refuses_a_value_past_the_column_limit_naming_its_row(reader):
    workbook = Workbook()
    workbook.active.append(["ФИО", "Статус"])
    workbook.active.append(["Иванов Иван", "в СИЗО", *([None] * 250), "x"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    if reader == "general":
        data = _replace_sheet(data, lambda xml: xml.replace(b'<c r="A1"', b'<c  r="A1"'))

    with pytest.raises(ImportFileError, match="Row 2 has more than 200 columns"):
        import_file_read(data=data, file_name="book.xlsx")


def _replace_sheet(data: bytes, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = change(content)
            target.writestr(info.filename, content)
    return buffer.getvalue()


@pytest.mark.parametrize("reader", ["fast", "general"])
def test_it_reads_the_dates_of_a_workbook_that_counts_from_1904(reader):
    # Excel for Mac before 2011 saved its dates as days since 1904, not 1900.
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    workbook = Workbook()
    workbook.epoch = CALENDAR_MAC_1904
    workbook.active.append(["ФИО", "Дата задержания"])
    workbook.active.append(["Иванов Иван", datetime.date(2021, 3, 12)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    if reader == "general":
        data = _replace_sheet(data, lambda xml: xml.replace(b'<c r="A1"', b'<c  r="A1"'))

    assert _read_rows(data)[1] == ["Иванов Иван", datetime.date(2021, 3, 12)]


@pytest.fixture
def small_pieces(monkeypatch):
    """Rows may run 2,000 bytes, read 512 bytes at a time: the limits of a 32 MB row read
    4 MB at a time, at the size of a test."""
    from casework.importing import xlsx, xml_parts

    monkeypatch.setattr(xlsx, "_PIECE_MAX_BYTES", 2_000)
    monkeypatch.setattr(xml_parts, "_SCAN_CHUNK", 512)


@pytest.mark.parametrize("reader", ["fast", "general"])
def test_it_refuses_a_row_too_long_to_read_before_reading_it_naming_the_row(reader, small_pieces):
    # A 6 MB zip held one 190 MB cell: reading that row whole took 1.2 GB.
    workbook = Workbook(write_only=True)  # inline strings: the text is in the sheet
    sheet = workbook.create_sheet("Лист1")
    sheet.append(["ФИО", "Примечание"])
    sheet.append(["Иванов Иван", "коротко"])
    sheet.append(["Петров Пётр", "я" * 5_000])
    sheet.append(["Сидоров Сидор", "коротко"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    if reader == "general":
        data = _replace_sheet(data, lambda xml: xml.replace(b'<c r="A1"', b'<c  r="A1"'))

    with pytest.raises(ImportFileError, match="Row 3 of the sheet is longer than") as refused:
        import_file_read(data=data, file_name="book.xlsx")
    assert refused.value.row == 3


def test_it_refuses_a_shared_string_too_long_to_read(small_pieces):
    workbook = Workbook()
    workbook.active.append(["ФИО", "Примечание"])
    workbook.active.append(["Иванов Иван", "коротко"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    strings = f'<sst xmlns="{_MAIN}"><si><t>{"я" * 5_000}</t></si></sst>'
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w") as archive:
        for info in zipfile.ZipFile(buffer).infolist():
            archive.writestr(info.filename, zipfile.ZipFile(buffer).read(info.filename))
        archive.writestr("xl/sharedStrings.xml", strings)

    with pytest.raises(ImportFileError, match="A text of the workbook is longer than"):
        import_file_read(data=target.getvalue(), file_name="book.xlsx")


def test_it_reads_rows_that_stay_within_the_size_a_row_may_have(small_pieces):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Лист1")
    sheet.append(["ФИО", "Примечание"])
    for number in range(200):
        sheet.append([f"Иванов Иван {number}", "я" * 100])
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert len(import_file_read(data=buffer.getvalue(), file_name="book.xlsx").rows) == 201


def test_it_reads_the_first_sheet_a_person_sees_not_a_hidden_one():
    workbook = Workbook()
    hidden = workbook.active
    hidden.title = "Старый список"
    hidden.append(["ФИО", "Статус"])
    hidden.append(["Старов Старик", "освобожден"])
    hidden.sheet_state = "hidden"
    shown = workbook.create_sheet("Список")
    shown.append(["ФИО", "Статус"])
    shown.append(["Иванов Иван", "в СИЗО"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert _read_rows(buffer.getvalue()) == [["ФИО", "Статус"], ["Иванов Иван", "в СИЗО"]]


@pytest.mark.parametrize("reader", ["fast", "general"])
def test_it_reads_dates_written_as_iso_text_cells(reader):
    # ECMA-376 lets a cell hold its date as ISO 8601 text (t="d"); the sheet was refused as
    # "damaged or protected (ValueError)".
    workbook = Workbook(iso_dates=True)
    workbook.active.append(["ФИО", "Дата задержания"])
    workbook.active.append(["Иванов Иван", datetime.date(2021, 3, 12)])
    workbook.active.append(["Петров Пётр", datetime.datetime(2021, 3, 12, 10, 30)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    if reader == "general":
        data = _replace_sheet(data, lambda xml: xml.replace(b'<c r="A1"', b'<c  r="A1"'))

    assert _read_rows(data)[1:] == [
        ["Иванов Иван", datetime.date(2021, 3, 12)],
        ["Петров Пётр", datetime.datetime(2021, 3, 12, 10, 30)],
    ]


def test_it_says_a_strict_open_xml_workbook_must_be_saved_as_an_excel_workbook():
    workbook = Workbook()
    workbook.active.append(["ФИО", "Статус"])
    workbook.active.append(["Иванов Иван", "в СИЗО"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(buffer)
    strict = io.BytesIO()
    with zipfile.ZipFile(strict, "w") as archive:
        for name in source.namelist():
            archive.writestr(
                name,
                source.read(name).replace(
                    _MAIN.encode(), b"http://purl.oclc.org/ooxml/spreadsheetml/main"
                ),
            )

    # It said "The workbook has no sheets."
    with pytest.raises(ImportFileError, match="saved as “Strict Open XML Spreadsheet”"):
        import_file_read(data=strict.getvalue(), file_name="book.xlsx")


def test_it_reads_the_cases_from_the_sheet_after_a_sheet_of_instructions():
    # The first sheet's one line was taken for the header: "The file has a header but no
    # data rows."
    workbook = Workbook()
    instructions = workbook.active
    instructions.title = "Инструкция"
    instructions.append(["Заполните лист «Данные»: ФИО полностью, дату задержания, статус."])
    instructions.append(["Даты пишите как 12.03.2021."])
    cases = workbook.create_sheet("Данные")
    cases.append(["ФИО", "Статус"])
    cases.append(["Иванов Иван", "в СИЗО"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert _read_rows(buffer.getvalue()) == [["ФИО", "Статус"], ["Иванов Иван", "в СИЗО"]]


def test_a_workbook_whose_sheets_name_no_people_is_read_from_its_first_sheet():
    workbook = Workbook()
    workbook.active.append(["Регион", "Статус"])
    workbook.active.append(["Алматы", "в СИЗО"])
    workbook.create_sheet("Другое").append(["Заметки", "Разное"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert _read_rows(buffer.getvalue())[0] == ["Регион", "Статус"]


@pytest.mark.parametrize(
    "first",
    [
        [["Задержанный", "Статус"], ["Иванов Иван", "в СИЗО"]],  # a name header not recognised
        [["ФИО"], ["Иванов Иван"], ["Петров Пётр"]],  # a list of names alone
    ],
    ids=["table", "list of names"],
)
def test_it_keeps_a_first_sheet_of_cases_whatever_a_later_sheet_holds(first):
    workbook = Workbook()
    for row in first:
        workbook.active.append(row)
    later = workbook.create_sheet("Справочник")
    later.append(["ФИО", "Статус"])
    later.append(["Сидоров Сидор", "освобожден"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert _read_rows(buffer.getvalue()) == first


def test_it_reads_a_date_serial_a_hair_under_a_whole_day_as_that_day():
    # Programs that compute dates write 44565.99999999999 for 5 January 2022; read to the
    # microsecond it was the 4th at 23:59:59.999999. And 14:30 stays 14:30.
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["ФИО", "Дата задержания"])
    sheet.append(["Иванов Иван", 44565.99999999999])
    sheet.append(["Петров Пётр", 44566 + 14.5 / 24])
    for row in (2, 3):
        sheet.cell(row=row, column=2).number_format = "DD.MM.YYYY"
    buffer = io.BytesIO()
    workbook.save(buffer)

    table = import_file_read(data=buffer.getvalue(), file_name="a.xlsx")

    assert [cells[1] for _number, cells in table.rows[1:]] == [
        datetime.date(2022, 1, 5),
        datetime.datetime(2022, 1, 5, 14, 30),
    ]


@pytest.mark.parametrize("reader", ["fast", "general"])
def test_it_reads_a_formula_as_the_value_the_workbook_shows(reader):
    # Excel fills a column down with one shared formula: its first cell wrote the formula
    # ('=B5&" "&C5' refused as a name, '=DATE(2021,3,12)' "not a date", the status words
    # read out of '=IF(…,"в СИЗО",…)') while the cells under it gave their values.
    styles = (
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd.mm.yyyy"/></numFmts>'
        '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs>'
    )
    first = '<c  r="A1"' if reader == "general" else '<c r="A1"'
    sheet = (
        f'<row r="1">{first} t="inlineStr"><is><t>ФИО</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>Дата задержания</t></is></c></row>'
        '<row r="2"><c r="A2" t="str"><f t="shared" ref="A2:A3" si="0">F2&amp;" "&amp;G2</f>'
        '<v>Иванов Иван</v></c><c r="B2" s="1"><f>DATE(2021,3,12)</f><v>44267</v></c></row>'
        '<row r="3"><c r="A3" t="str"><f t="shared" si="0"/><v>Петров Пётр</v></c>'
        '<c r="B3" t="str"><f>IF(1,"","x")</f><v></v></c></row>'
        # A workbook a program wrote without computing it keeps no value (openpyxl writes an
        # empty one): the formula is what there is to show.
        '<row r="4"><c r="A4"><f>1+1</f></c><c r="B4"><f>2+2</f><v></v></c></row>'
    )

    table = import_file_read(data=_package(sheet=sheet, styles=styles))

    assert table.rows[1:] == [
        (2, ["Иванов Иван", datetime.date(2021, 3, 12)]),
        (3, ["Петров Пётр", None]),
        (4, ["=1+1", "=2+2"]),
    ]


def _workbook_hiding(*rows: int) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["ФИО", "Статус"])
    for name in ("Иванов Иван", "Петров Пётр", "Сидоров Сидор", "Ахметов Ерлан"):
        sheet.append([name, "осуждён"])
    for row in rows:
        sheet.row_dimensions[row].hidden = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("reader", ["fast", "general"])
def test_it_reads_which_rows_the_sheet_hides(reader):
    # Hidden rows were imported and nothing said so.
    data = _workbook_hiding(3, 5)
    if reader == "general":
        data = _replace_sheet(data, lambda xml: xml.replace(b'<c r="A1"', b'<c  r="A1"'))

    table = import_file_read(data=data, file_name="book.xlsx")

    assert table.hidden_rows == [3, 5]
    assert len(table.rows) == 5  # imported like the others
