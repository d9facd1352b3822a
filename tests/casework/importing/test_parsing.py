"""Reading partner files: OpenDocument sheets as LibreOffice writes them, XML declarations
anywhere in a part, control characters, and the two XLSX readers agreeing."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook

from casework.importing.parsing import ImportFileError, import_file_read
from casework.importing.runs import import_file_run
from casework.models import Case, Person, Status
from casework.names import name_written


def _libreoffice_ods(rows: list[list]) -> bytes:
    """An ODS shaped as LibreOffice Calc saves one: column styles first, a run of empty
    cells as one cell repeated, each row padded with one huge empty repeat, and the unused
    rows below as one row repeated a million times. None in `rows` is an empty cell."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    table = Table(name="Лист1")
    table.addElement(TableColumn(numbercolumnsrepeated=1024))
    for values in rows:
        row = TableRow()
        empty = 0
        for value in values:
            if value is None:
                empty += 1
                continue
            if empty:
                row.addElement(TableCell(numbercolumnsrepeated=empty))
                empty = 0
            if isinstance(value, int):
                cell = TableCell(valuetype="float", value=value)
            elif isinstance(value, datetime.date):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text=str(value)))
            row.addElement(cell)
        row.addElement(TableCell(numbercolumnsrepeated=1024 - len(values)))
        table.addElement(row)
    tail = TableRow(numberrowsrepeated=1_048_000)
    tail.addElement(TableCell(numbercolumnsrepeated=1024))
    table.addElement(tail)
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_it_keeps_runs_of_empty_ods_cells_so_columns_do_not_shift():
    data = _libreoffice_ods(
        [
            ["ФИО", None, None, "Статус", "Год рождения"],
            ["Иванов Иван", None, None, "в СИЗО", 1980],
            [None, None, None, None, None],
            ["Петров Пётр", "заметка", None, None, datetime.date(1975, 5, 1)],
        ]
    )

    table = import_file_read(data=data, file_name="partner.ods")

    assert table.file_format == "ods"
    assert table.rows == [
        (1, ["ФИО", None, None, "Статус", "Год рождения"]),
        (2, ["Иванов Иван", None, None, "в СИЗО", 1980]),
        (4, ["Петров Пётр", "заметка", None, None, datetime.date(1975, 5, 1)]),
    ]


def test_an_ods_with_empty_columns_imports_each_value_into_its_field(
    partner_user, partner_organisation
):
    data = _libreoffice_ods(
        [["ФИО", None, None, "Статус", "Год рождения"], ["Иванов Иван", None, None, "в СИЗО", 1980]]
    )

    _run, summary = import_file_run(
        data=data, file_name="partner.ods", organisation=partner_organisation, user=partner_user
    )

    assert (summary["new"], summary["errors"]) == (1, [])
    person = Person.objects.get(native_name="Иванов Иван")
    assert person.birth_year == 1980
    assert Case.objects.get(person=person).status == Status.PRETRIAL_DETENTION


