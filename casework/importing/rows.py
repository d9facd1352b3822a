"""Rows of cells -> each row's values, or its errors naming row, column and what was written
(the first step of planning an import; casework.importing.matching takes the values on).
The cell parsers live by kind: values (names, gender, occupation, text), dates, status_words,
charges. A placeholder ("—", "нет", "n/a", "неизвестно") is an empty cell for every field
but the name (casework.vocabularies.text_is_placeholder).

What a cell says beyond the value read from it is kept in the case note, headed by the
file's own column header: the measure of restraint, a status read from words that say more
("освобожден по УДО"), a date known only to the month or the year."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from casework.importing.cells import Cell, CellError, cell_text
from casework.importing.charges import charges_parse
from casework.importing.continuation import Continuation, continuations_fill, ditto_mark
from casework.importing.dates import (
    DAY,
    DAY_FIRST,
    MONTH,
    MONTH_FIRST,
    YEAR,
    PartialDate,
    date_habit_find,
    date_is_ambiguous,
    partial_date_parse,
)
from casework.importing.mapping import FIELDS_BY_KEY, column_letter
from casework.importing.plan import ERROR, PREVIEW_ROWS_SHOWN, RowPlan
from casework.importing.status_words import UnknownStatusWord, status_date_in, status_read
from casework.importing.values import (
    file_name_order,
    gender_parse,
    name_parse,
    occupation_parse,
    text_parse,
)
from casework.partial_dates import MINIMUM_YEAR
from casework.people import birth_date_check, birth_year_check
from casework.vocabularies import text_is_placeholder
from common.text import grouped, quoted

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
    names = {
        key: _("%(field)s (no such column)") % {"field": FIELDS_BY_KEY[key].label}
        for key in FIELDS_BY_KEY
    }
    # A field written in several columns (a name's parts) is named by its first.
    by_column = sorted(mapping.items(), key=lambda item: -int(item[0]))
    names.update({key: _column_name(int(index), headers) for index, key in by_column if key})
    return names


@dataclass(frozen=True)
class DateOrders:
    """How the file writes slashed dates, by date field: True for month first. `ambiguous`:
    it writes some that could be read either way and nothing in their column tells."""

    month_first: dict[str, bool]
    ambiguous: bool


def date_orders_find(
    *, rows: list[tuple[int, list[Cell]]], mapping: dict[str, str], date_order: str = ""
) -> DateOrders:
    """Each date column's habit (a day above 12 tells); date_order ("day_first" or
    "month_first", the user's answer for the file) for the columns that do not tell."""
    month_first, ambiguous = {}, False
    for index_text, key in mapping.items():
        if key not in (*_DATE_FIELDS, "birth"):
            continue
        index = int(index_text)
        habit = date_habit_find(cells[index] for _number, cells in rows if index < len(cells))
        order = habit.order or date_order
        month_first[key] = order == MONTH_FIRST
        ambiguous |= habit.ambiguous and not date_order
    return DateOrders(month_first=month_first, ambiguous=ambiguous)


@dataclass
class _Reading:
    """What reading every row of one file shares, worked out once per file."""

    headers: list[Cell]
    columns: dict[str, int]
    # The one-cell fields this mapping reads, in parsing order.
    mapped: list[tuple[str, int]]
    column_names: dict[str, str]
    # Field -> the file's own header for it (or the field's Russian label), for case notes.
    labels: dict[str, str]
    today: datetime.date
    max_chars: int
    # A column holds few distinct statuses, charges, dates and places: each distinct cell is
    # parsed once per file (its value or its error), not once per row.
    memo: dict[tuple[str, type, Cell], tuple[Any, CellError | None]]
    # The columns the name is written in: one, or its parts (Фамилия, Имя, Отчество).
    name_columns: list[int]
    family_first: bool | None
    status_words: dict[str, str]
    month_first: dict[str, bool]


