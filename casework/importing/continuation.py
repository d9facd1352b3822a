"""Continuation rows: a partner lists a person fully on one row, then puts each further
charge on the row below, leaving the other cells blank (the name too, or repeating only the
name). A blank cell of such a row means "as above": it is read as the row above's cell, and
the row is marked as continuing that row, whose case it adds its charges to
(casework.importing.matching pins it there; a cell it fills that says otherwise is an error
at that cell).

A row is a continuation of the row directly above it (the sheet's next row: a blank or
left-out row between ends the list) when the row above is a row of a case (it has a name,
its own or as above) and the row has a charge (or a ditto mark: below), and either
- its name cells are empty, or
- it writes the same name (in the cells of its parts or spellings it fills), leaves a cell
  blank that the row above fills, and writes the birth, the detention date and the
  reference, where it writes them, as the row above does (another of these is another
  person or another detention: a case of its own, as before).
A nameless row under nothing that is a case (the first row, a row under a blank one) keeps
its error at the name.

A cell holding only a ditto mark ('"', '〃', '-//-', 'то же', 'сол сияқты', 'same', 'do.')
says "as above" as a blank cell of such a row does, and is read so; a row holding one
continues the row above by the same rule even without a charge of its own (the ditto mark
of a charge is the row above's). Where the rule finds no such row above, the mark is left
in the cell for the row's reading to refuse (ditto_mark): it is never a value."""

from __future__ import annotations

import re
from dataclasses import dataclass

from casework.importing.cells import Cell, cell_text, has_content

# The cells that tell one person's or case's row from another's: a row repeating the name
# and writing any of these otherwise describes another person or detention.
_IDENTIFYING = ("birth", "detained_on", "reference")


# The ditto marks of partners' sheets, in the form ditto_mark compares: "as above".
_DITTO_MARKS = frozenset(
    {'"', '""', "''", "〃", "″", "“", "”", "„", "«»", '-"-', "-〃-", "-//-", "-/-", "//"}
    | {"то же", "тоже", "то же самое", "сол сияқты", "сол сиякты", "same", "do.", "ditto"}
)
_DASHES = re.compile("[\u2010-\u2015\u2212]")


def ditto_mark(value: Cell) -> str | None:
    """The cell's text if it holds only a ditto mark, else None."""
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    if len(text) > 20:
        return None
    folded = _DASHES.sub("-", text.casefold())
    if folded in _DITTO_MARKS or folded.replace(" ", "") in _DITTO_MARKS:
        return text
    return None


@dataclass(frozen=True, slots=True)
class Continuation:
    # The row directly above, which this row continues.
    above: int
    # The columns whose blank cells were read as the row above's.
    inherited: frozenset[int]


def continuations_fill(
    *, rows: list[tuple[int, list[Cell]]], columns: dict[str, int], name_columns: list[int]
) -> tuple[list[tuple[int, list[Cell]]], dict[int, Continuation]]:
    """The rows with each continuation row's blank cells read as the row above's (new
    lists: the table's rows stay as read), and the continuation of each such row by its
    number."""
    charges = columns.get("charges")
    if charges is None and not any(
        ditto_mark(value) is not None for _number, cells in rows for value in cells
    ):
        return rows, {}
    names = sorted({*name_columns, *(columns[key] for key in ("latin_name",) if key in columns)})
    read = sorted({*columns.values(), *names})
    # Every column a field reads, but the charges: what a blank cell of those means is kept.
    carried = [index for index in read if index != charges]
    identifying = [columns[key] for key in _IDENTIFYING if key in columns]
    filled: list[tuple[int, list[Cell]]] = []
    found: dict[int, Continuation] = {}
    above: tuple[int, list[Cell]] | None = None
    for number, cells in rows:
        dittos = [index for index in read if ditto_mark(_value(cells, index)) is not None]
        if (
            above is not None
            and above[0] == number - 1
            and (dittos or (charges is not None and _cell(cells, charges) is not None))
            and _continues(cells, above[1], names=names, identifying=identifying)
        ):
            inherited = frozenset(
                index
                for index in carried
                if _cell(cells, index) is None and _cell(above[1], index) is not None
            ) | frozenset(dittos)
            if inherited:
                cells = list(cells) + [None] * (max(read) + 1 - len(cells))
                for index in inherited:
                    cells[index] = _cell(above[1], index)
                found[number] = Continuation(above=above[0], inherited=inherited)
        filled.append((number, cells))
        has_name = any(_cell(cells, index) is not None for index in names)
        above = (number, cells) if has_name else None
    return filled, found


def continuations_filled(
    *, rows: list[tuple[int, list[Cell]]], mapping: dict[str, str]
) -> list[tuple[int, list[Cell]]]:
    """The rows with each continuation row's blank cells read as the row above's, for the
    columns `mapping` (column index -> field) reads as rows_parse does."""
    columns = {key: int(index) for index, key in mapping.items() if key}
    name_columns = sorted(int(index) for index, key in mapping.items() if key == "full_name")
    if name_columns:
        columns["full_name"] = name_columns[0]
    return continuations_fill(rows=rows, columns=columns, name_columns=name_columns)[0]


def _continues(
    cells: list[Cell], above: list[Cell], *, names: list[int], identifying: list[int]
) -> bool:
    if all(_cell(cells, index) is None for index in names):
        return True
    # A name part or a Latin spelling left blank is as above too ("Каримов" under "Каримов
    # | Тимур"); a cell written otherwise is another person or detention.
    return all(
        _cell(cells, index) is None or _written(cells, index) == _written(above, index)
        for index in (*names, *identifying)
    )


def _value(cells: list[Cell], index: int) -> Cell:
    return cells[index] if index < len(cells) else None


def _cell(cells: list[Cell], index: int) -> Cell:
    """The cell, or None where it is blank or says "as above" (a ditto mark)."""
    value = _value(cells, index)
    return value if has_content([value]) and ditto_mark(value) is None else None


def _written(cells: list[Cell], index: int) -> str:
    # "ИВАНОВ  Иван" and "Иванов Иван" are one name as a person reads the two rows.
    return " ".join(cell_text(_cell(cells, index)).casefold().split())
