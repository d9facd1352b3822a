"""casework.partial_dates: dates known to the day, the month or the year."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from casework.partial_dates import (
    PartialDate,
    PartialDateFormField,
    PartialDateInput,
    Precision,
    partial_date_cell,
    partial_date_format,
    partial_date_from,
    partial_date_parse,
    partial_duration_wording,
)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2018", PartialDate.of(2018)),
        ("in 2018", PartialDate.of(2018)),
        ("March 2019", PartialDate.of(2019, 3)),
        ("mar. 2019", PartialDate.of(2019, 3)),
        ("03.2019", PartialDate.of(2019, 3)),
        ("3/2019", PartialDate.of(2019, 3)),
        ("2019-03", PartialDate.of(2019, 3)),
        ("2019-03-06", PartialDate.of(2019, 3, 6)),
        ("06.03.2019", PartialDate.of(2019, 3, 6)),
        ("6 March 2019", PartialDate.of(2019, 3, 6)),
        ("March 6, 2019", PartialDate.of(2019, 3, 6)),
        ("март 2019", PartialDate.of(2019, 3)),
        ("1 сентября 1988", PartialDate.of(1988, 9, 1)),
    ],
)
def test_it_reads_dates_as_people_type_them(typed, expected):
    assert partial_date_parse(typed) == expected


@pytest.mark.parametrize("typed", ["Marchember 2019", "31.02.2019", "13.2019", "1800", "soon"])
def test_it_refuses_what_is_not_a_date_with_a_message_saying_what_to_type(typed):
    with pytest.raises(ValueError, match=r"Enter a|no such day"):
        partial_date_parse(typed)


def test_a_partial_date_holds_its_periods_first_day_and_knows_its_last():
    march = PartialDate.of(2019, 3)
    year = PartialDate.of(2020)

    assert (march.start, march.end) == (datetime.date(2019, 3, 1), datetime.date(2019, 3, 31))
    assert (year.start, year.end) == (datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))
    assert PartialDate.of(2024, 2).end == datetime.date(2024, 2, 29)


def test_a_stored_date_is_read_as_the_period_its_precision_says():
    assert partial_date_from(datetime.date(2018, 5, 17), Precision.YEAR) == PartialDate.of(2018)
    assert partial_date_from(None, Precision.YEAR) is None


@pytest.mark.parametrize(
    ("value", "precision", "english", "russian"),
    [
        (datetime.date(2018, 1, 1), Precision.YEAR, "in 2018", "в 2018 году"),
        (datetime.date(2019, 3, 1), Precision.MONTH, "March 2019", "в марте 2019"),
        (datetime.date(2026, 12, 6), Precision.DAY, "6 Dec 2026", "6 дек. 2026"),
    ],
)
def test_it_words_a_date_as_written_in_english_and_russian(value, precision, english, russian):
    with translation.override("en"):
        assert partial_date_format(value, precision) == english
    with translation.override("ru"):
        assert partial_date_format(value, precision) == russian


def test_a_spreadsheet_cell_keeps_a_full_date_and_words_a_partial_one():
    assert partial_date_cell(datetime.date(2019, 3, 6), Precision.DAY) == datetime.date(2019, 3, 6)
    assert partial_date_cell(datetime.date(2019, 3, 1), Precision.MONTH) == "March 2019"


def test_a_duration_between_full_dates_is_exact_in_days():
    wording = partial_duration_wording(
        start=PartialDate.of(2021, 2, 11), end=PartialDate.of(2021, 3, 13)
    )

    assert wording == "30 days"


def test_a_duration_resting_on_a_partial_date_is_about_so_many_years():
    start = PartialDate.of(2018)
    end = PartialDate.of(2021, 2, 11)

    assert partial_duration_wording(start=start, end=end) == "about 3 years"
    with translation.override("ru"):
        assert partial_duration_wording(start=start, end=end) == "около 3 лет"


def test_a_short_duration_resting_on_a_month_is_about_so_many_months():
    wording = partial_duration_wording(start=PartialDate.of(2019, 3), end=PartialDate.of(2019, 8))

    assert wording == "about 5 months"


def test_the_form_field_gives_a_partial_date_and_a_clear_error():
    field = PartialDateFormField(required=False)

    assert field.clean("03.2019") == PartialDate.of(2019, 3)
    assert field.clean("") is None
    with pytest.raises(Exception, match="Enter a date, a month or a year"):
        field.clean("next spring")


def test_the_form_field_shows_a_stored_partial_date_as_it_can_be_typed_back():
    field = PartialDateFormField(required=False)

    for value in (PartialDate.of(2018), PartialDate.of(2019, 3), PartialDate.of(2019, 3, 6)):
        shown = field.widget.format_value(value)
        assert field.clean(shown) == value
    assert field.widget.format_value(PartialDate.of(2019, 3)) == "March 2019"
    assert not field.has_changed(PartialDate.of(2018), "2018")
    assert field.has_changed(PartialDate.of(2018), "2019")


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_it_reads_back_a_month_or_a_year_as_the_app_writes_it(language):
    # The edit form's box shows a stored month in words ("в марте 2021", "2021 жылғы
    # наурызда"): saved unchanged, it must read as the same month.
    with translation.override(language):
        for value in (PartialDate.of(2021, 3), PartialDate.of(2019, 12), PartialDate.of(2018)):
            assert partial_date_parse(str(value)) == value
            assert partial_date_parse(PartialDateInput().format_value(value)) == value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021 г.", PartialDate.of(2021)),
        ("март 2021 г.", PartialDate.of(2021, 3)),
        ("1 марта 2021 г.", PartialDate.of(2021, 3, 1)),
        ("06.03.2021 г", PartialDate.of(2021, 3, 6)),
        ("2021 ж.", PartialDate.of(2021)),
    ],
)
def test_it_reads_a_year_written_with_its_russian_or_kazakh_abbreviation(text, expected):
    assert partial_date_parse(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024 жылғы наурыз", PartialDate.of(2024, 3)),
        ("2024 ж. наурыз", PartialDate.of(2024, 3)),
        ("2024 жылғы 15 наурыз", PartialDate.of(2024, 3, 15)),
        ("2024 ж. 15 қараша", PartialDate.of(2024, 11, 15)),
        ("2024 жыл", PartialDate.of(2024)),
        ("2024 жылғы 15 наурызда", PartialDate.of(2024, 3, 15)),
        ("2024 ж. 3 қыркүйекте", PartialDate.of(2024, 9, 3)),
        ("2024 жылғы 1 мамырда", PartialDate.of(2024, 5, 1)),
    ],
)
def test_it_reads_a_kazakh_date_written_year_first(text, expected):
    assert partial_date_parse(text) == expected