def rows_parse(
    *,
    rows: list[tuple[int, list[Cell]]],
    headers: list[Cell],
    mapping: dict[str, str],
    status_words: dict[str, str] | None = None,
    date_orders: DateOrders | None = None,
) -> list[RowPlan]:
    """Each row's values, or its errors naming row, column and what was written.
    status_words: normalised word -> status, the organisation's own; date_orders: how the
    file writes slashed dates (date_orders_find)."""
    columns = {key: int(index) for index, key in mapping.items() if key}
    # A name written in several columns (Фамилия, Имя, Отчество) is read as one, in their order.
    name_columns = sorted(int(index) for index, key in mapping.items() if key == "full_name")
    if name_columns:
        columns["full_name"] = name_columns[0]
    reading = _Reading(
        headers=headers,
        columns=columns,
        mapped=[(key, columns[key]) for key in _FIELD_ORDER[1:] if key in columns],
        column_names=column_names(headers=headers, mapping=mapping),
        labels={
            key: (
                " ".join(str(headers[index]).split())[:60]
                if index < len(headers) and headers[index]
                else FIELDS_BY_KEY[key].label_ru
            )
            for key, index in columns.items()
        },
        today=timezone.localdate(),
        max_chars=settings.IMPORT_MAX_CELL_CHARS,
        memo={},
        name_columns=name_columns,
        family_first=(
            file_name_order(
                [_name_cell(cells, name_columns) for _number, cells in rows],
                header=" ".join(
                    cell_text(headers[index]) for index in name_columns if index < len(headers)
                ),
            )
            if name_columns
            else None
        ),
        status_words=status_words or {},
        month_first=(date_orders.month_first if date_orders else {}),
    )
    filled, continuations = continuations_fill(
        rows=rows, columns=columns, name_columns=name_columns
    )
    plans = [
        _row_parse(
            number=number, cells=cells, reading=reading, keep_written=position < PREVIEW_ROWS_SHOWN
        )
        for position, (number, cells) in enumerate(filled)
    ]
    if continuations:
        _continuations_mark(plans=plans, continuations=continuations, reading=reading)
    return plans


def _continuations_mark(
    *, plans: list[RowPlan], continuations: dict[int, Continuation], reading: _Reading
) -> None:
    """Mark each continuation row with the row it continues. An error of a cell it reads
    as the row above's is that row's, reported there; the continuation row is an error at
    its charges while the row above has one (skipped, it would leave the charges without
    their case)."""
    by_number = {plan.row: plan for plan in plans}
    names = reading.column_names
    for number, continuation in continuations.items():
        plan, above = by_number[number], by_number[continuation.above]
        plan.continues_row = above.row
        inherited = {
            names[key] for key, index in reading.columns.items() if index in continuation.inherited
        }
        if set(reading.name_columns) & continuation.inherited:
            inherited |= {names[key] for key in ("full_name", "latin_name") if key in names}
        plan.errors = [error for error in plan.errors if error["column"] not in inherited]
        if above.outcome == ERROR:
            plan.errors.append(
                {
                    "row": number,
                    "column": names["charges"],
                    "message": _(
                        "This row continues row %(row)s, which has an error; once it is "
                        "corrected, this row's charges are added to its case."
                    )
                    % {"row": above.row},
                }
            )
        plan.outcome = ERROR if plan.errors else plan.outcome


def _cells_too_long(*, number: int, cells: list[Cell], reading: _Reading) -> list[dict[str, Any]]:
    max_chars = reading.max_chars
    return [
        {
            "row": number,
            "column": _column_name(index, reading.headers),
            "message": _("The cell has %(length)s characters; the limit is %(limit)s.")
            % {"length": grouped(len(value)), "limit": grouped(max_chars)},
        }
        for index, value in enumerate(cells)
        if type(value) is str and len(value) > max_chars
    ]


def _dittos_refused(*, number: int, cells: list[Cell], reading: _Reading) -> list[dict[str, Any]]:
    """A ditto mark left in a cell the import reads: continuations_fill found no row of the
    same case directly above for it to repeat (the first row, a row under a blank one or
    another person's), and the mark itself is no name, charge or date."""
    read = sorted({*reading.columns.values(), *reading.name_columns})
    return [
        {
            "row": number,
            "column": _column_name(index, reading.headers),
            "message": _(
                "%(mark)s means “as above”, but the row above is not a row of this case (this "
                "is the first row, or the row above is blank or another person's): write the "
                "value itself here, or leave the cell empty."
            )
            % {"mark": quoted(mark)},
        }
        for index in read
        if index < len(cells) and (mark := ditto_mark(cells[index])) is not None
    ]


# The cells the preview shows beside what was read from them, for the rows it lists.
_WRITTEN_SHOWN = ("full_name", "birth", "charges", "detained_on", "status")


