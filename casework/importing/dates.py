"""Dates as partners write them: ISO, dd.mm.yyyy, dd/mm/yyyy, an Excel date cell or serial
number, a month and year ("03.2019", "март 2019", "сент. 1988", "в марте 2019"), a year
alone ("2018", "1978 г.р.", "1978 ж.т."), or a long form in Russian, Kazakh or English ("1
сентября 1988", "1 қыркүйек 1988", "1988 жылғы 1 қыркүйек", "1 September 1988", "September
1, 1988").

partial_date_parse reads a cell into (date, precision): the first day of what was written,
and "day", "month" or "year" for how much of it was. Slashed dates such as 05/03/2022 are
read day first unless the file says otherwise (date_orders_find reads a column's habit: a
day above 12 tells).
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.utils.translation import gettext as _

from casework.importing.cells import Cell, CellError, cell_quote, cell_text

YEAR = "year"
MONTH = "month"
DAY = "day"
DAY_FIRST = "day_first"
MONTH_FIRST = "month_first"

_EXCEL_EPOCH = datetime.date(1899, 12, 30)
# A number below this is not read as an Excel date (10000 is 18 May 1927): what is written
# so is a year ("1890", "85") or a mistake, never a day of the 1900s the file meant.
_FIRST_SERIAL = 10_000
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_NUMERIC = re.compile(
    r"^(\d{1,2})([./-])(\d{1,2})\2(\d{2,4})(?:\s*(?:г\.?|года?|ж\.?|жыл\w*))?(?:\s.*)?$"
)
_NUMERIC_MONTH = re.compile(r"^(\d{1,2})[./](\d{4})(?:\s*(?:г\.?|года?))?$")
# "1978 г.р." and its Kazakh "1978 ж.т." (жылы туған), abbreviated or written out.
_YEAR_ALONE = re.compile(
    r"^(\d{4})\s*(?:г\.?|года?|г\.?\s*р\.?|гр|ж\.?|жыл\w*|ж\.?\s*т\.?"
    r"|(?:года|жылы)\s+(?:рождения|туған))?\.?$"
)
_TOKENS = re.compile(r"\d+|[^\W\d_]+")
# Words a long-form date may carry besides its day, month and year.
_DATE_WORDS = frozenset(
    {"г", "гг", "год", "года", "году", "в", "ж", "жыл", "жылы", "жылғы", "in", "of", "the", "on"}
)
# Month -> the starts of its names and abbreviations, in Russian (every case), Kazakh and
# English.
_MONTH_STEMS = {
    1: ("январ", "янв", "қаңтар", "jan"),
    2: ("феврал", "фев", "ақпан", "feb"),
    3: ("март", "мар", "наурыз", "mar"),
    4: ("апрел", "апр", "сәуір", "apr"),
    5: ("май", "мая", "мае", "мамыр", "may"),
    6: ("июн", "маусым", "jun"),
    7: ("июл", "шілде", "jul"),
    8: ("август", "авг", "тамыз", "aug"),
    9: ("сентябр", "сен", "қыркүйек", "sep"),
    10: ("октябр", "окт", "қазан", "oct"),
    11: ("ноябр", "ноя", "қараша", "nov"),
    12: ("декабр", "дек", "желтоқсан", "dec"),
}


class PartialDate(NamedTuple):
    """A date as far as it was written: the first day of it, and "day", "month" or
    "year"."""

    value: datetime.date
    precision: str

    def last_day(self) -> datetime.date:
        """The last day the written date may mean."""
        if self.precision == YEAR:
            return self.value.replace(month=12, day=31)
        if self.precision == MONTH:
            days = calendar.monthrange(self.value.year, self.value.month)[1]
            return self.value.replace(day=days)
        return self.value


def partial_date_parse(value: Cell, *, month_first: bool = False) -> PartialDate | None:
    """A date cell -> (first day, precision), None for an empty cell; raises CellError
    quoting the cell. month_first: read 05/03/2022 as 3 May (the file's habit)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return _checked(value.date(), DAY, value)
    if isinstance(value, datetime.date):
        return _checked(value, DAY, value)
    if isinstance(value, (int, float)):
        number = float(value)
        if number.is_integer() and 1900 <= number <= 2100:
            return PartialDate(datetime.date(int(number), 1, 1), YEAR)
        if number.is_integer() and 1 <= number < 100:
            # "85" is a year written short, never the 85th day of 1900: the example is a
            # year, not a date (the message for "12.03.21" shows a date).
            raise CellError(
                _("%(value)s: write the year with four digits (e.g. 1985, not 85).")
                % {"value": cell_quote(value)}
            )
        if _FIRST_SERIAL <= number < 80_000:
            # The day of the serial to the millisecond (44565.99999999999 is the 5th).
            day = round(number * 86_400_000) // 86_400_000
            return _checked(_EXCEL_EPOCH + datetime.timedelta(days=day), DAY, value)
        if 1 <= number < _FIRST_SERIAL:
            raise CellError(_("%(value)s is not a plausible date.") % {"value": cell_quote(value)})
        raise CellError(_("%(value)s is not a date.") % {"value": cell_quote(value)})
    text = cell_text(value)
    if text.isdecimal() and len(text) != 4:
        return partial_date_parse(int(text))
    return _text_date(text, value, month_first=month_first)


def _text_date(text: str, original: Cell, *, month_first: bool) -> PartialDate:
    if match := _ISO.match(text):
        return _checked(_date(int(match[1]), int(match[2]), int(match[3]), original), DAY, original)
    if match := _ISO_MONTH.match(text):
        return _checked(_date(int(match[1]), int(match[2]), 1, original), MONTH, original)
    if match := _NUMERIC.match(text):
        first, separator, second, year = int(match[1]), match[2], int(match[3]), match[4]
        if len(year) != 4:
            raise CellError(
                _("%(value)s: write the year with four digits (e.g. 12.03.2021).")
                % {"value": cell_quote(original)}
            )
        # Dots are always day first; slashes and dashes follow the file's habit.
        day, month = (second, first) if month_first and separator != "." else (first, second)
        return _checked(_date(int(year), month, day, original), DAY, original)
    if match := _NUMERIC_MONTH.match(text):
        return _checked(_date(int(match[2]), int(match[1]), 1, original), MONTH, original)
    if match := _YEAR_ALONE.match(text):
        return _checked(_date(int(match[1]), 1, 1, original), YEAR, original)
    long_form = _long_form(text, original)
    if long_form is not None:
        return long_form
    raise CellError(
        _(
            "%(value)s is not a date; write it as 31.12.2021, 2021-12-31, “март 2019” or a "
            "year alone."
        )
        % {"value": cell_quote(original)}
    )


def _month_of(word: str) -> int | None:
    word = word.lower()
    for month, stems in _MONTH_STEMS.items():
        if word.startswith(stems):
            return month
    return None


def _long_form(text: str, original: Cell) -> PartialDate | None:
    """ "1 сентября 1988", "сент. 1988", "в марте 2019", "1988 жылғы 1 қыркүйек",
    "September 1, 1988" -> the date; None if the text is not such a date."""
    numbers, months = [], []
    for token in _TOKENS.findall(text.lower()):
        if token.isdecimal():
            numbers.append(token)
        elif (month := _month_of(token)) is not None:
            months.append(month)
        elif token not in _DATE_WORDS:
            return None
    years = [int(number) for number in numbers if len(number) == 4]
    days = [int(number) for number in numbers if len(number) <= 2]
    if (
        len(months) != 1
        or len(years) != 1
        or len(days) > 1
        or len(numbers) != len(years) + len(days)
    ):
        return None
    if days:
        return _checked(_date(years[0], months[0], days[0], original), DAY, original)
    return _checked(_date(years[0], months[0], 1, original), MONTH, original)


def _date(year: int, month: int, day: int, original: Cell) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise CellError(
            _("%(value)s is not a valid date.") % {"value": cell_quote(original)}
        ) from None


def _checked(date: datetime.date, precision: str, original: Cell) -> PartialDate:
    if not 1900 <= date.year <= 2100:
        raise CellError(_("%(value)s is not a plausible date.") % {"value": cell_quote(original)})
    return PartialDate(date, precision)


# --- The file's habit -----------------------------------------------------------------------

_SLASHED = re.compile(r"^\s*(\d{1,2})[/-](\d{1,2})[/-]\d{4}\b")


def date_is_ambiguous(value: Cell) -> bool:
    """Whether a cell is a slashed date whose day and month could be either (05/03/2022)."""
    if not isinstance(value, str):
        return False
    match = _SLASHED.match(value)
    return (
        match is not None and int(match[1]) <= 12 and int(match[2]) <= 12 and match[1] != match[2]
    )


@dataclass(frozen=True)
class DateHabit:
    """How a column writes slashed dates: "day_first", "month_first" or "" (it does not
    tell), and whether it holds dates that could be read either way."""

    order: str
    ambiguous: bool


def date_habit_find(values: Iterable[Cell]) -> DateHabit:
    """A column's habit: a slashed date with a first number above 12 is day first, one with
    a second number above 12 is month first; if both occur, day first."""
    day_first = month_first = ambiguous = False
    for value in values:
        if not isinstance(value, str):
            continue
        match = _SLASHED.match(value)
        if not match:
            continue
        first, second = int(match[1]), int(match[2])
        day_first |= first > 12
        month_first |= second > 12
        ambiguous |= first <= 12 and second <= 12 and first != second
    order = DAY_FIRST if day_first else MONTH_FIRST if month_first else ""
    return DateHabit(order=order, ambiguous=ambiguous and not order)
