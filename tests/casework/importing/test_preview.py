"""The preview a person can check: what each row will do in words, the counts of new people
and of new cases of known people, changes in human labels, and for new rows what was read
from which cell."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from casework.models import Confidentiality, DetentionPlace, ImportRun, Status
from casework.status import case_change_status
from tests.factories import CaseFactory, PersonFactory


def _preview(client, text: str):
    client.post("/imports/new/", {"file": SimpleUploadedFile("p.csv", text.encode())})
    run = ImportRun.objects.latest("pk")
    return run, client.get(f"/imports/{run.pk}/preview/")


def test_a_row_for_a_known_person_says_it_is_a_new_case_of_the_partner(client_as_partner, host):
    person = PersonFactory(full_name="Almat Zhumagulov", birth_year=1985, owning_organisation=host)
    CaseFactory(person=person, owning_organisation=host, confidentiality=Confidentiality.PUBLIC)

    run, page = _preview(
        client_as_partner,
        "ФИО;Год рождения;Статус\nЖумагулов Алмат;1985;осужден\nБекова Динара;1990;в СИЗО\n",
    )

    assert "Known person — new case for your organisation" in page.text
    assert "New person" in page.text
    run.refresh_from_db()
    assert (run.count_new, run.count_new_people, run.count_linked_people) == (2, 1, 1)
    assert "1 new person" in page.text and "1 new case of a known person" in page.text


def test_a_new_row_shows_what_was_read_beside_the_cell_it_came_from(client_as_partner):
    _run, page = _preview(
        client_as_partner,
        "ФИО;Дата рожд.;Статья;Дата задержания;Статус\n"
        "Бекова Динара Маратовна;1 сентября 1988;ст. 174 ч.1 УК РК;март 2019;освобождена по УДО\n",
    )

    assert "Dinara Bekova (family name: Bekova)" in page.text
    assert "1 Sep 1988" in page.text and "← “1 сентября 1988”" in page.text
    assert "art. 174 part 1" in page.text
    assert "March 2019" in page.text and "← “март 2019”" in page.text
    assert "Released" in page.text and "← “освобождена по УДО”" in page.text


def test_changes_are_shown_in_human_labels(client_as_partner, partner_organisation):
    person = PersonFactory(
        full_name="Dinara Bekova", birth_year=1990, owning_organisation=partner_organisation
    )
    old_place = DetentionPlace.objects.create(name="СИЗО-1", region="Almaty")
    new_place = DetentionPlace.objects.create(name="ИК-158/2", region="Petropavlovsk")
    CaseFactory(
        person=person,
        owning_organisation=partner_organisation,
        status=Status.PRETRIAL_DETENTION,
        detention_place=old_place,
        detained_on=datetime.date(2021, 3, 12),
    )

    _run, page = _preview(
        client_as_partner,
        "ФИО;Год рождения;Дата задержания;Статус;Место содержания\n"
        f"Бекова Динара;1990;12.03.2021;осуждена;{new_place.name}\n",
    )

    assert "Status: Pre-trial detention → Imprisoned" in page.text
    assert "Detention place: СИЗО-1, Almaty → ИК-158/2, Petropavlovsk" in page.text
    assert "pretrial_detention" not in page.text


def test_rows_of_one_case_differing_only_in_the_charge_preview_as_one_new_case(
    client_as_partner,
):
    run, page = _preview(
        client_as_partner,
        "ФИО;Год рождения;Статья;Статус\n"
        "Каримов Тимур;1979;ст. 174 ч.1;в СИЗО\n"
        "Каримов Тимур;1979;ст. 405 ч.2;в СИЗО\n",
    )

    run.refresh_from_db()
    assert (run.count_new, run.count_errors) == (1, 0)
    assert "Charges added to the case of row 2" in page.text
    assert "Row 3 adds the charges art. 405 part 2." in page.text
    assert "art. 174 part 1, art. 405 part 2" in page.text


def test_a_status_dated_before_the_case_s_current_one_previews_as_a_past_timeline_entry(
    client_as_partner, partner_organisation
):
    person = PersonFactory(
        full_name="Dinara Bekova", birth_year=1990, owning_organisation=partner_organisation
    )
    case = CaseFactory(
        person=person,
        owning_organisation=partner_organisation,
        detained_on=datetime.date(2022, 3, 1),
    )
    case_change_status(case=case, status=Status.IMPRISONED, on=datetime.date(2024, 1, 1))

    _run, page = _preview(
        client_as_partner,
        "ФИО;Год рождения;Статус;Дата освобождения\nБекова Динара;1990;освобождена;05.05.2023\n",
    )

    assert (
        "Status Released: recorded in the timeline at 5 May 2023; the current status stays "
        "Imprisoned" in page.text
    )
    assert "Imprisoned → Released" not in page.text


def test_the_preview_says_which_row_a_continuation_row_continues(client_as_partner):
    run, page = _preview(
        client_as_partner,
        "ФИО;Год рождения;Статья;Статус\n"
        "Каримов Тимур;1979;ст. 174 ч.1;в СИЗО\n"
        ";;ст. 405 ч.2;\n"
        ";;ст. 274 ч.3;\n"
        ";;ст. 174 ч.1;\n",
    )

    run.refresh_from_db()
    assert (run.count_new, run.count_unchanged, run.count_errors) == (1, 3, 0)
    assert "Continues row 4: the case of row 2 already has its charges." in page.text
    assert "Continues row 2" in page.text
    assert "Continues row 3: adds the charge art. 274 part 3 to the case of row 2." in page.text
    assert "Row 3 continues row 2: adds the charge art. 405 part 2." in page.text
    assert "Row 4 continues row 3: adds the charge art. 274 part 3." in page.text