def _row_parse(
    *, number: int, cells: list[Cell], reading: _Reading, keep_written: bool = False
) -> RowPlan:
    plan = RowPlan(row=number)
    plan.errors = _cells_too_long(number=number, cells=cells, reading=reading) or (
        _dittos_refused(number=number, cells=cells, reading=reading)
    )
    if plan.errors:
        plan.outcome = ERROR
        return plan
    columns, column_names, memo = reading.columns, reading.column_names, reading.memo

    def cell(key: str) -> Cell:
        if key == "full_name" and len(reading.name_columns) > 1:
            return _name_cell(cells, reading.name_columns)
        index = columns.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    values: dict[str, Any] = {}
    try:
        _field_parse(key="full_name", cell=cell, values=values, reading=reading)
    except CellError as error:
        column = "full_name" if "full_name" in columns else "latin_name"
        plan.errors.append(_error(number, column_names[column], error))
    width = len(cells)
    for key, index in reading.mapped:
        value = cells[index] if index < width else None
        # Remembered by type and value: 1, 1.0 and True are equal keys but read differently.
        memo_key = (key, type(value), value)
        remembered = memo.get(memo_key)
        if remembered is None:
            remembered = memo[memo_key] = _field_parse_once(key=key, value=value, reading=reading)
        parsed, failure = remembered
        if failure is not None:
            plan.errors.append(_error(number, column_names[key], failure))
            continue
        if key == "charges":
            # A fresh list per row: rows never share a mutable value.
            values["charges"] = list(parsed["charges"])
        else:
            values.update(parsed)
    _measure_apply(plan=plan, values=values, reading=reading)
    _notes_apply(values=values, reading=reading)
    detained, released = values.get("detained_on"), values.get("released_on")
    if (
        not plan.errors
        and detained
        and released
        and _ends_before(values, "released_on", "detained_on")
    ):
        plan.errors.append(
            {
                "row": number,
                "column": column_names["released_on"],
                "message": _("The date of release is before the date of detention."),
            }
        )
    if not plan.errors and detained and released and released < detained:
        # "2019" released, "March 2019" detained: the year holds the month, so the
        # release is recorded on the first day it may be, the detention's (the note keeps
        # what was written).
        values["released_on"] = detained
    plan.values = values
    if keep_written:
        plan.written = {key: cell_text(cell(key)) for key in _WRITTEN_SHOWN if key in columns}
    if plan.errors:
        plan.outcome = ERROR
    return plan


def _name_cell(cells: list[Cell], name_columns: list[int]) -> Cell:
    """The name cell, or the cells of a name written in several columns as one text."""
    if len(name_columns) == 1:
        index = name_columns[0]
        return cells[index] if index < len(cells) else None
    words: list[str] = []
    for index in name_columns:
        part = cell_text(cells[index]) if index < len(cells) else ""
        # "ФИО" then "Отчество": a part the name already holds is not written twice.
        if part and not set(part.lower().split()) <= {word.lower() for word in words}:
            words.extend(part.split())
    return " ".join(words) or None


def _error(number: int, column: str, error: CellError) -> dict[str, Any]:
    """A cell's error as the run records it; an unknown status word says which word, so
    the preview can group the rows that write it."""
    found = {"row": number, "column": column, "message": str(error)}
    if isinstance(error, UnknownStatusWord):
        found.update(word=error.word, written=error.written)
    return found


def _ends_before(values: dict[str, Any], later: str, earlier: str) -> bool:
    """Whether the whole of `later` (a date as far as it was written) comes before
    `earlier` begins: "2019" released is not before "March 2019" detained."""
    later_date = PartialDate(values[later], values.get(f"{later}_precision", DAY))
    earlier_date: datetime.date = values[earlier]
    return later_date.last_day() < earlier_date


def _measure_apply(*, plan: RowPlan, values: dict[str, Any], reading: _Reading) -> None:
    """The measure of restraint is kept in the case note, whatever else the row says; it
    gives the status only when the status column is empty."""
    measure = values.pop("measure", None)
    if measure is None:
        return
    text, status, problem = measure
    if not values.get("status"):
        if problem is not None:
            plan.errors.append(_error(plan.row, reading.column_names["measure"], problem))
        elif status:
            values["status"] = status
            values["status_from_measure"] = True
    _note_add(values, f"{reading.labels['measure']}: {text}")
    values["measure_kept"] = text


