"""What every reader of a partner's file hands on and every reader of a row starts from: rows
of cells, the refusal of a whole file, the limits every format keeps alike (rows, columns),
a cell as trimmed text and the refusal of one cell."""

from __future__ import annotations

import datetime
import re
from bisect import bisect_right
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from common.text import STRIPPED, grouped, quoted

Cell = str | int | float | datetime.date | datetime.datetime | None


class ImportFileError(Exception):
    """The whole file is refused; the message says why in words a partner understands, and
    `row` is the row it names, if it names one (the run's list of errors shows it)."""

    def __init__(self, message: str, *, row: int | None = None):
        super().__init__(message)
        self.row = row


@dataclass
class Table:
    file_format: str
    # Each row is (row number as a spreadsheet user counts it, cells).
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)
    # Cells merged down a column, as (column index, first row number, last row number).
    merged_down: list[tuple[int, int, int]] = field(default_factory=list)
    # The totals rows left out of `rows` (totals_row_text): (row number, the totals cell).
    totals: list[tuple[int, str]] = field(default_factory=list)
    # A workbook's sheet read, and how many sheets it shows (0: not counted).
    sheet_name: str = ""
    sheets_shown: int = 0
    # The numbers of the rows the sheet hides (an XLSX's): imported, and the pages say so.
    hidden_rows: list[int] = field(default_factory=list)


# A sheet declares at most this many blocks of merged cells that the readers keep.
MERGED_KEPT = 100_000


def table_merged_fill(*, table: Table, header_number: int) -> None:
    """Every row of a block of cells merged down a column holds what its first cell holds:
    that is what a person reads in each row ("Алматы" once beside five names, "осужден"
    once beside two). Only blocks below the header: a header merged down over a second
    header row stays one header."""
    if not table.merged_down:
        return
    numbers = [number for number, _cells in table.rows]
    position_of = {number: position for position, number in enumerate(numbers)}
    ended: dict[int, int] = {}  # column -> last row of the block filled last
    for column, first, last in sorted(table.merged_down):
        if first <= header_number or first <= ended.get(column, 0) or first not in position_of:
            continue  # above the header, overlapping a block (no program writes that), or blank
        ended[column] = last
        cells = table.rows[position_of[first]][1]
        value = cells[column] if column < len(cells) else None
        if value is None:
            continue
        for position in range(bisect_right(numbers, first), bisect_right(numbers, last)):
            row_cells = table.rows[position][1]
            if column >= len(row_cells):
                row_cells.extend([None] * (column + 1 - len(row_cells)))
            if not has_content([row_cells[column]]):
                row_cells[column] = value


# Characters XML 1.0 cannot hold (openpyxl refuses to write them): C0 controls except tab,
# line feed and carriage return, and the two non-characters.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def text_clean(text: str) -> str:
    """The text without the control characters no spreadsheet cell may hold."""
    return _CONTROL.sub("", text)


def has_content(cells: list[Cell]) -> bool:
    return any(cell is not None and (not isinstance(cell, str) or cell.strip()) for cell in cells)


# The words a totals row of a partner's list begins with ("Итого: 4", "Всего", "Барлығы").
_TOTALS = re.compile(r"^\s*(итого|всего|total|subtotal|барлығы|жиыны|жиынтығы)\b", re.I)
_NUMBER = re.compile(r"^\s*[\d\s.,%:]*\s*$")


def totals_row_text(cells: list[Cell]) -> str | None:
    """The cell that makes this row a totals row ("Итого: 4"), or None: one cell begins with
    a totals word and every other filled cell is a number. No person's row is so."""
    filled = [cell for cell in cells if has_content([cell])]
    words = [cell for cell in filled if isinstance(cell, str) and _TOTALS.match(cell)]
    rest = [cell for cell in filled if cell not in words]
    numbers = all(
        isinstance(cell, int | float) or (isinstance(cell, str) and _NUMBER.match(cell))
        for cell in rest
    )
    return " ".join(str(words[0]).split())[:60] if len(words) == 1 and numbers else None


def header_widened(header: list[Cell], rows: list[tuple[int, list[Cell]]]) -> list[Cell]:
    """The header row as wide as the rows below it reach: a value in a column without a
    header is a column too, which the columns page lists as ignored (or lets the user map)
    and the sheet of rows to fix keeps."""
    width = len(header)
    for _number, cells in rows:
        for index in range(len(cells) - 1, width - 1, -1):  # from the right, past the width
            if has_content([cells[index]]):
                width = index + 1
                break
    return header + [None] * (width - len(header))


def rows_limit() -> int:
    """How many rows a reader takes before it stops: the limit, and a few blank or title
    rows above the header."""
    return settings.IMPORT_MAX_ROWS + 10


def too_many_rows() -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(limit)s rows; split it into smaller files.")
        % {"limit": grouped(settings.IMPORT_MAX_ROWS)}
    )


def too_many_columns(number: int) -> ImportFileError:
    return ImportFileError(
        _("Row %(row)s has more than %(limit)s columns; is this the right sheet?")
        % {"row": number, "limit": settings.IMPORT_MAX_COLUMNS},
        row=number,
    )


# --- A cell's text ---------------------------------------------------------------------------


class CellError(ValueError):
    """One cell is refused; the message quotes what was written."""


_SPACES = re.compile(r"\s+")
_INVISIBLE = re.compile(f"[{''.join(sorted(STRIPPED))}]")
_WORD_NOISE = re.compile(r"[^\w]+", re.UNICODE)


def cell_text(value: Cell) -> str:
    """A cell as trimmed text; formulas stay the text that was typed, never evaluated."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time(0) else value
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if _INVISIBLE.search(text):
        # Invisible characters pasted from web pages and word processors ("\u200b2020") are
        # no part of what the partner wrote: a date or a number must read without them.
        text = _INVISIBLE.sub("", text)
    # (A no-break space is white space to the pattern, made a plain space with the others.)
    return _SPACES.sub(" ", text).strip()


def cell_quote(value: Cell) -> str:
    """A cell's text in a message, cut at 60 characters, in the reader's quotation marks
    («…» in Russian and Kazakh)."""
    text = cell_text(value)
    shown = f"{text[:60]}{'…' if len(text) > 60 else ''}"
    return quoted(shown)


def word_normalise(text: str) -> str:
    """Lower case, "ё" as "е", and anything but letters and digits as single spaces."""
    return _WORD_NOISE.sub(" ", text.lower().replace("ё", "е").replace("_", " ")).strip()
