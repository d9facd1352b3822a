"""Dates as partners write them: to the day, the month or the year; long forms in Russian,
Kazakh and English; slashed dates by the file's habit, asked about once when it does not
tell."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from casework.importing.cells import CellError
from casework.importing.dates import DateHabit, date_habit_find, partial_date_parse
from casework.importing.runs import import_file_run
from casework.models import Case, ImportRun, Person, Status
from tests.casework.import_files import partner_file_import, text_import


def test_it_reads_dates_written_every_way(partner_user, partner_organisation):
    partner_file_import("partner_ru_cp1251.csv", partner_user, partner_organisation)

    serikbaev = Person.objects.get(native_name="Серикбаев Нурлан")
    assert serikbaev.birth_year == 1978
    case = serikbaev.cases.get()
    assert str(case.detained_on) == "2021-12-31"  # Excel serial 44561
    assert sorted((c.article, c.part) for c in case.charges.all()) == [("174", "1"), ("405", "2")]
    akhmetova = Person.objects.get(native_name="Ахметова Гульнара")
    assert akhmetova.cases.get().status == Status.HOUSE_ARREST  # from the measure of restraint


@pytest.mark.parametrize(
    ("written", "date", "precision"),
    [
        ("2018", datetime.date(2018, 1, 1), "year"),
        (2018, datetime.date(2018, 1, 1), "year"),
        ("1978 г.р.", datetime.date(1978, 1, 1), "year"),
        ("1978 ж.т.", datetime.date(1978, 1, 1), "year"),
        ("1978 ж. т.", datetime.date(1978, 1, 1), "year"),
        ("1978 жылы туған", datetime.date(1978, 1, 1), "year"),
        ("1978 года рождения", datetime.date(1978, 1, 1), "year"),
        ("март 2019", datetime.date(2019, 3, 1), "month"),
        ("в марте 2019", datetime.date(2019, 3, 1), "month"),
        ("March 2019", datetime.date(2019, 3, 1), "month"),
        ("03.2019", datetime.date(2019, 3, 1), "month"),
        ("2019-03", datetime.date(2019, 3, 1), "month"),
        ("сент. 1988", datetime.date(1988, 9, 1), "month"),
        ("1 сентября 1988", datetime.date(1988, 9, 1), "day"),
        ("1 қыркүйек 1988", datetime.date(1988, 9, 1), "day"),
        ("1988 жылғы 1 қыркүйек", datetime.date(1988, 9, 1), "day"),
        ("1 September 1988", datetime.date(1988, 9, 1), "day"),
        ("September 1, 1988", datetime.date(1988, 9, 1), "day"),
        ("12.03.2021", datetime.date(2021, 3, 12), "day"),
        ("12.03.2021 г.", datetime.date(2021, 3, 12), "day"),
        ("2021-03-12", datetime.date(2021, 3, 12), "day"),
        (datetime.date(2021, 3, 12), datetime.date(2021, 3, 12), "day"),
        (44561, datetime.date(2021, 12, 31), "day"),
    ],
)
def test_it_reads_a_date_as_far_as_it_was_written(written, date, precision):
    assert partial_date_parse(written) == (date, precision)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("31.02.2022", "is not a valid date"),
        ("12.03.21", "write the year with four digits"),
        ("весной", "is not a date"),
        ("1 сентября", "is not a date"),
        ("1850", "is not a plausible date"),
        # Superscript digits are digits to str.isdigit but not to int().
        ("¹²", "is not a date"),
        ("12.03.²⁰²¹", "is not a date"),
    ],
)
def test_it_refuses_what_is_not_a_date_quoting_it(written, message):
    with pytest.raises(CellError, match=message):
        partial_date_parse(written)


def test_a_slashed_date_follows_the_file_s_habit():
    assert partial_date_parse("05/03/2022") == (datetime.date(2022, 3, 5), "day")
    assert partial_date_parse("05/03/2022", month_first=True) == (datetime.date(2022, 5, 3), "day")
    # Dots are day first whatever the habit.
    assert partial_date_parse("05.03.2022", month_first=True) == (datetime.date(2022, 3, 5), "day")


def test_a_column_s_habit_is_told_by_a_day_above_twelve():
    assert date_habit_find(["05/03/2022", "25/03/2022"]) == DateHabit(
        order="day_first", ambiguous=False
    )
    assert date_habit_find(["05/03/2022", "03/25/2022"]) == DateHabit(
        order="month_first", ambiguous=False
    )
    assert date_habit_find(["05/03/2022", "12.12.2021"]) == DateHabit(order="", ambiguous=True)


def test_a_date_known_to_the_year_ends_on_its_last_day():
    assert partial_date_parse("2019").last_day() == datetime.date(2019, 12, 31)
    assert partial_date_parse("февраль 2020").last_day() == datetime.date(2020, 2, 29)


def test_a_detention_known_to_the_year_is_recorded_with_its_precision(
    partner_user, partner_organisation
):
    _run, summary = text_import(
        "ФИО;Дата задержания;Статус;Дата освобождения\nБекова Динара;2018;освобождена;март 2018\n",
        partner_user,
        partner_organisation,
    )

    assert summary["errors"] == []
    case = Case.objects.get()
    assert (case.detained_on, case.detained_on_precision) == (datetime.date(2018, 1, 1), "year")
    assert (case.released_on, case.released_on_precision) == (datetime.date(2018, 3, 1), "month")
    # Stored with its precision, the date needs no note to say how much of it is known.
    assert "Дата задержания" not in case.summary


def test_a_release_within_the_year_of_a_detention_known_to_the_month_is_not_before_it(
    partner_user, partner_organisation
):
    _run, summary = text_import(
        "ФИО;Дата задержания;Дата освобождения\nБекова Динара;март 2019;2019\n",
        partner_user,
        partner_organisation,
    )

    assert summary["errors"] == []


def test_a_file_whose_dates_could_be_read_two_ways_asks_once_and_follows_the_answer(
    client_as_partner,
):
    data = "ФИО;Дата задержания\nБекова Динара;05/03/2022\nСеров Иван;01/02/2021\n".encode()
    client_as_partner.post("/imports/new/", {"file": SimpleUploadedFile("d.csv", data)})
    run = ImportRun.objects.get()

    page = client_as_partner.get(f"/imports/{run.pk}/preview/")
    assert "Dates that could be read two ways" in page.text
    assert "05/03/2022 read as 5 Mar 2022" in page.text

    client_as_partner.post(f"/imports/{run.pk}/date-order/", {"date_order": "month_first"})
    page = client_as_partner.get(f"/imports/{run.pk}/preview/")
    assert "05/03/2022 read as 3 May 2022" in page.text
    assert "Dates that could be read two ways" not in page.text


def test_a_column_whose_dates_tell_their_order_asks_nothing(client_as_partner):
    data = "ФИО;Дата задержания\nБекова Динара;05/03/2022\nСеров Иван;25/02/2021\n".encode()
    client_as_partner.post("/imports/new/", {"file": SimpleUploadedFile("d.csv", data)})
    run = ImportRun.objects.get()

    page = client_as_partner.get(f"/imports/{run.pk}/preview/")

    assert "Dates that could be read two ways" not in page.text


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("85", "write the year with four digits"),
        (85, "write the year with four digits"),
        ("123", "is not a plausible date"),
        (1890, "is not a plausible date"),
        (9999, "is not a plausible date"),
    ],
)
def test_it_never_reads_a_short_number_as_a_day_of_1900(written, message):
    with pytest.raises(CellError, match=message):
        partial_date_parse(written)


def test_a_birth_year_written_short_is_refused_naming_its_cell_and_nothing_is_written(
    partner_user, partner_organisation
):
    # A number in a General cell of Excel: 85 was the 85th day of 1900, 1890 a day of 1905.
    workbook = Workbook()
    workbook.active.append(["ФИО", "Год рождения", "Дата задержания"])
    workbook.active.append(["Иванов Иван", 85, 1890])
    buffer = io.BytesIO()
    workbook.save(buffer)

    run, summary = import_file_run(
        data=buffer.getvalue(),
        file_name="a.xlsx",
        organisation=partner_organisation,
        user=partner_user,
    )

    assert run.state == "failed"
    assert [(error["row"], error["column"]) for error in summary["errors"]] == [
        (2, "B (Год рождения)"),
        (2, "C (Дата задержания)"),
    ]
    assert Person.objects.count() == 0


@pytest.mark.parametrize("written", ["85", 85])
def test_it_gives_a_year_as_the_example_for_a_year_written_short(written):
    # Not "(e.g. 12.03.2021)" under "Год рождения: 85": the example is a year.
    with pytest.raises(CellError) as refused:
        partial_date_parse(written)
    assert "12.03.2021" not in str(refused.value)
    assert "1985" in str(refused.value)


def test_it_reads_a_serial_a_hair_under_a_whole_day_in_a_general_cell_as_that_day():
    assert partial_date_parse(44565.99999999999).value == datetime.date(2022, 1, 5)
    assert partial_date_parse(44566.6).value == datetime.date(2022, 1, 5)
