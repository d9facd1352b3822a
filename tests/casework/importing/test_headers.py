"""Headers read as a person reads them: by their words, in English, Russian and Kazakh,
abbreviations understood, the more specific field winning when a header names two."""

from __future__ import annotations

import pytest

from casework.importing.headers import header_read, header_words
from casework.importing.mapping import HEADER_PHRASES, mapping_warnings
from casework.models import ImportRun
from tests.casework.import_files import text_import


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("ФИО", "full_name"),
        ("Ф.И.О.", "full_name"),
        ("Фамилия, имя", "full_name"),
        ("Аты-жөні", "full_name"),
        ("Имя латиницей", "latin_name"),
        ("Дата рожд.", "birth"),
        ("г.р.", "birth"),
        ("д/р", "birth"),
        ("Туған күні", "birth"),
        ("Date of birth", "birth"),
        ("№ дела", "reference"),
        ("Case No.", "reference"),
        ("Статья / обвинение", "charges"),
        ("Бабы", "charges"),
        ("Дата задержания", "detained_on"),
        ("Ұсталған күні", "detained_on"),
        ("Текущее положение", "status"),
        ("Status (current)", "status"),
        ("Мәртебесі", "status"),
        ("Статус дела", "status"),
        ("Где содержится", "detention_place"),
        ("Место содержания (город)", "detention_place"),
        ("Ұстау орны", "detention_place"),
        ("Мера пресечения", "measure"),
        ("Дата приговора", "sentenced_on"),
        ("Приговор", "sentence"),
        ("Дата освобождения", "released_on"),
        ("Өңір", "region"),
        ("Примечание", "summary"),
        ("№ п/п", ""),
        ("Error", ""),
        ("Ошибка", ""),
        ("Контакты родственников", None),
        ("Гражданство", None),
        # Kazakh lists: "Т.А.Ә." is "Ф.И.О."; where a person was detained is a place, not
        # a date (read as the detention date, every row was "not a date"); the day they
        # came out to freedom is the release date.
        ("Т.А.Ә.", "full_name"),
        ("ТАӘ", "full_name"),
        ("Ұсталған орны", "detention_place"),
        ("Бостандыққа шыққан күні", "released_on"),
    ],
)
def test_it_reads_a_header_by_its_words(header, field):
    assert header_read(header, phrases=HEADER_PHRASES).field == field


def test_a_header_naming_two_fields_goes_to_the_more_specific_and_says_so():
    reading = header_read("Статус / дата задержания", phrases=HEADER_PHRASES)

    assert reading.field == "detained_on"
    assert reading.also == ("status",)


def test_it_makes_letters_written_apart_one_word_again():
    assert header_words("Ф.И.О.") == ["фио"]
    assert header_words("д/р") == ["др"]
    assert header_words("Дата рожд.") == ["дата", "рожд"]


def test_a_missing_status_column_is_a_warning_naming_what_will_be_missing():
    assert "“Unknown”" in mapping_warnings(mapping={"0": "full_name"})[0]
    assert mapping_warnings(mapping={"0": "full_name", "1": "status"}) == []
    assert mapping_warnings(mapping={"0": "full_name", "1": "measure"}) == []


def test_it_finds_the_header_below_a_title_block_of_several_rows(
    partner_user, partner_organisation
):
    _run, summary = text_import(
        "Список политзаключённых;;\r\n"
        "Организация: Бюро по правам человека;;\r\n"
        "По состоянию на 01.03.2024;;\r\n"
        "Источник: адвокаты и родственники;;\r\n"
        "Контакт: +7 701 000 00 00;;\r\n"
        ";;\r\n"
        "ФИО;Статус;Статья\r\n"
        "Иванов Иван;в СИЗО;ст. 174\r\n",
        partner_user,
        partner_organisation,
    )

    assert summary["errors"] == [] and summary["new"] == 1
    assert ImportRun.objects.get().header_row == 7


def test_it_takes_the_row_that_names_the_name_column_over_data_rows_that_read_as_headers(
    partner_user, partner_organisation
):
    # The file's own header names one column the app knows; its rows' "в СИЗО", "СИЗО-1"
    # and "ст. 174" read as three headers (detention place twice, charges).
    _run, summary = text_import(
        "ФИО;Сейчас;Где;Что вменяют\r\n"
        "Иванов Иван;в СИЗО;СИЗО-1;ст. 174\r\n"
        "Петров Пётр;в СИЗО;СИЗО-2;ст. 405\r\n",
        partner_user,
        partner_organisation,
    )

    assert ImportRun.objects.get().header_row == 1
    assert summary["new"] == 2


def test_a_title_that_names_the_names_is_not_taken_for_the_header(
    partner_user, partner_organisation
):
    # The header's name column is not recognised ("Задержанный"): the columns page lets
    # the user map it, if the header row is the header.
    text_import(
        "Список политзаключённых на 01.03.2024;;\r\n"
        "Задержанный;Статус;Дата задержания\r\n"
        "Иванов Иван;в СИЗО;12.03.2021\r\n",
        partner_user,
        partner_organisation,
    )

    assert ImportRun.objects.get().header_row == 2
