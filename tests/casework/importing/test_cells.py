"""A cell as the readers of every field take it: trimmed text, without the invisible
characters pasted from web pages and word processors."""

from __future__ import annotations

import datetime

import pytest

from casework.importing.cells import cell_text
from casework.models import Case, Person
from tests.casework.import_files import text_import


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("\u200b2020", "2020"),
        ("\ufeff12.03.2021\u00a0", "12.03.2021"),
        ("19\u00ad85", "1985"),
        ("\u00a0Иванов\u00a0\u00a0Иван\u2060 ", "Иванов Иван"),
        (1985, "1985"),
        (datetime.date(2021, 3, 12), "2021-03-12"),
    ],
)
def test_it_reads_a_cell_without_its_invisible_characters(written, read):
    assert cell_text(written) == read


def test_it_reads_a_date_pasted_with_a_zero_width_space(partner_user, partner_organisation):
    _run, summary = text_import(
        "ФИО;Год рождения;Дата задержания\r\nИванов Иван;\u200b1985;12.03.2021\u200b\r\n",
        partner_user,
        partner_organisation,
    )

    assert summary["errors"] == []
    assert Person.objects.get().birth_year == 1985
    assert Case.objects.get().detained_on == datetime.date(2021, 3, 12)