def _workbook(rows: list[list], *, write_only: bool = False) -> bytes:
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("Лист1") if write_only else workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _replace_part(data: bytes, name: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.namelist():
            content = source.read(item)
            archive.writestr(item, change(content) if item == name else content)
    return buffer.getvalue()


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/styles.xml"])
def test_it_refuses_a_dtd_declared_far_past_the_start_of_a_part(part):
    data = _workbook([["ФИО"], ["Иванов Иван"]])
    # A DOCTYPE may follow any amount of comments and processing instructions in the prolog.
    padding = b"<!--" + b" " * 8192 + b"-->"

    def hostile(content: bytes) -> bytes:
        declaration, _, rest = content.partition(b"?>")
        return declaration + b"?>" + padding + b'<!DOCTYPE x [<!ENTITY e "boom">]>' + rest

    with pytest.raises(ImportFileError, match="declares XML entities"):
        import_file_read(data=_replace_part(data, part, hostile), file_name="late-dtd.xlsx")


@pytest.mark.parametrize("write_only", [False, True], ids=["shared strings", "inline strings"])
def test_it_removes_control_characters_from_xlsx_cells(write_only):
    data = _workbook([["ФИО", "Примечание"], ["Иванов Иван", "a[0mb"]], write_only=write_only)
    # openpyxl refuses to write control characters; Excel writes them as character references.
    data = _replace_part(
        data,
        "xl/sharedStrings.xml" if not write_only else "xl/worksheets/sheet1.xml",
        lambda content: content.replace(b"a[0mb", b"a&#27;[0m&#x1F;b"),
    )

    table = import_file_read(data=data, file_name="control.xlsx")

    assert table.rows[1][1] == ["Иванов Иван", "a[0mb"]


def test_it_removes_control_characters_from_csv_cells():
    table = import_file_read(data="ФИО;Примечание\r\nИванов Иван;a\x07b\x1fc\r\n".encode())

    assert table.rows[1][1] == ["Иванов Иван", "abc"]


def test_the_general_xlsx_reader_reads_what_the_fast_one_does():
    rows = [
        ["ФИО", "Год", "Дата", "Число", "Формула", "Текст"],
        ["Жумагулов Алмат", 1980, datetime.date(2021, 3, 4), 2.5, "=1+1", "<tag> & “x”"],
        ["Ivanov Ivan", None, datetime.datetime(2020, 1, 2, 13, 30), -7, None, "  пробелы "],
    ]
    data = _workbook(rows)
    fast = import_file_read(data=data, file_name="book.xlsx").rows
    # An attribute the fast path does not expect sends the sheet to the general reader.
    slow_data = _replace_part(
        data,
        "xl/worksheets/sheet1.xml",
        lambda content: content.replace(b'<c r="A1"', b'<c  r="A1"'),
    )

    assert import_file_read(data=slow_data, file_name="book.xlsx").rows == fast
    assert fast[1][1][:4] == ["Жумагулов Алмат", 1980, datetime.date(2021, 3, 4), 2.5]


def test_it_refuses_a_csv_whose_quoted_cell_is_never_closed_naming_its_row(
    partner_user, partner_organisation
):
    # A stray quotation mark before a name: a lenient reader takes every later line as
    # that one name, and the file "imports" one person called all of them.
    data = (
        'ФИО;Статус\r\n"Иванов Иван;в СИЗО\r\nПетров Пётр;осужден\r\nСидоров Сидор;в СИЗО\r\n'
    ).encode()

    run, summary = import_file_run(
        data=data, file_name="a.csv", organisation=partner_organisation, user=partner_user
    )

    assert run.state == "failed"
    assert summary["errors"][0]["message"].startswith("Row 2: a cell begins with a quotation mark")
    assert Person.objects.count() == 0


def test_it_still_reads_quoted_cells_that_hold_line_breaks_and_quotes():
    data = 'ФИО;Примечание\r\n"Иванов Иван";"строка 1\r\nстрока ""2"""\r\n'.encode()

    assert import_file_read(data=data).rows[1][1] == ["Иванов Иван", 'строка 1\r\nстрока "2"']


@pytest.mark.parametrize(
    ("data", "line"),
    [
        # A UTF-8 byte-order mark before text in cp1251 (a tool added the mark).
        (b"\xef\xbb\xbf" + "ФИО;Статус\r\nИванов Иван;в СИЗО\r\n".encode("cp1251"), 1),
        # UTF-16 cut one byte short of its last character.
        (b"\xff\xfe" + "ФИО\tСтатус\r\nИванов Иван\tв СИЗО\r\n".encode("utf-16-le") + b"\x00", 3),
        ("ФИО\tСтатус\r\nИванов Иван\tв СИЗО\r\n".encode("utf-16-le") + b"\x00", 3),
    ],
    ids=["utf-8 mark on cp1251", "utf-16 cut short", "utf-16 without mark cut short"],
)
def test_it_refuses_a_text_file_that_breaks_its_own_encoding_naming_the_line(
    data, line, partner_user, partner_organisation
):
    run, summary = import_file_run(
        data=data, file_name="a.csv", organisation=partner_organisation, user=partner_user
    )

    assert run.state == "failed"
    assert summary["errors"][0]["message"].startswith(f"Line {line} of the file is not UTF-")
    assert "unexpected error" not in summary["errors"][0]["message"]


_RUSSIAN_ROWS = "ФИО;Статус\r\nЖумагулов Алмат Серикович;в СИЗО\r\nПетрова Мария;осуждена\r\n"
_KAZAKH_ROWS = (
    "Аты-жөні;Мәртебесі\r\nӘбішев Ғалым Қайратұлы;в СИЗО\r\nҚұрманғалиева Өсер;осуждена\r\n"
)
_ONE_BYTE = ("cp1251", "cp866", "koi8-r", "kz1048", "mac_cyrillic")
_CAPITALS_ROWS = "NAME;STATUS\r\nЖУМАГУЛОВ АЛМАТ СЕРИКОВИЧ;В СИЗО\r\nПЕТРОВА МАРИЯ;ОСУЖДЕНА\r\n"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (_RUSSIAN_ROWS, "cp1251"),
        (_RUSSIAN_ROWS, "cp866"),
        (_RUSSIAN_ROWS, "koi8-r"),
        (_KAZAKH_ROWS, "kz1048"),
        (_CAPITALS_ROWS, "cp1251"),
        (_CAPITALS_ROWS, "koi8-r"),
        (_CAPITALS_ROWS, "cp866"),
        (_RUSSIAN_ROWS, "mac_cyrillic"),
        (_CAPITALS_ROWS, "mac_cyrillic"),
    ],
    ids=lambda value: value if value in _ONE_BYTE else "",
)
def test_it_reads_each_one_byte_cyrillic_encoding_as_written(
    text, encoding, partner_user, partner_organisation
):
    _run, summary = import_file_run(
        data=text.encode(encoding),
        file_name="a.csv",
        organisation=partner_organisation,
        user=partner_user,
    )

    assert summary["errors"] == []
    # Decoded as written; a name in capitals is then stored as a caseworker writes it.
    written = [name_written(line.split(";")[0]) for line in text.splitlines()[1:]]
    assert sorted(Person.objects.values_list("native_name", flat=True)) == sorted(written)


