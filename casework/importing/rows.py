"""Rows of cells -> each row's values, or its errors naming row, column and what was written
(the first step of planning an import; casework.importing.matching takes the values on).
The cell parsers live by kind: values (names, gender, occupation, text), dates, status_words,
charges."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from casework.importing.cells import Cell, CellError
from casework.importing.charges import charges_parse
from casework.importing.dates import date_parse
from casework.importing.mapping import FIELDS_BY_KEY, column_letter
from casework.importing.plan import ERROR, RowPlan
from casework.importing.status_words import status_parse
from casework.importing.values import (
    file_name_order,
    gender_parse,
    name_parse,
    occupation_parse,
    text_parse,
)

_TEXT_LIMITS = {
    "region": 100,
    "sentence": 200,
    "detention_place": 200,
    "reference": 50,
    "summary": None,
}
_DATE_FIELDS = ("detained_on", "sentenced_on", "released_on")


def _column_name(index: int, headers: list[Cell]) -> str:
    header = headers[index] if index < len(headers) else None
    if header in (None, ""):
        return column_letter(index)
    header = " ".join(str(header).split())
    return f"{column_letter(index)} ({header[:60]}{'…' if len(header) > 60 else ''})"


def column_names(*, headers: list[Cell], mapping: dict[str, str]) -> dict[str, str]:
    """Field key -> the spreadsheet column as its user sees it: letter and header, "B (ФИО)".
    A field no column holds is named by its label, so the message still says what to add."""
    names = {key: f"{FIELDS_BY_KEY[key].label} (no such column)" for key in FIELDS_BY_KEY}
    names.update({key: _column_name(int(index), headers) for index, key in mapping.items() if key})
    return names


@dataclass
class _Reading:
    """What reading every row of one file shares, worked out once per file."""

    headers: list[Cell]
    columns: dict[str, int]
    # The one-cell fields this mapping reads, in parsing order.
    mapped: list[tuple[str, int]]
    column_names: dict[str, str]
    measure_label: str
    today: datetime.date
    max_chars: int
    # A column holds few distinct statuses, charges, dates and places: each distinct cell is
    # parsed once per file (its value or its error), not once per row.
    memo: dict[tuple, tuple[Any, CellError | None]]
    family_first: bool | None


def rows_parse(
    *, rows: list[tuple[int, list[Cell]]], headers: list[Cell], mapping: dict[str, str]
) -> list[RowPlan]:
    """Each row's values, or its errors naming row, column and what was written."""
    columns = {key: int(index) for index, key in mapping.items() if key}
    measure_index = columns.get("measure")
    name_index = columns.get("full_name")
    reading = _Reading(
        headers=headers,
        columns=columns,
        mapped=[(key, columns[key]) for key in _FIELD_ORDER[1:] if key in columns],
        column_names=column_names(headers=headers, mapping=mapping),
        measure_label=(
            " ".join(str(headers[measure_index]).split())[:60]
            if measure_index is not None and measure_index < len(headers) and headers[measure_index]
            else FIELDS_BY_KEY["measure"].label_ru
        ),
        today=timezone.localdate(),
        max_chars=settings.IMPORT_MAX_CELL_CHARS,
        memo={},
        family_first=(
            file_name_order(
                [cells[name_index] for _number, cells in rows if name_index < len(cells)],
                header=headers[name_index] if name_index < len(headers) else None,
            )
            if name_index is not None
            else None
        ),
    )
    return [_row_parse(number=number, cells=cells, reading=reading) for number, cells in rows]


def _cells_too_long(*, number: int, cells: list[Cell], reading: _Reading) -> list[dict]:
    max_chars = reading.max_chars
    return [
        {
            "row": number,
            "column": _column_name(index, reading.headers),
            "message": f"The cell has {len(value):,} characters; the limit is {max_chars:,}.",
        }
        for index, value in enumerate(cells)
        if type(value) is str and len(value) > max_chars
    ]


