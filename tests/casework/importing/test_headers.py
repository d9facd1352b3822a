"""Headers read as a person reads them: by their words, in English, Russian and Kazakh,
abbreviations understood, the more specific field winning when a header names two."""

from __future__ import annotations

import pytest

from casework.importing.headers import header_read, header_words
from casework.importing.mapping import HEADER_PHRASES, mapping_warnings


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