def _merged_xlsx() -> bytes:
    """A header merged down over a second header row; a region merged down beside three
    names, a status beside the last two."""
    workbook = Workbook()
    sheet = workbook.active
    for row in [
        ["ФИО", "Регион", "Статус"],
        [None, None, None],
        ["Иванов Иван", "Алматы", "в СИЗО"],
        ["Петров Пётр", None, "осужден"],
        ["Сидоров Сидор", None, None],
    ]:
        sheet.append(row)
    sheet.merge_cells("A1:A2")
    sheet.merge_cells("B3:B5")
    sheet.merge_cells("C4:C5")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _merged_ods() -> bytes:
    """The same sheet as LibreOffice writes it: the cells a merged block covers are
    covered-table-cells."""
    from odf.table import CoveredTableCell, TableCell
    from odf.text import P

    def cell(text, rows=1):
        element = TableCell(valuetype="string", numberrowsspanned=rows)
        element.addElement(P(text=text))
        return element

    return _ods_of_cells(
        [
            [cell("ФИО", 2), cell("Регион"), cell("Статус")],
            [CoveredTableCell(), TableCell(), TableCell()],
            [cell("Иванов Иван"), cell("Алматы", 3), cell("в СИЗО")],
            [cell("Петров Пётр"), CoveredTableCell(), cell("осужден", 2)],
            [cell("Сидоров Сидор"), CoveredTableCell(), CoveredTableCell()],
        ]
    )


