"""Which sheet of a workbook holds the cases, one rule for XLSX and ODS: the first sheet a
person sees when the workbook opens (a hidden sheet, a list of values the visible one picks
from or an old copy, is not one, unless every sheet is hidden); if it is no table (a sheet
of instructions, a cover page: sentences in one column) and one of the next shown sheets
is, that one."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from casework.importing.cells import ImportFileError, Table, has_content
from casework.importing.headers import HEADER_ROWS_SEARCHED, header_read

# A workbook may open on a sheet of instructions: the cases are looked for on so many sheets.
SHEETS_TRIED = 5

# A header is a few words; an instruction that names a column is a sentence.
_HEADER_WORDS = 4


@dataclass(frozen=True)
class Sheet:
    hidden: bool
    read: Callable[[], Table]
    name: str = ""


def sheet_of_cases(sheets: Callable[[bool], Iterable[Sheet]]) -> Table | None:
    """The sheet of cases; None for a workbook without sheets. `sheets(every)`: the
    workbook's sheets in their order, lazily (a streamed reader reads no further than
    asked); every=True asks for the hidden ones to be read too, when every sheet is."""
    found = _sheet_of_cases(sheet for sheet in sheets(False) if not sheet.hidden)
    if found is None:
        found = _sheet_of_cases(iter(sheets(True)))
    return found


def _sheet_of_cases(sheets: Iterator[Sheet]) -> Table | None:
    first: Table | None = None
    for _tried in range(SHEETS_TRIED):
        try:
            sheet = next(sheets, None)
            if sheet is None:
                break
            table = sheet.read()
        except ImportFileError:
            if first is None:
                raise  # the sheet a person sees: its problem is the file's
            continue  # not the sheet of cases either
        table.sheet_name = sheet.name
        if table_is_sheet_of_cases(table):
            return table
        first = first or table
    return first


def table_is_sheet_of_cases(table: Table) -> bool:
    """Whether a row among the first holds two cells or more (a header, a row of cases), or
    a header of names alone ("ФИО" over a list of names), not a sentence that names them."""
    rows = (cells for _number, cells in table.rows if has_content(cells))
    for cells in itertools.islice(rows, HEADER_ROWS_SEARCHED):
        filled = [cell for cell in cells if has_content([cell])]
        if len(filled) > 1:
            return True
        header = filled[0]
        if (
            isinstance(header, str)
            and len(header.split()) <= _HEADER_WORDS
            and header_read(header, phrases={}).field in ("full_name", "latin_name")
        ):
            return True
    return False
