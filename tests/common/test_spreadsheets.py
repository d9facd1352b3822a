import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from common.spreadsheets import (
    cell_escape_formula,
    csv_bytes,
    csv_stream,
    rows_escape_formulas,
    xlsx_sheets_bytes,
)


@pytest.mark.parametrize(
    "value", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]
)
def test_it_escapes_a_cell_a_spreadsheet_would_run_as_a_formula(value):
    assert cell_escape_formula(value) == "'" + value


@pytest.mark.parametrize("value", ["Almat Zhumagulov", "Алмат", "", 42, None, "a=b"])
def test_it_leaves_other_cells_alone(value):
    assert cell_escape_formula(value) == value


def test_it_escapes_every_cell_of_every_row():
    assert list(rows_escape_formulas([["=1", "ok"], ["-x", 3]])) == [["'=1", "ok"], ["'-x", 3]]


@pytest.mark.parametrize("character", ["\x0b", "\x01", "\x0c", "\x1f"])
def test_it_removes_control_characters_a_spreadsheet_cannot_hold(character):
    assert cell_escape_formula(f"Almat{character} Zhumagulov") == "Almat Zhumagulov"


def test_it_escapes_a_formula_hidden_behind_a_control_character():
    assert cell_escape_formula("\x01=HYPERLINK(1)") == "'=HYPERLINK(1)"


def test_every_writer_cleans_every_cell():
    rows = [["=1+1", datetime.date(2024, 2, 29), None, 7, "bell\x07"]]
    assert list(csv.reader(io.StringIO(csv_bytes(rows).decode("utf-8-sig")))) == [
        ["'=1+1", "2024-02-29", "", "7", "bell"]
    ]
    sheet = load_workbook(io.BytesIO(xlsx_sheets_bytes([("Sheet", rows)]))).active
    assert sheet["A1"].value == "'=1+1"


def test_a_csv_stream_starts_with_a_byte_order_mark_for_excel():
    assert next(csv_stream([["Алмат"]])) == "\ufeff"


def test_it_keeps_direction_controls_stored_before_they_were_refused_out_of_a_cell():
    from common.spreadsheets import cell_escape_formula

    assert cell_escape_formula("Almat\u202e Zhumagulov\u200b") == "Almat Zhumagulov"


def test_it_removes_the_control_characters_openpyxl_refuses():
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE as OPENPYXL_ILLEGAL_CHARACTERS_RE

    from common.spreadsheets import ILLEGAL_CHARACTERS_RE

    assert ILLEGAL_CHARACTERS_RE.pattern == OPENPYXL_ILLEGAL_CHARACTERS_RE.pattern