def _ods_of_cells(layout: list[list]) -> bytes:
    """A one-sheet ODS whose rows hold the table-cell elements given."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableRow

    document = OpenDocumentSpreadsheet()
    table = Table(name="Лист1")
    for cells in layout:
        row = TableRow()
        for element in cells:
            row.addElement(element)
        table.addElement(row)
    document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("build", "name"),
    [(_merged_xlsx, "a.xlsx"), (_merged_ods, "a.ods")],
    ids=["xlsx", "ods"],
)
def test_it_reads_a_cell_merged_down_the_column_in_every_row_it_covers(
    build, name, partner_user, partner_organisation
):
    run, summary = import_file_run(
        data=build(), file_name=name, organisation=partner_organisation, user=partner_user
    )

    assert summary["errors"] == [] and run.header_row == 1
    read = {
        case.person.native_name: (case.person.region, case.status)
        for case in Case.objects.select_related("person")
    }
    assert read == {
        "Иванов Иван": ("Алматы", Status.PRETRIAL_DETENTION),
        "Петров Пётр": ("Алматы", Status.IMPRISONED),
        "Сидоров Сидор": ("Алматы", Status.IMPRISONED),
    }


def test_the_general_xlsx_reader_reads_merged_cells_as_the_fast_one_does():
    data = _merged_xlsx()
    slow_data = _replace_part(
        data,
        "xl/worksheets/sheet1.xml",
        lambda content: content.replace(b'<c r="A1"', b'<c  r="A1"'),
    )

    fast = import_file_read(data=data, file_name="book.xlsx")
    slow = import_file_read(data=slow_data, file_name="book.xlsx")
    assert sorted(fast.merged_down) == sorted(slow.merged_down) == [(0, 1, 2), (1, 3, 5), (2, 4, 5)]


def _ods_with_comment_and_spacing() -> bytes:
    """Cells as LibreOffice writes them: a comment inside a name's cell, a run of spaces as
    <text:s/>, a tab and a line break as elements of the paragraph."""
    from odf.office import Annotation
    from odf.table import TableCell
    from odf.text import LineBreak, P, S, Tab

    def cell(*pieces, comment=""):
        element = TableCell(valuetype="string")
        if comment:
            annotation = Annotation()
            annotation.addElement(P(text=comment))
            element.addElement(annotation)
        paragraph = P()
        for piece in pieces:
            if isinstance(piece, str):
                paragraph.addText(piece)
            else:
                paragraph.addElement(piece)
        element.addElement(paragraph)
        return element

    return _ods_of_cells(
        [
            [cell("ФИО"), cell("Статус")],
            [cell("Иванов Иван", comment="проверить у адвоката"), cell("в", S(c=1), "СИЗО")],
            [cell("Петров", LineBreak(), "Пётр"), cell("осужден,", Tab(), "5 лет")],
        ]
    )


def test_it_reads_an_ods_cell_as_shown_without_its_comment(partner_user, partner_organisation):
    data = _ods_with_comment_and_spacing()

    assert import_file_read(data=data).rows[1:] == [
        (2, ["Иванов Иван", "в СИЗО"]),
        (3, ["Петров\nПётр", "осужден,\t5 лет"]),
    ]
    _run, summary = import_file_run(
        data=data, file_name="a.ods", organisation=partner_organisation, user=partner_user
    )
    assert summary["errors"] == []
    assert sorted(Person.objects.values_list("native_name", flat=True)) == [
        "Иванов Иван",
        "Петров Пётр",
    ]


def test_it_reads_an_ods_sheet_row_by_row(settings):
    # Each row is read as it ends, and dropped: a 3.5 MB ODS of 190,000 rows took 1.3 GB
    # while the whole sheet was built in memory first. Read so, the rows past the limit
    # are refused before the parser reaches the end of the sheet (here, a damaged one).
    settings.IMPORT_MAX_ROWS = 3
    namespaces = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    row = (
        '<table:table-row><table:table-cell office:value-type="string">'
        "<text:p>Иванов Иван</text:p></table:table-cell></table:table-row>"
    )
    content = (
        f"<office:document-content {namespaces}><office:body><office:spreadsheet>"
        f'<table:table table:name="Лист1">{row * 50}<damaged'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content)

    with pytest.raises(ImportFileError, match="more than 3 rows"):
        import_file_read(data=buffer.getvalue())


def test_it_refuses_an_ods_row_past_the_column_limit_naming_the_row():
    data = _libreoffice_ods([["ФИО", "Статус"], ["Иванов Иван", *(["x"] * 250)]])

    with pytest.raises(ImportFileError, match="Row 2 has more than 200 columns"):
        import_file_read(data=data)


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        (
            "ФИО;Примечание\r\nИванов Иван;ст. 174, ч.1, 7 лет, ИК-158, Павлодар\r\n"
            "Петров Пётр;задержан, обыск, изъяли телефон\r\n",
            [
                ["Иванов Иван", "ст. 174, ч.1, 7 лет, ИК-158, Павлодар"],
                ["Петров Пётр", "задержан, обыск, изъяли телефон"],
            ],
        ),
        (
            'ФИО,Примечание\r\nИванов Иван,"ст. 174; ч.1; 7 лет; ИК-158"\r\nПетров Пётр,"a; b; c"\r\n',
            [["Иванов Иван", "ст. 174; ч.1; 7 лет; ИК-158"], ["Петров Пётр", "a; b; c"]],
        ),
        (
            "ФИО\tПримечание\r\nИванов, Иван\tст. 174, ч.1, 7 лет, ИК-158\r\n",
            [["Иванов, Иван", "ст. 174, ч.1, 7 лет, ИК-158"]],
        ),
    ],
    ids=["semicolons, notes with commas", "commas, notes with semicolons", "tabs"],
)
def test_it_finds_the_separator_that_cuts_every_row_as_the_header(text, rows):
    # Counting separators took the first file for a comma file: its people were written as
    # "Ivanov Ivan;st. 174" and "Petr;zaderzhan Petrov".
    table = import_file_read(data=text.encode())

    assert [cells for _number, cells in table.rows[1:]] == rows


def test_it_refuses_a_windows_csv_whose_kazakh_letters_were_saved_as_question_marks(
    partner_user, partner_organisation
):
    # Excel saves "CSV (разделители - точка с запятой)" in Windows-1251, which has no ә, ғ,
    # қ, ұ: it writes "?" instead, and "Қайратұлы" would be imported as "?айрат?лы".
    text = (
        "ФИО;Статус;Примечание\r\nИванов Иван;в СИЗО;Где он?\r\nӘбішев Ғалым Қайратұлы;в СИЗО;\r\n"
    )

    run, summary = import_file_run(
        data=text.encode("cp1251", errors="replace"),
        file_name="a.csv",
        organisation=partner_organisation,
        user=partner_user,
    )

    assert run.state == "failed"
    assert summary["errors"][0]["message"].startswith("Line 3 of the file writes “?бішев”")
    assert summary["errors"][0]["row"] == 3  # the list's Row column says the same row
    assert not Person.objects.exists()


def test_a_question_mark_that_ends_a_sentence_is_no_lost_letter():
    text = "ФИО;Примечание\r\nИванов Иван;Где он? Когда суд?\r\n"

    assert import_file_read(data=text.encode("cp1251")).rows[1][1][1] == "Где он? Когда суд?"


def test_it_leaves_out_a_totals_row_and_the_pages_name_it(client_as_partner, partner_user):
    # "Итого: 4" under the last name, as a partner's Excel list ends: no person, no unknown
    # status word to choose, no error; the preview names the row left out.
    from django.core.files.uploadedfile import SimpleUploadedFile

    from casework.models import ImportRun

    text = "ФИО;Статус;Срок\nИванов Иван;в СИЗО;\nӘбілқасымова Гүлнар;осуждена;7\n;Итого: 2;7\n"
    client_as_partner.post("/imports/new/", {"file": SimpleUploadedFile("list.csv", text.encode())})
    run = ImportRun.objects.get()
    page = client_as_partner.get(f"/imports/{run.pk}/preview/").text
    run.refresh_from_db()

    assert (run.rows_total, run.count_errors, run.count_new) == (2, 0, 2)
    assert "Row 4 (“Итого: 2”) reads as a totals row, not a person: not imported." in page
    assert "Итого: 2»" not in page  # not asked as a status word


def test_a_person_whose_row_holds_a_totals_word_stays_a_row():
    data = "ФИО;Примечание\nИванов Иван;Всего 7 лет\nTotalbek Aliev;\n".encode()
    table = import_file_read(data=data, file_name="list.csv")
    assert [number for number, _cells in table.rows] == [1, 2, 3]


def test_it_quotes_the_rows_left_out_in_the_readers_quotation_marks(
    partner_user, partner_organisation
):
    from django.utils import translation

    from casework.importing.runs import import_run_create, import_run_warnings

    text = "ФИО;Место содержания;Регион\n;СИЗО;Алматинская область\nИванов Иван;СИЗО-1;Алматы\nИтого;1;\n"
    run = import_run_create(
        data=text.encode(), file_name="a.csv", organisation=partner_organisation, user=partner_user
    )
    with translation.override("ru"):
        warnings = " ".join(import_run_warnings(run=run))
    assert "«СИЗО», «Алматинская область»" in warnings and "«Итого»" in warnings
    assert "“" not in warnings


def test_it_names_a_file_that_is_no_spreadsheet_wholly_in_the_readers_language(monkeypatch):
    # The kind of file stayed English inside the translated sentence: "Файл — a PDF
    # document, а не таблица."
    from django.utils import translation

    from tests.support.catalogues import translations_given

    translations_given(
        monkeypatch,
        "ru",
        {"The file is a PDF document, not a spreadsheet.": "Файл — документ PDF, а не таблица."},
    )

    with translation.override("ru"), pytest.raises(ImportFileError) as refusal:
        import_file_read(data=b"%PDF-1.7\n1 0 obj<<>>endobj\n", file_name="cases.xlsx")

    assert str(refusal.value) == "Файл — документ PDF, а не таблица."
