"""Dates known to the day, to the month or only to the year.

Partner lists and public texts often say only "in 2018" or "March 2019". Such a date is
stored as the first day of its period plus its precision (a `<field>_precision` column
beside the date), so sorting and filtering still work, and it is shown as written, never
as an invented day. This module holds the value type, its wording in every language, the
reading of what people type in a form, and the wording of a duration that rests on one.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import re
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.conf import settings
from django.db import models
from django.utils import formats, translation
from django.utils.dates import MONTHS, MONTHS_3, MONTHS_ALT
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext_lazy


class Precision(models.TextChoices):
    DAY = "day", gettext_lazy("Day")
    MONTH = "month", gettext_lazy("Month")
    YEAR = "year", gettext_lazy("Year")


def precision_field(verbose_name: Any = None) -> models.CharField[str, str]:
    """The column that says how much of the date beside it is known."""
    return models.CharField(
        verbose_name, max_length=5, choices=Precision.choices, default=Precision.DAY
    )


# Whole phrases, one per month, so each language words a month's date its own way
# (Russian: "в марте 2019", with the month in the prepositional case).
MONTH_AND_YEAR = {
    1: pgettext_lazy("a date known to the month", "January %(year)s"),
    2: pgettext_lazy("a date known to the month", "February %(year)s"),
    3: pgettext_lazy("a date known to the month", "March %(year)s"),
    4: pgettext_lazy("a date known to the month", "April %(year)s"),
    5: pgettext_lazy("a date known to the month", "May %(year)s"),
    6: pgettext_lazy("a date known to the month", "June %(year)s"),
    7: pgettext_lazy("a date known to the month", "July %(year)s"),
    8: pgettext_lazy("a date known to the month", "August %(year)s"),
    9: pgettext_lazy("a date known to the month", "September %(year)s"),
    10: pgettext_lazy("a date known to the month", "October %(year)s"),
    11: pgettext_lazy("a date known to the month", "November %(year)s"),
    12: pgettext_lazy("a date known to the month", "December %(year)s"),
}
YEAR_ONLY = pgettext_lazy("a date known only to the year", "in %(year)s")

# Precision.values builds its list anew on every call: an import checks a date per row.
_PRECISIONS = frozenset(Precision.values)

MINIMUM_YEAR = 1900
MAXIMUM_YEAR = 2100


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the day, the month or the year; `start` is the period's first day."""

    start: datetime.date
    precision: str = Precision.DAY

    def __post_init__(self) -> None:
        if self.precision not in _PRECISIONS:
            raise ValueError(f"unknown precision {self.precision!r}")
        first = _period_start(self.start, self.precision)
        if first != self.start:
            raise ValueError(f"{self.start} is not the first day of its {self.precision}")

    @classmethod
    def of(cls, year: int, month: int | None = None, day: int | None = None) -> PartialDate:
        """The date of what is known: the year, the month of a year, or a day."""
        if day is not None and month is None:
            raise ValueError("a day needs its month")
        start = datetime.date(year, month or 1, day or 1)
        if day is not None:
            return cls(start, Precision.DAY)
        return cls(start, Precision.MONTH if month else Precision.YEAR)

    @property
    def end(self) -> datetime.date:
        """The period's last day (the day itself for a full date)."""
        if self.precision == Precision.YEAR:
            return self.start.replace(month=12, day=31)
        if self.precision == Precision.MONTH:
            last = calendar.monthrange(self.start.year, self.start.month)[1]
            return self.start.replace(day=last)
        return self.start

    @property
    def is_partial(self) -> bool:
        return self.precision != Precision.DAY

    def __str__(self) -> str:
        return partial_date_format(self.start, self.precision)


def _period_start(value: datetime.date, precision: str) -> datetime.date:
    if precision == Precision.YEAR:
        return value.replace(month=1, day=1)
    if precision == Precision.MONTH:
        return value.replace(day=1)
    return value


def partial_date_from(value: datetime.date | None, precision: str | None) -> PartialDate | None:
    """The value of a date column and its precision column (a stored date that is not the
    first day of its period, e.g. written before its precision, is read as its period)."""
    if value is None:
        return None
    precision = precision or Precision.DAY
    return PartialDate(_period_start(value, precision), precision)


def partial_dates_agree(first: PartialDate, second: PartialDate) -> bool:
    """Whether two dates may be the same day: equal, or one lies in the other's year or
    month ("2018" and "14 May 2018" agree; "2018" and "2019" do not)."""
    order = (Precision.DAY, Precision.MONTH, Precision.YEAR)
    coarser = max(first.precision, second.precision, key=order.index)
    return _period_start(first.start, coarser) == _period_start(second.start, coarser)


