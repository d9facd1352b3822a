"""casework.names.order: the importer's Latin primary name for a Cyrillic name, decided by
the same family-name and patronymic rules as name_parts."""

from __future__ import annotations

import pytest

from casework.names import (
    file_name_order,
    latin_name_from_cyrillic,
    name_parts,
    word_family_strength,
    word_patronymic_kind,
)


@pytest.mark.parametrize(
    ("written", "latin"),
    [
        ("Жумагулов Алмат Серикович", "Almat Zhumagulov"),
        ("Алмат Жумагулов", "Almat Zhumagulov"),
        ("Иванова Марина", "Marina Ivanova"),
        ("Алмат Серик улы", "Almat Serik uly"),
        ("Жумагулов А.С.", "A. S. Zhumagulov"),
    ],
)
def test_it_writes_the_given_name_first_by_how_the_words_look(written, latin):
    assert latin_name_from_cyrillic(written) == latin


def test_it_follows_the_file_order_when_the_words_show_nothing():
    assert latin_name_from_cyrillic("Сейткали Даурен", family_first=True) == "Dauren Seytkali"
    assert file_name_order(["Бекова Динара", "Сейткали Даурен"], header="Имя") is True
    assert file_name_order(["Сейткали Даурен"], header="ФИО") is True


@pytest.mark.parametrize(
    ("word", "strength"),
    [("Жумагулов", 2), ("Ivanova", 2), ("Кусманкызы", 2), ("Марина", 1), ("Лев", 0), ("Алмат", 0)],
)
def test_it_tells_a_family_name_by_its_ending(word, strength):
    assert word_family_strength(word) == strength


def test_it_reads_patronymics_and_kazakh_particles_in_any_script():
    assert word_patronymic_kind("Сериковича") == "russian"
    assert word_patronymic_kind("Серікұлы") == "kazakh"
    assert word_patronymic_kind("Серик улы") == "kazakh"
    assert word_patronymic_kind("Алмат") == ""


def test_the_importer_and_name_parts_take_the_same_word_for_the_family_name():
    for written in ("Иванова Марина", "Марина Иванова", "Зарина Серіккызы"):
        family = latin_name_from_cyrillic(written).split()[-1]
        assert name_parts(written).family == name_parts(family).family
