"""The rows an import skipped, as a sheet in the file's own columns plus an "Error" column,
so that the partner fixes them there and imports that sheet (its "Error" column is
recognised and ignored). CiviCRM's "Download errors" habit.

A cell is written as the text or number it was, never as a formula: a value that a
spreadsheet would run ("=…") is a text cell marked with Excel's quote prefix, so it is
shown, and read back, as written."""

from __future__ import annotations

import datetime
import io
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from casework.exports import FORMULA_TRIGGERS
from casework.importing.cells import Cell, text_clean
from casework.importing.continuation import continuations_filled
from casework.importing.run_files import sealed_new, sealed_read
from casework.models import ImportRun


def skipped_rows_xlsx(
    *,
    headers: list[Cell],
    rows: list[tuple[int, list[Cell]]],
    errors: list[dict[str, Any]],
    mapping: dict[str, str] | None = None,
) -> bytes:
    """The header and every row that has an error, each with its errors in a last column.
    With the run's mapping, a continuation row (casework.importing.continuation) is written
    with the cells it read as the row above's: corrected, it imports on its own (its name
    left blank, it would be a row without a name)."""
    if mapping:
        rows = continuations_filled(rows=rows, mapping=mapping)
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment

    messages: dict[int, list[str]] = defaultdict(list)
    for error in errors:
        column = f"{error['column']}: " if error.get("column") else ""
        messages[error["row"]].append(f"{column}{error['message']}")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Rows to fix"))

    def cell(value: Cell) -> Any:
        if isinstance(value, str):
            value = text_clean(value)
            if value.startswith(FORMULA_TRIGGERS):
                written = WriteOnlyCell(sheet, value=value)
                written.data_type = "s"
                written.quotePrefix = True
                return written
        return value

    width = len(headers)
    sheet.append([cell(header) for header in headers] + [_("Error")])
    for number, cells in rows:
        if number in messages:
            padded = list(cells[:width]) + [None] * (width - len(cells[:width]))
            # A line each, wrapped so Excel shows the lines: the messages are sentences
            # ("… is not a valid date.; F …" read badly on one line).
            error = cell("\n".join(messages[number]))
            if isinstance(error, str):
                error = WriteOnlyCell(sheet, value=error)
            error.alignment = Alignment(wrap_text=True, vertical="top")
            sheet.append([cell(value) for value in padded] + [error])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run_skipped_store(*, run: ImportRun, data: bytes) -> None:
    """Keep the sheet of a run's skipped rows, encrypted, until the purge deletes it, a day
    after the run (import_uploads_purge)."""
    run.skipped_path = sealed_new(suffix=".skipped.xlsx", data=data)


def run_skipped_read(*, run: ImportRun) -> bytes | None:
    if not run.skipped_path:
        return None
    try:
        return sealed_read(run.skipped_path)
    except FileNotFoundError:
        return None


def skipped_file_name(run: ImportRun) -> str:
    stem = Path(run.file_name).stem[:60] or "import"
    return f"{stem}-rows-to-fix-{datetime.date.today():%Y%m%d}.xlsx"
