"""Dates as partners write them: ISO, dd.mm.yyyy, dd/mm/yyyy, an Excel date cell or serial
number, or a year alone."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from casework.importing.cells import Cell, CellError, cell_quote, cell_text

_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})(?:\s*(?:г\.?|года?))?(?:\s.*)?$")
_YEAR_ALONE = re.compile(r"^(\d{4})\s*(?:г\.?|года?|г\.?\s*р\.?|гр)?\.?$")


@dataclass(frozen=True)
class ParsedDate:
    value: datetime.date | None = None
    year: int | None = None  # set alone when only a year was written


def date_parse(value: Cell) -> ParsedDate:
    """ISO, dd.mm.yyyy, dd/mm/yyyy, an Excel date cell or serial number, or a year alone."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ParsedDate()
    if isinstance(value, datetime.datetime):
        return _checked(value.date(), value)
    if isinstance(value, datetime.date):
        return _checked(value, value)
    if isinstance(value, (int, float)):
        number = float(value)
        if number.is_integer() and 1900 <= number <= 2100:
            return ParsedDate(year=int(number))
        if 1 <= number < 80_000:
            return _checked(_EXCEL_EPOCH + datetime.timedelta(days=int(number)), value)
        raise CellError(f"{cell_quote(value)} is not a date.")
    text = cell_text(value)
    match = _ISO.match(text)
    if match:
        return _checked(_date(int(match[1]), int(match[2]), int(match[3]), value), value)
    match = _DAY_FIRST.match(text)
    if match:
        day, month, year = int(match[1]), int(match[2]), match[3]
        if len(year) != 4:
            raise CellError(
                f"{cell_quote(value)}: write the year with four digits (e.g. 12.03.2021)."
            )
        return _checked(_date(int(year), month, day, value), value)
    match = _YEAR_ALONE.match(text)
    if match:
        year = int(match[1])
        if not 1900 <= year <= 2100:
            raise CellError(f"{cell_quote(value)} is not a plausible year.")
        return ParsedDate(year=year)
    if text.isdigit():
        return date_parse(int(text))
    raise CellError(
        f"{cell_quote(value)} is not a date; write it as 31.12.2021, 2021-12-31 or a year alone."
    )


def _date(year: int, month: int, day: int, original: Cell) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise CellError(f"{cell_quote(original)} is not a valid date.") from None


def _checked(date: datetime.date, original: Cell) -> ParsedDate:
    if not 1900 <= date.year <= 2100:
        raise CellError(f"{cell_quote(original)} is not a plausible date.")
    return ParsedDate(value=date)
