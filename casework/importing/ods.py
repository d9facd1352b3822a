"""Reading the first sheet of an OpenDocument spreadsheet (ODS) into rows of cells, streaming;
content.xml is opened through casework.importing.xml_parts, which refuses entity
declarations."""

from __future__ import annotations

import datetime
import zipfile
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
from casework.importing.xml_parts import xml_part_iterparse

_ODS_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_ODS_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_ODS_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_ODS_CELLS = (f"{_ODS_TABLE}table-cell", f"{_ODS_TABLE}covered-table-cell")


def ods_read(archive: zipfile.ZipFile) -> Table:
    """The first sheet's rows, streamed: each row is read when it ends and then dropped, so
    memory stays flat however many rows (and elements) content.xml holds."""
    table = Table(file_format="ods")
    limit = rows_limit()
    row_tag, table_tag = f"{_ODS_TABLE}table-row", f"{_ODS_TABLE}table"
    number = 0
    for _event, element in xml_part_iterparse(archive, "content.xml", (row_tag, table_tag)):
        if element.tag == table_tag:
            break  # the first sheet only
        cells = _ods_row_cells(element, table=table, number=number + 1)
        repeat_rows = int(element.get(f"{_ODS_TABLE}number-rows-repeated", "1"))
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]
        if not has_content(cells):
            number += repeat_rows
            continue
        for _repeat in range(min(repeat_rows, limit)):
            number += 1
            table.rows.append((number, list(cells)))
        if len(table.rows) > limit:
            raise too_many_rows()
    return table


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
