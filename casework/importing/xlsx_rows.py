"""What an XLSX sheet says of its rows besides their cells: the blocks of cells merged down
a column, and the rows hidden (by hand, in a collapsed group or by a filter), which are
imported like the others and named on the pages (casework.importing.runs)."""

from __future__ import annotations

import re

from django.conf import settings

from casework.importing.cells import Table


def column_index(reference: str) -> int:
    """ "C" (or "C12") -> 2."""
    index = 0
    for char in reference:
        if "A" <= char <= "Z":
            index = index * 26 + ord(char) - 64
        else:
            break
    return index - 1


_MERGED_RANGE = re.compile(r"([A-Z]{1,3})([0-9]{1,7}):([A-Z]{1,3})([0-9]{1,7})")


def merged_down_add(table: Table, reference: str) -> None:
    """A merged range ("B2:C4") that spans several rows, kept as its first column's block."""
    match = _MERGED_RANGE.fullmatch(reference)
    if match is None:
        return
    first, last = int(match[2]), int(match[4])
    column = column_index(match[1])
    if last > first and column < settings.IMPORT_MAX_COLUMNS:
        table.merged_down.append((column, first, last))


# A row tag with hidden="1" (or "true"), its number before or after that attribute.
_HIDDEN_ROW = re.compile(
    r'<(?:\w+:)?row\b[^>]*?\br="([0-9]{1,7})"[^>]*?\bhidden="(?:1|true)"'
    r'|<(?:\w+:)?row\b[^>]*?\bhidden="(?:1|true)"[^>]*?\br="([0-9]{1,7})"'
)


def hidden_rows_of(text: str) -> list[int]:
    """The numbers of the rows a piece of a sheet's XML hides."""
    if 'hidden="' not in text:
        return []  # most sheets hide nothing: no search
    return [int(before or after) for before, after in _HIDDEN_ROW.findall(text)]
