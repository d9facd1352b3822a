"""The header of a partner's table: the row header_row_find finds, and a sub-header row under
it when the sheet has one.

A sub-header is the row right under the header that holds no name and reads as headers: a
group header over its parts ("Задержание" over "дата" and "статья"), a name header merged
down over nothing ("ФИО" over an empty cell) or over its parts ("Фамилия", "Имя"). Its
cells are read into the header, and the rows below it are the data, their numbers those of
the sheet (header_row_find may find the sub-header, which can name more fields: the row
above it is the header then). A cell that names a field by itself ("статья") is the column's header; one that
only qualifies the header above it ("дата") is read with it ("Задержание дата"). A cell
under an empty header cell belongs to the group header on its left (a header merged across
columns keeps its text in the first of them).

A row is a sub-header only when every cell it fills is text without digits that reads as a
header under a header of at least two cells (a title is one): a field's name (the same field as the header above, when that one names a field),
or a date or year qualifier, or a part of a group; and the name column holds nothing but
a name header. A data row that lacks its name holds a date, a number or a value no header
reads, and stays a row (with its error).
"""

from __future__ import annotations

from dataclasses import dataclass

from casework.importing.cells import Cell, Table, has_content, header_widened, table_merged_fill
from casework.importing.headers import HEADER_QUALIFIERS, header_read, header_words
from casework.importing.mapping import HEADER_PHRASES, header_row_find

_NAME_FIELDS = frozenset({"full_name", "latin_name"})


@dataclass(frozen=True)
class TableHeader:
    number: int  # the header's row number, as a spreadsheet user counts it
    headers: list[Cell]
    # The position in table.rows of the first row after the header (and its sub-header).
    data_start: int
    # The sheet's number of the sub-header row read into the header, if there is one: not
    # imported, so the partner is told (casework.importing.runs.import_run_warnings).
    sub_header: int | None = None


def table_header(*, table: Table, header_number: int | None = None) -> TableHeader:
    """The table's header: found (header_row_find), or the one at `header_number` (a run
    reading its file again), with its sub-header read in, merged cells below it filled, and
    as wide as the rows below reach."""
    if header_number is None:
        position = header_row_find(table=table)
        # The sub-header may read as the better header ("Фамилия", "Имя", "Отчество" under
        # "ФИО", beside "Статус"): the header is the row above it then.
        if position and _sub_header(table.rows[position - 1][1], table.rows[position][1]):
            position -= 1
    else:
        position = next(
            index for index, (number, _cells) in enumerate(table.rows) if number == header_number
        )
    number, headers = table.rows[position]
    table_merged_fill(table=table, header_number=number)
    start = position + 1
    sub_header = None
    if start < len(table.rows) and _sub_header(headers, table.rows[start][1]):
        headers = _headers_joined(headers, table.rows[start][1])
        sub_header = table.rows[start][0]
        start += 1
    headers = header_widened(headers, table.rows[start:])
    table.rows[start:] = _rows_numbered_only_left_out(headers, table.rows[start:])
    return TableHeader(number, headers, start, sub_header)


def _rows_numbered_only_left_out(
    headers: list[Cell], rows: list[tuple[int, list[Cell]]]
) -> list[tuple[int, list[Cell]]]:
    """The rows without those holding nothing but a row number (or a file's own error
    column): a partner's template numbered ahead of its entries ("6;;;;") has rows as empty
    as a blank one to a person, which are left out as blank rows are."""
    ignored = {index for index, header in enumerate(headers) if _field(header) == ""}
    if not ignored:
        return rows
    return [
        (number, cells)
        for number, cells in rows
        if has_content([cell for index, cell in enumerate(cells) if index not in ignored])
    ]


def _field(text: object) -> str | None:
    return header_read(text, phrases=HEADER_PHRASES).field


def _text(cell: Cell) -> str:
    return cell.strip() if isinstance(cell, str) else ""


def _groups(headers: list[Cell], cells: list[Cell]) -> list[str]:
    """Each column's group header: its own header, or under an empty one the header on its
    left whose group the filled cells below continue."""
    groups: list[str] = []
    group = ""
    for index in range(max(len(headers), len(cells))):
        top = _text(headers[index]) if index < len(headers) else ""
        below = has_content([cells[index]]) if index < len(cells) else False
        if top:
            group = top
        elif not below:
            group = ""
        groups.append(top or group)
    return groups


def _sub_header(headers: list[Cell], cells: list[Cell]) -> bool:
    names = [index for index, header in enumerate(headers) if _field(header) in _NAME_FIELDS]
    # A title above the header is one cell, even when it names the names.
    filled = sum(1 for header in headers if has_content([header]))
    if not names or filled < 2 or not has_content(cells):
        return False
    groups = _groups(headers, cells)
    for index, cell in enumerate(cells):
        if not has_content([cell]):
            continue
        if not isinstance(cell, str) or any(char.isdigit() for char in cell):
            return False
        field = _field(cell)
        top = _text(headers[index]) if index < len(headers) else ""
        if index in names:
            if field not in _NAME_FIELDS:
                return False
        elif top:
            top_field = _field(top)
            qualifier = set(header_words(cell)) <= HEADER_QUALIFIERS
            if not qualifier and (field is None or top_field not in (None, field)):
                return False
        elif not groups[index] and field is None:
            return False
    return True


def _headers_joined(headers: list[Cell], cells: list[Cell]) -> list[Cell]:
    groups = _groups(headers, cells)
    joined: list[Cell] = []
    for index, group in enumerate(groups):
        top: Cell = headers[index] if index < len(headers) else None
        below = _text(cells[index]) if index < len(cells) else ""
        if not below:
            joined.append(top)
        elif _field(below) is not None or not group:
            joined.append(below)  # it names its column by itself ("статья", "Фамилия")
        else:
            joined.append(f"{group} {below}")  # it qualifies its group ("Задержание дата")
    return joined
