"""Characters that make a name display as another, on the import path: the person form's
rules (casework.names.name_clean, common.text), the same for every path."""

from __future__ import annotations

from casework.models import Person
from tests.casework.import_files import text_import


def test_it_refuses_a_name_with_a_right_to_left_override_naming_the_character(
    partner_user, partner_organisation
):
    _run, summary = text_import(
        "ФИО;Статус\nЖумагулов\u202eАлмат;осуждён\n", partner_user, partner_organisation
    )

    assert summary["new"] == 0
    (error,) = summary["errors"]
    assert error["row"] == 2
    assert "U+202E" in error["message"]
    assert not Person.objects.exists()


def test_it_strips_a_soft_hyphen_and_a_zero_width_space_from_a_name(
    partner_user, partner_organisation
):
    _run, summary = text_import(
        "ФИО;Статус\nЖума\u00adгулов Ал\u200bмат;осуждён\n", partner_user, partner_organisation
    )

    assert summary["errors"] == []
    assert Person.objects.get().native_name == "Жумагулов Алмат"


def test_it_refuses_a_name_that_would_run_as_a_formula(partner_user, partner_organisation):
    _run, summary = text_import(
        'ФИО;Статус\n=HYPERLINK("x");осуждён\n', partner_user, partner_organisation
    )

    assert "must begin with a letter" in summary["errors"][0]["message"]


def test_it_refuses_a_birth_year_the_person_form_refuses(partner_user, partner_organisation):
    _run, summary = text_import(
        "ФИО;Год рождения;Статус\nЖумагулов Алмат;1899;осуждён\n",
        partner_user,
        partner_organisation,
    )

    (error,) = summary["errors"]
    assert (error["row"], error["column"]) == (2, "B (Год рождения)")
    assert not Person.objects.exists()


def test_it_reads_latin_look_alikes_in_a_cyrillic_name_as_the_cyrillic_letters_shown(
    partner_user, partner_organisation
):
    # "Пeтpов" with a Latin e and p (a keyboard left in the English layout) read
    # "Petpov", another name, which no later spelling of Петров matched.
    _run, summary = text_import(
        "ФИО;Статус\nПeтpов Пётр Ивaнович;осуждён\n", partner_user, partner_organisation
    )

    assert summary["errors"] == []
    person = Person.objects.get()
    assert (person.full_name, person.native_name) == ("Petr Petrov", "Петров Пётр Иванович")