def _note_add(values: dict[str, Any], note: str) -> None:
    summary = values.get("summary") or ""
    if note not in summary:
        values["summary"] = f"{summary}\n{note}" if summary else note


def _notes_apply(*, values: dict[str, Any], reading: _Reading) -> None:
    """Keep in the case note what the value read from a cell does not hold: the words of a
    status read by the rules. (A date known to the month or year only is stored with its
    precision, so it needs no note.)"""
    written = values.pop("status_written", None)
    if written:
        _note_add(values, f"{reading.labels['status']}: {written}")


def date_written(value: datetime.date, precision: str) -> str:
    """A date as far as it is known: "2018", "March 2019", "5 Mar 2022"."""
    if precision == YEAR:
        return str(value.year)
    if precision == MONTH:
        return date_format(value, "F Y")
    return date_format(value, "SHORT_DATE_FORMAT")


def _field_parse_once(
    *, key: str, value: Cell, reading: _Reading
) -> tuple[dict[str, Any], CellError | None]:
    """What a one-cell field reads as: its values, or the error it raises."""
    parsed: dict[str, Any] = {}
    try:
        _field_parse(key=key, cell=lambda _key: value, values=parsed, reading=reading)
    except CellError as error:
        return {}, error
    return parsed, None


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


def _field_parse(
    *, key: str, cell: Callable[[str], Cell], values: dict[str, Any], reading: _Reading
) -> None:
    if key == "full_name":
        parsed_name = name_parse(
            cell("full_name"), cell("latin_name"), family_first=reading.family_first
        )
        values["full_name"], values["native_name"] = parsed_name.full_name, parsed_name.native_name
        return
    value = cell(key)
    if isinstance(value, str) and text_is_placeholder(value):
        value = None
    if key == "birth":
        _birth_parse(value, values=values, reading=reading)
    elif key in _DATE_FIELDS:
        _date_parse(key, value, values=values, reading=reading)
    elif key == "status":
        reading_found = status_read(value, remembered=reading.status_words)
        values["status"] = reading_found.status if reading_found else ""
        if reading_found and reading_found.by_rule:
            values["status_written"] = cell_text(value)
            # "освобождена 15.05.2023": the day the status began (status_since_for), when
            # it has begun (a future or pre-1900 one stays in the note only).
            on = status_date_in(values["status_written"])
            if on is not None and on.year >= MINIMUM_YEAR and on <= reading.today:
                values["status_on"] = on
    elif key == "measure":
        text = text_parse(value, max_length=200)
        if text:
            try:
                found = status_read(text, remembered=reading.status_words)
                values["measure"] = (text, found.status if found else "", None)
            except CellError as error:
                values["measure"] = (text, "", error)
    elif key == "gender":
        values["gender"] = gender_parse(value)
    elif key == "occupation":
        values["occupation"] = occupation_parse(value)
    elif key == "charges":
        values["charges"] = charges_parse(value)
    else:
        values[key] = text_parse(value, max_length=_TEXT_LIMITS[key])


def _birth_parse(value: Cell, *, values: dict[str, Any], reading: _Reading) -> None:
    parsed = partial_date_parse(value, month_first=reading.month_first.get("birth", False))
    # A birth known to the day is a date; to the month or the year, a year.
    birth_date = parsed.value if parsed and parsed.precision == DAY else None
    birth_year = parsed.value.year if parsed else None
    try:  # the person form's rules (casework.people), for both paths alike
        birth_date_check(birth_date)
        birth_year_check(birth_year)
    except ValidationError as error:
        raise CellError(" ".join(error.messages)) from None
    values["birth_date"] = birth_date
    values["birth_year"] = birth_year


def _date_parse(key: str, value: Cell, *, values: dict[str, Any], reading: _Reading) -> None:
    parsed = partial_date_parse(value, month_first=reading.month_first.get(key, False))
    if parsed is None:
        values[key] = None
        return
    if parsed.value > reading.today:
        raise CellError(
            _("%(date)s is in the future.") % {"date": date_written(parsed.value, parsed.precision)}
        )
    values[key] = parsed.value
    values[f"{key}_precision"] = parsed.precision
    if date_is_ambiguous(value):
        order = MONTH_FIRST if reading.month_first.get(key) else DAY_FIRST
        values.setdefault("dates_read", []).append((key, cell_text(value), parsed.value, order))