def partial_date_format(value: datetime.date | None, precision: str | None = None) -> str:
    """A date as people write it: "in 2018", "March 2019", "6 Dec 2026" ("" for none)."""
    if value is None:
        return ""
    if precision == Precision.YEAR:
        return YEAR_ONLY % {"year": value.year}
    if precision == Precision.MONTH:
        return MONTH_AND_YEAR[value.month] % {"year": value.year}
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def partial_date_cell(value: datetime.date | None, precision: str | None) -> datetime.date | str:
    """A spreadsheet cell: the date itself when it is known to the day (so it sorts as a
    date), else its words ("in 2018"), never an invented first of the month."""
    if value is None:
        return ""
    if precision in (Precision.YEAR, Precision.MONTH):
        return partial_date_format(value, precision)
    return value


def partial_date_of(record: object, name: str) -> PartialDate | None:
    """A record's date field `name` read with its `<name>_precision` column."""
    return partial_date_from(getattr(record, name), getattr(record, f"{name}_precision", None))


# --- Reading what people type ---------------------------------------------------------------

_NUMERIC_FORMS = (
    # (pattern, which group is year, month, day)
    (re.compile(r"(\d{4})"), (1, None, None)),
    (re.compile(r"(\d{4})-(\d{1,2})"), (1, 2, None)),
    (re.compile(r"(\d{1,2})[./](\d{4})"), (2, 1, None)),
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), (1, 2, 3)),
    (re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})"), (3, 2, 1)),
)
_WORDED_FORMS = (
    re.compile(r"(?P<month>[^\W\d_]+)\.? (?P<year>\d{4})"),
    re.compile(r"(?P<day>\d{1,2}) (?P<month>[^\W\d_]+)\.? (?P<year>\d{4})"),
    re.compile(r"(?P<month>[^\W\d_]+)\.? (?P<day>\d{1,2}),? (?P<year>\d{4})"),
    # Kazakh puts the year first: "2019 жылғы наурыз", "2019 ж. 6 наурыз".
    re.compile(r"(?P<year>\d{4}) ?(?:жылғы|ж\.?) (?P<month>[^\W\d_]+)\.?", re.IGNORECASE),
    re.compile(
        r"(?P<year>\d{4}) ?(?:жылғы|ж\.?) (?P<day>\d{1,2}) (?P<month>[^\W\d_]+)\.?",
        re.IGNORECASE,
    ),
)


@functools.cache
def _month_names() -> dict[str, int]:
    """Month names and abbreviations in every language of the site (and English), folded:
    "March", "Mar", "март", "марта", "наурыз" … → 3."""
    names: dict[str, int] = {}
    languages = {"en", *(code for code, _ in settings.LANGUAGES)}
    for language in sorted(languages):
        with translation.override(language):
            for table in (MONTHS, MONTHS_3, MONTHS_ALT):
                for number, name in table.items():
                    names.setdefault(str(name).casefold().rstrip("."), number)
    return names


# Kazakh puts the day of a dated event in the locative: "2024 жылғы 15 наурызда" (-да/-де
# after a vowel or a voiced consonant, -та/-те after a voiceless one: "қыркүйекте").
_KAZAKH_LOCATIVE = re.compile(r"(?<=[^\W\d_]{3})(?:да|де|та|те)$")


def _month_number(word: str) -> int | None:
    """The month a written month name stands for, in the locative too ("наурызда")."""
    folded = word.casefold().rstrip(".")
    month = _month_names().get(folded)
    if month is None:
        month = _month_names().get(_KAZAKH_LOCATIVE.sub("", folded))
    return month


@functools.cache
def _own_phrases() -> dict[str, int | None]:
    """How this app writes a month or a year alone (MONTH_AND_YEAR, YEAR_ONLY: "в марте
    2019", "2019 жылғы наурызда", "в 2019 году") in every language of the site, the year as
    0000, folded → the month (None: the year alone). What a page or an export shows, and
    what the form's box holds for an edit (PartialDateInput), reads back as that date."""
    phrases: dict[str, int | None] = {}
    for language in sorted({"en", *(code for code, _ in settings.LANGUAGES)}):
        with translation.override(language):
            phrases.setdefault(str(YEAR_ONLY % {"year": "0000"}).casefold(), None)
            for number, phrase in MONTH_AND_YEAR.items():
                phrases.setdefault(str(phrase % {"year": "0000"}).casefold(), number)
    return phrases


def _own_phrase_parse(cleaned: str) -> PartialDate | None:
    year = re.search(r"\d{4}", cleaned)
    if year is None:
        return None
    key = f"{cleaned[: year.start()]}0000{cleaned[year.end() :]}".casefold()
    if key not in _own_phrases():
        return None
    return _checked(int(year.group()), _own_phrases()[key], None)


