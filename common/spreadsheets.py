"""Writing spreadsheets: CSV streams and XLSX workbooks, and the cell cleaning every file
the app writes must apply (case exports, import error sheets, impact tables, the admin's
exports through casework.resources).

A spreadsheet runs a cell that starts with "=", "+", "-" or "@" as a formula (CSV
injection). Names and passages come from partner files and pasted PDFs, so every text cell
is cleaned here, in the writers themselves: no caller can forget it.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from common.text import text_spoofing_removed

# A spreadsheet runs a cell that starts with one of these as a formula; a leading
# apostrophe makes Excel and LibreOffice show it as text instead.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# The control characters openpyxl refuses in a cell: openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE,
# copied (tests/common/test_spreadsheets.py keeps it equal) so that importing this module
# does not load openpyxl, 0.15 s, in every process whose URLconf reaches a writer's caller.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

# Excel opens a UTF-8 CSV as UTF-8 (Cyrillic names intact) only when it starts with one.
BYTE_ORDER_MARK = "\ufeff"


def cell_escape_formula(value: Any) -> Any:
    r"""The value made safe for a spreadsheet cell: control characters removed, and a quote
    in front if a spreadsheet would read it as a formula.

    Control characters (vertical tab, form feed, \x01 ...) pasted from PDFs cannot be held
    by XLSX (openpyxl refuses the whole file) and CSV readers mangle them. They go first,
    so that "\x01=cmd" cannot become a formula once they are gone. Idempotent: a cleaned
    value comes back as is, so cleaning twice is harmless.
    """
    if not isinstance(value, str):
        return value
    # Direction controls and invisible characters stored before they were refused
    # (common.text) never reach a spreadsheet, where a name could display as another.
    value = ILLEGAL_CHARACTERS_RE.sub("", text_spoofing_removed(value))
    if value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def rows_escape_formulas(rows: Iterable[Sequence[Any]]) -> Iterator[list[Any]]:
    for row in rows:
        yield [cell_escape_formula(value) for value in row]


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return cell_escape_formula(value)


def csv_stream(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The rows as CSV lines, one at a time (for a streaming response), after a byte-order
    mark; dates in ISO form, every cell cleaned."""
    writer = csv.writer(_Echo())
    yield BYTE_ORDER_MARK
    for row in rows:
        yield writer.writerow([_csv_value(value) for value in row])


def csv_bytes(rows: Iterable[Sequence[Any]]) -> bytes:
    """The whole CSV file at once, UTF-8 (csv_stream's lines joined)."""
    return "".join(csv_stream(rows)).encode("utf-8")


def xlsx_bytes(rows: Iterable[Sequence[Any]], *, sheet_title: str = "Cases") -> bytes:
    """A one-sheet workbook; see xlsx_sheets_bytes."""
    return xlsx_sheets_bytes([(sheet_title, rows)])


def xlsx_sheets_bytes(sheets: Iterable[tuple[str, Iterable[Sequence[Any]]]]) -> bytes:
    """A write-only workbook, so memory stays flat however many rows there are; every text
    cell cleaned."""
    from openpyxl import Workbook  # here, not at the top: see ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title=title)
        for row in rows:
            sheet.append(["" if value is None else cell_escape_formula(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