def _row_parse(*, number: int, cells: list[Cell], reading: _Reading) -> RowPlan:
    plan = RowPlan(row=number)
    plan.errors = _cells_too_long(number=number, cells=cells, reading=reading)
    if plan.errors:
        plan.outcome = ERROR
        return plan
    columns, column_names, memo, today = (
        reading.columns,
        reading.column_names,
        reading.memo,
        reading.today,
    )

    def cell(key: str) -> Cell:
        index = columns.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    values: dict[str, Any] = {}
    try:
        _field_parse(
            key="full_name",
            cell=cell,
            values=values,
            today=today,
            family_first=reading.family_first,
        )
    except CellError as error:
        column = "full_name" if "full_name" in columns else "latin_name"
        plan.errors.append({"row": number, "column": column_names[column], "message": str(error)})
    width = len(cells)
    for key, index in reading.mapped:
        value = cells[index] if index < width else None
        # Remembered by type and value: 1, 1.0 and True are equal keys but read differently.
        memo_key = (key, type(value), value)
        remembered = memo.get(memo_key)
        if remembered is None:
            remembered = memo[memo_key] = _field_parse_once(key=key, value=value, today=today)
        parsed, error = remembered
        if error is not None:
            plan.errors.append({"row": number, "column": column_names[key], "message": str(error)})
            continue
        if key == "charges":
            # A fresh list per row: rows never share a mutable value.
            values["charges"] = list(parsed["charges"])
        else:
            values.update(parsed)
    _measure_apply(plan=plan, values=values, reading=reading)
    detained, released = values.get("detained_on"), values.get("released_on")
    if not plan.errors and detained and released and released < detained:
        plan.errors.append(
            {
                "row": number,
                "column": column_names["released_on"],
                "message": "The date of release is before the date of detention.",
            }
        )
    plan.values = values
    if plan.errors:
        plan.outcome = ERROR
    return plan


def _measure_apply(*, plan: RowPlan, values: dict[str, Any], reading: _Reading) -> None:
    """The measure of restraint is kept in the case note, whatever else the row says; it
    gives the status only when the status column is empty."""
    measure = values.pop("measure", None)
    if measure is None:
        return
    text, status, problem = measure
    if not values.get("status"):
        if problem is not None:
            plan.errors.append(
                {"row": plan.row, "column": reading.column_names["measure"], "message": problem}
            )
        elif status:
            values["status"] = status
            values["status_from_measure"] = True
    note = f"{reading.measure_label}: {text}"
    summary = values.get("summary") or ""
    if note not in summary:
        values["summary"] = f"{summary}\n{note}" if summary else note
    values["measure_kept"] = text


_FIELD_ORDER = (
    "full_name",
    "birth",
    *_DATE_FIELDS,
    "status",
    "measure",
    "gender",
    "occupation",
    "charges",
    *_TEXT_LIMITS,
)


def _field_parse_once(
    *, key: str, value: Cell, today: datetime.date
) -> tuple[dict[str, Any], CellError | None]:
    """What a one-cell field reads as: its values, or the error it raises."""
    parsed: dict[str, Any] = {}
    try:
        _field_parse(key=key, cell=lambda _key: value, values=parsed, today=today)
    except CellError as error:
        return {}, error
    return parsed, None


def _field_parse(
    *,
    key: str,
    cell: Callable[[str], Cell],
    values: dict[str, Any],
    today: datetime.date,
    family_first: bool | None = None,
) -> None:
    if key == "full_name":
        parsed_name = name_parse(cell("full_name"), cell("latin_name"), family_first=family_first)
        values["full_name"], values["native_name"] = parsed_name.full_name, parsed_name.native_name
    elif key == "birth":
        parsed = date_parse(cell("birth"))
        if parsed.value and parsed.value > today:
            raise CellError("The date of birth is in the future.")
        values["birth_date"] = parsed.value
        values["birth_year"] = parsed.value.year if parsed.value else parsed.year
    elif key in _DATE_FIELDS:
        parsed = date_parse(cell(key))
        if parsed.year and not parsed.value:
            raise CellError(
                f"“{parsed.year}”: a full date is needed here (a year alone is accepted for "
                "the date of birth only)."
            )
        if parsed.value and parsed.value > today:
            raise CellError(f"{parsed.value:%d.%m.%Y} is in the future.")
        values[key] = parsed.value
    elif key == "status":
        values["status"] = status_parse(cell("status"))
    elif key == "measure":
        text = text_parse(cell("measure"), max_length=200)
        if text:
            try:
                values["measure"] = (text, status_parse(text), None)
            except CellError as error:
                values["measure"] = (text, "", str(error))
    elif key == "gender":
        values["gender"] = gender_parse(cell("gender"))
    elif key == "occupation":
        values["occupation"] = occupation_parse(cell("occupation"))
    elif key == "charges":
        values["charges"] = charges_parse(cell("charges"))
    else:
        values[key] = text_parse(cell(key), max_length=_TEXT_LIMITS[key])
