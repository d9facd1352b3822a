"""Ditto marks (casework.importing.continuation.ditto_mark): '"', '-//-', 'то же' in a cell
of a row under a row of the same case say "as above", as a blank cell of a continuation row
does; nowhere else do they mean anything, and they are never stored as a value."""

from __future__ import annotations

import pytest

from casework.importing.continuation import ditto_mark
from casework.models import Case, Person, Status
from tests.casework.import_files import text_import

HEADER = "ФИО;Год рождения;Статья;Дата задержания;Статус;Приговор\n"
FIRST = "Каримов Тимур;1979;ст. 174 ч.1;12.03.2021;осужден;7 лет\n"


@pytest.mark.parametrize(
    "mark",
    ['"', '""', "〃", "-//-", "–//–", '-"-', "то же", "Тоже", "сол сияқты", "same", "do.", " “ "],
)
def test_it_reads_the_partners_ditto_marks(mark):
    assert ditto_mark(mark) is not None


@pytest.mark.parametrize("mark", ["-", "—", "нет", "Same Tim", "do", 1979, None])
def test_it_reads_no_ditto_mark_in_a_value(mark):
    assert ditto_mark(mark) is None


def test_ditto_marks_under_a_row_of_the_same_case_repeat_its_cells(
    partner_user, partner_organisation
):
    # The marks were read as values: a person named '"', a detention date '-//-' refused, a
    # status 'то же' asked about. CSV writes a cell holding '"' as four of them.
    _run, summary = text_import(
        HEADER + FIRST + '"""";〃;ст. 405 ч.2;-//-;то же;do.\n' + 'Каримов Тимур;1979;-"-;;;\n',
        partner_user,
        partner_organisation,
    )

    assert summary["errors"] == []
    case = Case.objects.get()
    assert sorted(f"{c.article}.{c.part}" for c in case.charges.all()) == ["174.1", "405.2"]
    assert (case.sentence, str(case.detained_on), case.status) == (
        "7 лет",
        "2021-03-12",
        Status.IMPRISONED,
    )
    assert Person.objects.count() == 1


@pytest.mark.parametrize(
    ("rows", "row", "column"),
    [
        ('"""";1979;ст. 174 ч.1;12.03.2021;осужден;\n', 2, "A (ФИО)"),
        (FIRST + ";;;;;\n" + "Каримов Тимур;-//-;ст. 405 ч.2;;;\n", 4, "B (Год рождения)"),
        (FIRST + 'Серікбаев Нұрлан;1985;ст. 405 ч.2;01.02.2022;"""";\n', 3, "E (Статус)"),
    ],
    ids=["first-row", "under-a-blank-row", "under-another-person"],
)
def test_it_rejects_a_ditto_mark_with_no_row_of_its_case_above(
    partner_user, partner_organisation, rows, row, column
):
    _run, summary = text_import(HEADER + rows, partner_user, partner_organisation)

    errors = [(error["row"], error["column"]) for error in summary["errors"]]
    assert (row, column) in errors
    message = next(e["message"] for e in summary["errors"] if e["row"] == row)
    assert "means “as above”" in message and "write the value itself" in message
    assert not Case.objects.exists()


def test_ditto_marks_repeat_the_row_above_in_a_sheet_without_a_charge_column(
    partner_user, partner_organisation
):
    # No charge column: the continuation rule never ran, and the marks were values.
    _run, summary = text_import(
        "ФИО;Год рождения;Дата задержания;Статус\n"
        "Каримов Тимур;1979;12.03.2021;осужден\n"
        "Каримов Тимур;〃;-//-;то же\n",
        partner_user,
        partner_organisation,
    )

    assert summary["errors"] == []
    case = Case.objects.get()
    assert (str(case.detained_on), case.status) == ("2021-03-12", Status.IMPRISONED)
    assert case.person.birth_year == 1979
