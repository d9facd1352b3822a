"""Dates as partners write them."""

from __future__ import annotations

from casework.models import Person, Status
from tests.casework.import_files import partner_file_import


def test_it_reads_dates_written_every_way(partner_user, partner_organisation):
    partner_file_import("partner_ru_cp1251.csv", partner_user, partner_organisation)

    serikbaev = Person.objects.get(native_name="Серикбаев Нурлан")
    assert serikbaev.birth_year == 1978
    case = serikbaev.cases.get()
    assert str(case.detained_on) == "2021-12-31"  # Excel serial 44561
    assert sorted((c.article, c.part) for c in case.charges.all()) == [("174", "1"), ("405", "2")]
    akhmetova = Person.objects.get(native_name="Ахметова Гульнара")
    assert akhmetova.cases.get().status == Status.HOUSE_ARREST  # from the measure of restraint