def partial_date_parse(text: str) -> PartialDate:
    """What a person typed: "2018", "March 2019", "03.2019", "2019-03", "6 March 2019",
    "06.03.2019", "2019-03-06". Raises ValueError with a message fit for the form."""
    cleaned = " ".join(text.replace(",", ", ").split()).strip(" ,")
    own = _own_phrase_parse(cleaned)
    if own is not None:
        return own
    cleaned = re.sub(r"^in ", "", cleaned, flags=re.IGNORECASE)
    # The year's abbreviation as Russian and Kazakh write it: "1 марта 2021 г.", "2021 ж."
    cleaned = re.sub(r"(\d{4}) ?(?:[гж]\.?|жыл)$", r"\1", cleaned, flags=re.IGNORECASE)
    for pattern, (year_group, month_group, day_group) in _NUMERIC_FORMS:
        match = pattern.fullmatch(cleaned)
        if match:
            return _checked(
                int(match.group(year_group)),
                int(match.group(month_group)) if month_group else None,
                int(match.group(day_group)) if day_group else None,
            )
    for pattern in _WORDED_FORMS:
        match = pattern.fullmatch(cleaned.replace(",", ""))
        if match:
            month = _month_number(match.group("month"))
            if month is None:
                break
            day = match.groupdict().get("day")
            return _checked(int(match.group("year")), month, int(day) if day else None)
    raise ValueError(
        gettext(
            "Enter a date, a month or a year, for example 6.12.2019, 2019-12-06, "
            "December 2019, 12.2019 or 2019."
        )
    )


def _checked(year: int, month: int | None, day: int | None) -> PartialDate:
    if not MINIMUM_YEAR <= year <= MAXIMUM_YEAR:
        raise ValueError(
            gettext("Enter a year between %(minimum)s and %(maximum)s.")
            % {"minimum": MINIMUM_YEAR, "maximum": MAXIMUM_YEAR}
        )
    try:
        return PartialDate.of(year, month, day)
    except ValueError as error:
        raise ValueError(gettext("There is no such day or month.")) from error


class PartialDateInput(forms.TextInput):
    """A text box that shows a stored partial date as it can be typed back."""

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, datetime.date):
            value = PartialDate(value)
        if isinstance(value, PartialDate):
            if value.precision == Precision.YEAR:
                return str(value.start.year)
            if value.precision == Precision.MONTH:
                return MONTH_AND_YEAR[value.start.month] % {"year": value.start.year}
            return value.start.isoformat()
        return cast(str | None, super().format_value(value))


class PartialDateFormField(forms.Field):
    """A date of which only the year, or the month and year, may be known."""

    widget = PartialDateInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text",
            gettext_lazy("A full date, a month (March 2019, 03.2019) or a year (2018)."),
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> PartialDate | None:
        if isinstance(value, PartialDate) or value is None:
            return value
        if isinstance(value, datetime.date):
            return PartialDate(value)
        if not str(value).strip():
            return None
        try:
            return partial_date_parse(str(value))
        except ValueError as error:
            raise forms.ValidationError(str(error), code="invalid") from error

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(initial) != self.to_python(data)
        except forms.ValidationError:
            return True


def partial_dates_initial(form: forms.BaseForm, names: tuple[str, ...]) -> None:
    """Show an edited record's dates with their precision ("2018", not "2018-01-01")."""
    instance = getattr(form, "instance", None)
    if instance is None or instance.pk is None:
        return
    for name in names:
        if name in form.fields:
            form.initial[name] = partial_date_of(instance, name)


def partial_dates_split(cleaned: dict[str, Any], names: tuple[str, ...]) -> None:
    """Replace each cleaned PartialDate by its first day and add `<name>_precision`, the
    two columns it is stored in."""
    for name in names:
        if name not in cleaned:
            continue
        value = cleaned[name]
        cleaned[name] = value.start if value else None
        cleaned[f"{name}_precision"] = value.precision if value else Precision.DAY


# --- Durations ------------------------------------------------------------------------------


def partial_duration_wording(*, start: PartialDate, end: PartialDate) -> str:
    """How long from `start` to `end`: "412 days" when both are known to the day, else
    "about 3 years" / "about 5 months", from the middle of what the two periods allow."""
    if not start.is_partial and not end.is_partial:
        days = (end.start - start.start).days
        return ngettext("%(count)s day", "%(count)s days", days) % {"count": days}
    shortest = (end.start - start.end).days
    longest = (end.end - start.start).days
    middle = max((shortest + longest) / 2, 0)
    if middle >= 2 * 365.25:
        years = round(middle / 365.25)
        return ngettext("about %(count)s year", "about %(count)s years", years) % {"count": years}
    months = round(middle / (365.25 / 12))
    if months < 1:
        return gettext("less than a month")
    return ngettext("about %(count)s month", "about %(count)s months", months) % {"count": months}
