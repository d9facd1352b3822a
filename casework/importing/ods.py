"""Reading the sheet of cases of an OpenDocument spreadsheet (ODS) into rows of cells,
streaming; content.xml is opened through casework.importing.xml_parts, which refuses entity
declarations. Which sheet: casework.importing.sheets, as for XLSX; a sheet is hidden when its
table style says table:display="false" (the automatic styles, which content.xml holds before
its sheets)."""

from __future__ import annotations

import datetime
import functools
import zipfile
from collections.abc import Iterator
from typing import Any

from django.conf import settings

from casework.importing.cells import (
    MERGED_KEPT,
    Cell,
    Table,
    has_content,
    rows_limit,
    text_clean,
    too_many_columns,
    too_many_rows,
)
from casework.importing.sheets import Sheet, sheet_of_cases
from casework.importing.xml_parts import xml_part_iterparse

_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_ODS_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_ODS_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_ODS_CELLS = (f"{_ODS_TABLE}table-cell", f"{_ODS_TABLE}covered-table-cell")
_ROW, _TABLE = f"{_ODS_TABLE}table-row", f"{_ODS_TABLE}table"
_STYLE, _TABLE_PROPERTIES = f"{_ODS_STYLE}style", f"{_ODS_STYLE}table-properties"


def ods_read(archive: zipfile.ZipFile) -> Table:
    """The sheet of cases, streamed: each row is read when it ends and then dropped, so
    memory stays flat however many rows (and elements) content.xml holds; content.xml is
    read no further than the sheet chosen."""
    return sheet_of_cases(lambda every: _ods_sheets(archive, every=every)) or Table("ods")


def _ods_sheets(archive: zipfile.ZipFile, *, every: bool) -> Iterator[Sheet]:
    """Each sheet when its end is read; a hidden one's rows are not kept unless `every`."""
    hidden_styles: set[str] = set()
    table = Table(file_format="ods")
    hidden: bool | None = None  # of the sheet being read, known at its first row
    number = 0
    for _event, element in xml_part_iterparse(archive, "content.xml", (_STYLE, _ROW, _TABLE)):
        if element.tag == _STYLE:
            if _ods_style_hides(element):
                hidden_styles.add(element.get(f"{_ODS_STYLE}name", ""))
        elif element.tag == _TABLE:
            if hidden is None:
                hidden = element.get(f"{_ODS_TABLE}style-name") in hidden_styles
            yield Sheet(hidden and not every, functools.partial(_read, table))
            table, hidden, number = Table(file_format="ods"), None, 0
        else:
            if hidden is None:
                hidden = _ods_row_sheet(element).get(f"{_ODS_TABLE}style-name") in hidden_styles
            if every or not hidden:
                number = _ods_row_add(element, table=table, number=number)
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]


def _read(table: Table) -> Table:
    return table  # read already, as the sheet ended


def _ods_style_hides(style: Any) -> bool:  # an lxml element
    """Whether a table style hides its sheet."""
    if style.get(f"{_ODS_STYLE}family") != "table":
        return False
    properties = style.find(_TABLE_PROPERTIES)
    return properties is not None and properties.get(f"{_ODS_TABLE}display") == "false"


def _ods_row_sheet(row: Any) -> Any:  # lxml elements
    """The sheet a row is in (a row may stand in a group or the header rows)."""
    element = row.getparent()
    while element is not None and element.tag != _TABLE:
        element = element.getparent()
    return element if element is not None else row


def _ods_row_add(row: Any, *, table: Table, number: int) -> int:  # an lxml element
    """Add the row (repeated as often as it says) after row `number`; returns the number of
    its last repeat."""
    limit = rows_limit()
    cells = _ods_row_cells(row, table=table, number=number + 1)
    repeat_rows = int(row.get(f"{_ODS_TABLE}number-rows-repeated", "1"))
    if not has_content(cells):
        return number + repeat_rows
    # "collapse" (hidden by hand or in a group) or "filter": imported, and the pages say so.
    hidden = row.get(f"{_ODS_TABLE}visibility", "visible") != "visible"
    for _repeat in range(min(repeat_rows, limit)):
        number += 1
        table.rows.append((number, list(cells)))
        if hidden:
            table.hidden_rows.append(number)
    if len(table.rows) > limit:
        raise too_many_rows()
    return number


def _ods_row_cells(row: Any, *, table: Table, number: int) -> list[Cell]:  # an lxml element
    """The cells of row `number`; a cell merged down the column is kept in
    table.merged_down."""
    max_columns = settings.IMPORT_MAX_COLUMNS
    repeated_columns = f"{_ODS_TABLE}number-columns-repeated"
    rows_spanned = f"{_ODS_TABLE}number-rows-spanned"
    cells: list[Cell] = []
    # Empty cells are counted, not stored, until a value follows them: LibreOffice writes a
    # run of empty cells inside a row as one cell repeated n times (which must keep its n, or
    # every later column shifts left), and the rest of the row as one empty cell repeated up
    # to the last column (which must not cost memory).
    empty_run = 0
    for cell in row:
        if cell.tag not in _ODS_CELLS:
            continue
        repeat = int(cell.get(repeated_columns, "1"))
        value = _ods_cell_value(cell)
        if value is None:
            empty_run += repeat
            continue
        if len(cells) + empty_run + repeat > max_columns:
            raise too_many_columns(number)
        if empty_run:
            cells.extend([None] * empty_run)
            empty_run = 0
        span = int(cell.get(rows_spanned, "1"))
        if span > 1 and len(table.merged_down) < MERGED_KEPT:
            # Merged down the column: the cells below are covered-table-cells.
            table.merged_down.append((len(cells), number, number + span - 1))
        cells.extend([value] * repeat)
    return cells


def _ods_cell_value(cell: Any) -> Cell:  # an lxml element
    kind = cell.get(f"{_ODS_OFFICE}value-type")
    if kind == "date":
        raw = cell.get(f"{_ODS_OFFICE}date-value", "")
        try:
            return datetime.date.fromisoformat(raw[:10])
        except ValueError:
            return text_clean(raw)
    if kind in ("float", "percentage", "currency"):
        raw = cell.get(f"{_ODS_OFFICE}value", "")
        try:
            number = float(raw)
        except ValueError:
            return text_clean(raw)
        return int(number) if number.is_integer() else number
    # The cell's own paragraphs: a comment on the cell (office:annotation) holds paragraphs
    # too, which are no part of its value.
    paragraphs = [_paragraph_text(child) for child in cell if child.tag == _ODS_PARAGRAPH]
    text = "\n".join(paragraphs)
    return text_clean(text) or None


_ODS_PARAGRAPH = f"{_ODS_TEXT}p"
_ODS_SPACES = f"{_ODS_TEXT}s"
_ODS_MARKS = {f"{_ODS_TEXT}tab": "\t", f"{_ODS_TEXT}line-break": "\n"}
_ODS_NOT_TEXT = (f"{_ODS_OFFICE}annotation", f"{_ODS_TEXT}note")


def _paragraph_text(element: Any) -> str:  # an lxml element
    """A paragraph's text as shown: <text:s text:c="2"/> is two spaces, <text:tab/> a tab,
    <text:line-break/> a new line (itertext() would drop them and join the words)."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == _ODS_SPACES:
            parts.append(" " * min(int(child.get(f"{_ODS_TEXT}c", "1") or 1), 1000))
        elif child.tag in _ODS_MARKS:
            parts.append(_ODS_MARKS[child.tag])
        elif child.tag not in _ODS_NOT_TEXT:
            parts.append(_paragraph_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
