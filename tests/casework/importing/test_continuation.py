"""Continuation rows (casework.importing.continuation): a person listed fully on one row,
then each further charge on a row below that leaves the other cells blank, the name too or
only the rest. A blank cell there means "as above"; a filled one must agree."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

from casework.importing.runs import import_file_run
from casework.importing.skipped import run_skipped_read
from casework.models import Case, Person
from tests.casework.import_files import text_import
from tests.factories import CaseFactory, PersonFactory

HEADER = "ФИО;Год рождения;Статья;Дата задержания;Статус;Приговор\n"


def _articles(case: Case) -> list[str]:
    return sorted(f"{charge.article}.{charge.part}" for charge in case.charges.all())


def _errors(summary) -> list[tuple[int, str]]:
    return [(error["row"], error["column"]) for error in summary["errors"]]


def test_rows_below_a_person_with_only_a_charge_add_it_to_that_case(
    partner_user, partner_organisation
):
    # Row 3 leaves the name empty, row 4 repeats it: both were refused ("The person's name
    # is missing"; a second case detained on no date).
    _run, summary = text_import(
        HEADER + "Каримов Тимур;1979;ст. 174 ч.1;12.03.2021;осужден;7 лет\n"
        ";;ст. 405 ч.2;;;\n"
        "Каримов Тимур;;ст. 274 ч.3;;;\n",
        partner_user,
        partner_organisation,
    )

    assert summary["errors"] == []
    assert (summary["new"], summary["unchanged"]) == (1, 2)
    case = Case.objects.get()
    assert _articles(case) == ["174.1", "274.3", "405.2"]
    assert (case.sentence, str(case.detained_on)) == ("7 лет", "2021-03-12")
    assert Person.objects.count() == 1
    assert case.history.count() == 1


def test_a_continuation_row_leaving_the_sentence_blank_is_not_refused_at_it(
    partner_user, partner_organisation
):
    # The name and the detention date repeated, the sentence left blank: it was an error at
    # the sentence ("describes the same person and case with different values").
    _run, summary = text_import(
        HEADER + "Каримов Тимур;1979;ст. 174 ч.1;12.03.2021;осужден;7 лет\n"
        "Каримов Тимур;1979;ст. 405 ч.2;12.03.2021;;\n",
        partner_user,
        partner_organisation,
    )

    assert summary["errors"] == []
    assert _articles(Case.objects.get()) == ["174.1", "405.2"]


def test_a_continuation_row_filling_a_cell_otherwise_is_an_error_at_that_cell(
    partner_user, partner_organisation
):
    _run, summary = text_import(
        HEADER + "Каримов Тимур;1979;ст. 174 ч.1;12.03.2021;осужден;7 лет\n;;ст. 405 ч.2;;;5 лет\n",
        partner_user,
        partner_organisation,
    )

    assert _errors(summary) == [(3, "F (Приговор)")]
    assert "This row continues row 2" in summary["errors"][0]["message"]
    assert not Case.objects.exists()  # all or nothing


def test_a_nameless_row_under_no_case_row_is_refused_at_the_name(
    partner_user, partner_organisation
):
    _run, summary = text_import(
        HEADER + ";;ст. 405 ч.2;;;\n"
        "Каримов Тимур;1979;ст. 174 ч.1;12.03.2021;осужден;7 лет\n"
        "\n"
        ";;ст. 274 ч.3;;;\n",
        partner_user,
        partner_organisation,
    )

    # Row 2 is the first; row 5 is under a blank row.
    assert _errors(summary) == [(2, "A (ФИО)"), (5, "A (ФИО)")]
    assert not Case.objects.exists()


def test_a_repeated_name_with_another_detention_date_is_still_another_case(
    partner_user, partner_organisation
):
    _run, summary = text_import(
        HEADER + "Каримов Тимур;1979;ст. 174 ч.1;12.03.2021;осужден;7 лет\n"
        "Каримов Тимур;;ст. 405 ч.2;01.02.2024;;\n",
        partner_user,
        partner_organisation,
    )

    assert summary["errors"] == []
    assert Case.objects.count() == 2
    assert Person.objects.count() == 1


def test_a_continuation_of_a_row_with_an_error_is_an_error_at_its_charges(
    partner_user, partner_organisation
):
    _run, summary = text_import(
        HEADER + "Каримов Тимур;1979;ст. 174 ч.1;32.13.2021;осужден;7 лет\n;;ст. 405 ч.2;;;\n",
        partner_user,
        partner_organisation,
    )

    # Row 3's detention date is row 2's, reported once, there.
    assert _errors(summary) == [(2, "D (Дата задержания)"), (3, "C (Статья)")]
    assert "This row continues row 2, which has an error" in summary["errors"][1]["message"]


def test_a_continuation_row_adds_its_charge_to_a_recorded_case(partner_user, partner_organisation):
    person = PersonFactory(
        full_name="Timur Karimov",
        native_name="Каримов Тимур",
        birth_year=1979,
        owning_organisation=partner_organisation,
    )
    CaseFactory(person=person, owning_organisation=partner_organisation)

    _run, summary = text_import(
        "ФИО;Год рождения;Статья\nКаримов Тимур;1979;ст. 174 ч.1\n;;ст. 405 ч.2\n",
        partner_user,
        partner_organisation,
    )

    assert summary["errors"] == []
    assert (summary["updated"], summary["unchanged"]) == (1, 1)
    assert _articles(Case.objects.get()) == ["174.1", "405.2"]


def _xlsx(rows: list[list], merged: list[str]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for cells in merged:
        sheet.merge_cells(cells)
    data = io.BytesIO()
    workbook.save(data)
    return data.getvalue()


def test_an_xlsx_name_merged_down_its_charge_rows_makes_one_case(
    partner_user, partner_organisation
):
    # Excel keeps a merged cell's value in its first cell only; the importer reads it in
    # every row it covers, so rows 3 and 4 repeat the name and leave the rest blank.
    data = _xlsx(
        [
            ["ФИО", "Год рождения", "Статья", "Дата задержания", "Статус", "Приговор"],
            ["Каримов Тимур", 1979, "ст. 174 ч.1", "12.03.2021", "осужден", "7 лет"],
            [None, None, "ст. 405 ч.2", None, None, None],
            [None, None, "ст. 274 ч.3", None, None, None],
            ["Бекова Динара", 1990, "ст. 174 ч.2", "01.02.2022", "в СИЗО", None],
            [None, None, "ст. 405 ч.1", None, None, None],
        ],
        merged=["A2:A4"],
    )

    _run, summary = import_file_run(
        data=data,
        file_name="partner.xlsx",
        organisation=partner_organisation,
        user=partner_user,
    )

    assert summary["errors"] == []
    karimov = Case.objects.get(person__native_name="Каримов Тимур")
    bekova = Case.objects.get(person__native_name="Бекова Динара")
    assert _articles(karimov) == ["174.1", "274.3", "405.2"]
    assert _articles(bekova) == ["174.2", "405.1"]
    assert Case.objects.count() == 2


def test_the_answer_about_a_row_s_person_serves_its_continuation_rows(
    partner_user, partner_organisation, tokayeva
):
    # Born 1993 in the file, 1992 in the record: asked once, about row 2.
    data = "ФИО;Год рождения;Статья\nТокаева Дана;1993;ст. 174 ч.1\n;;ст. 405 ч.2\n".encode()

    def run_with(decisions):
        return import_file_run(
            data=data,
            file_name="d.csv",
            organisation=partner_organisation,
            user=partner_user,
            decisions=decisions,
        )

    _run, summary = run_with(None)
    assert summary["possible_duplicates"] == 1
    assert _errors(summary) == [(3, "C (Статья)")]
    assert "once you have said who the person of row 2 is" in summary["errors"][0]["message"]
    assert not Case.objects.exists()

    _run, summary = run_with({"2": {"choice": "same", "person_id": tokayeva.pk}})

    assert (summary["possible_duplicates"], summary["errors"]) == (0, [])
    assert _articles(Case.objects.get(person=tokayeva)) == ["174.1", "405.2"]


def test_a_continuation_row_repeating_only_the_surname_of_a_name_in_parts_continues(
    partner_user, partner_organisation
):
    _run, summary = text_import(
        "Фамилия;Имя;Год рождения;Статья;Дата задержания\n"
        "Каримов;Тимур;1979;ст. 174 ч.1;12.03.2021\n"
        "Каримов;;;ст. 405 ч.2;\n"
        "Бекова;Динара;1990;ст. 174 ч.2;01.02.2022\n"
        "Бекова;Айгуль;;ст. 405 ч.1;\n",
        partner_user,
        partner_organisation,
    )

    # Row 5 writes another given name: another person (namesakes of the family name).
    assert summary["errors"] == []
    assert _articles(Case.objects.get(person__native_name="Каримов Тимур")) == ["174.1", "405.2"]
    assert Case.objects.count() == 3


def test_a_continuation_row_filling_a_cell_its_case_row_leaves_blank_is_an_error_there(
    partner_user, partner_organisation
):
    # Row 3 gives a sentence row 2 does not: which row's is the case's is not for the
    # import to guess (it was a second case, detained on no date).
    _run, summary = text_import(
        HEADER + "Бекова Динара;1990;ст. 174 ч.2;01.02.2022;в СИЗО;\n"
        "Бекова Динара;;ст. 405 ч.1;;;5 лет\n",
        partner_user,
        partner_organisation,
    )

    assert _errors(summary) == [(3, "F (Приговор)")]
    assert "says otherwise than row 2 of its case" in summary["errors"][0]["message"]
    assert not Case.objects.exists()


def test_a_skipped_continuation_row_is_written_to_fix_with_the_cells_it_read_as_above(
    partner_user, partner_organisation
):
    run, summary = text_import(
        HEADER + "Каримов Тимур;1979;ст. 174 ч.1;12.03.2021;осужден;7 лет\n;;ст. 405 ч.2;;;5 лет\n",
        partner_user,
        partner_organisation,
        skip_invalid=True,
    )
    assert _errors(summary) == [(3, "F (Приговор)")]
    data = run_skipped_read(run=run)
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    # Its own sentence kept, to correct; the name it left blank written, so that the row
    # corrected imports on its own (it was a row without a name).
    assert rows[1][:6] == ("Каримов Тимур", "1979", "ст. 405 ч.2", "12.03.2021", "осужден", "5 лет")

    fixed = io.BytesIO()
    workbook = load_workbook(io.BytesIO(data))
    workbook.active["F2"] = "7 лет"
    workbook.save(fixed)
    _run, summary = import_file_run(
        data=fixed.getvalue(),
        file_name="fixed.xlsx",
        organisation=partner_organisation,
        user=partner_user,
    )

    assert summary["errors"] == []
    assert _articles(Case.objects.get()) == ["174.1", "405.2"]


def test_a_nameless_continuation_row_writing_another_birth_year_is_no_namesake(
    partner_user, partner_organisation
):
    # Row 3 is row 2's continuation, so its year is an error at it; it was also taken for a
    # namesake born in 1980, so that row 4, without a year, was "either of rows 2, 3".
    _run, summary = text_import(
        HEADER + "Каримов Тимур;1979;ст. 174 ч.1;12.03.2021;осужден;7 лет\n"
        ";1980;ст. 405 ч.2;;;\n"
        "Каримов Тимур;;ст. 200;01.01.2024;в СИЗО;\n",
        partner_user,
        partner_organisation,
    )

    assert _errors(summary) == [(3, "B (Год рождения)")]
