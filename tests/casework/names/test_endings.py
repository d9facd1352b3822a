"""casework.names.endings: Russian and Kazakh case endings read back to the nominative."""

from __future__ import annotations

import pytest

from casework.names import (
    kazakh_case_stems,
    text_is_kazakh_latin,
    word_forms,
    word_is_patronymic_particle,
)


@pytest.mark.parametrize(
    ("written", "stem"),
    [
        ("Әбішевтің", "Әбішев"),  # genitive
        ("Төйкенге", "Төйкен"),  # dative
        ("Клышевпен", "Клышев"),  # instrumental
        ("Абишевтен", "Абишев"),  # ablative, front vowel
        ("Жанболатқа", "Жанболат"),  # dative after a voiceless consonant
        ("Жанболатты", "Жанболат"),  # accusative
        ("Розаға", "Роза"),  # dative after a vowel
        ("Абишевтерге", "Абишев"),  # plural and dative
        ("Онлабекқызына", "Онлабекқызы"),  # dative after the possessive of -қызы
        ("Серікұлының", "Серікұлы"),  # genitive after the possessive of -ұлы
        ("Абишевтин", "Абишев"),  # typed on a Russian keyboard
    ],
)
def test_it_strips_kazakh_case_plural_and_possessive_endings(written, stem):
    assert stem in kazakh_case_stems(written)


@pytest.mark.parametrize(
    ("written", "stem"),
    [("Äbişevtiñ", "Äbişev"), ("Töikenge", "Töiken"), ("Klyşevpen", "Klyşev")],
)
def test_it_strips_kazakh_endings_in_the_latin_alphabet(written, stem):
    assert stem in kazakh_case_stems(written)


def test_it_reads_a_kazakh_form_to_the_folded_family_name():
    assert "abishev" in word_forms("Әбішевтің")
    assert "onlabekizi" in word_forms("Онлабекқызына")  # kk folds to k
    assert "abishev" in word_forms("Äbişevtiñ", kazakh_latin=True)


def test_it_leaves_latin_words_of_an_english_text_as_they_are():
    assert word_forms("Madina") == ("madina",)  # not Madi + Kazakh dative
    assert not text_is_kazakh_latin("Madina Abisheva was detained in Almaty.")
    assert text_is_kazakh_latin("Kenjebek Äbişevtiñ isi")


def test_it_reads_the_kazakh_latin_alphabet_of_2018_with_its_acute_letters():
    assert text_is_kazakh_latin("Janbolat Mamaıdyń isi")
    assert text_is_kazakh_latin("Ábishevaǵa aıyp taǵyldy")
    assert not text_is_kazakh_latin("Mr José Gómez, the rapporteur, met Ms Abisheva.")
    assert "mamai" in word_forms("Mamaıdyń", kazakh_latin=True)
    assert "abisheva" in word_forms("Ábishevaǵa", kazakh_latin=True)


def test_it_keeps_a_short_word_whole():
    assert kazakh_case_stems("Ана") == ["Ана"]


@pytest.mark.parametrize(
    "written", ["ұлы", "улы", "қызы", "кызы", "qyzy", "kyzy", "ұлын", "қызына"]
)
def test_it_knows_the_patronymic_particle_in_any_case(written):
    assert word_is_patronymic_particle(written)


def test_it_does_not_take_a_word_for_the_particle():
    assert not word_is_patronymic_particle("Улан")
