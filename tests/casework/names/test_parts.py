"""casework.names.parts and .initials: given, family, patronymic and initials, in any order."""

from __future__ import annotations

import pytest

from casework.names import (
    name_match_score,
    name_parts,
    word_heads,
)
from casework.names.parts import patronymic_father


@pytest.mark.parametrize(
    "written",
    ["Almat Zhumagulov", "ZHUMAGULOV Almat", "Zhumagulov, Almat", "Алмат Серикович Жумагулов"],
)
def test_it_finds_the_family_name_whatever_the_order(written):
    parts = name_parts(written)
    assert parts.family == "jumagulov"
    assert parts.given == ("almat",)


def test_it_reads_initials_as_written_and_ignores_russian_patronymics():
    assert name_parts("Zhumagulov A.").initials == ("a",)
    assert name_parts("Zh. Agadil").initials == ("zh",)
    assert name_parts("Ж. Агадил").initials == ("zh",)
    assert name_parts("Дж. Аблязов").initials == name_parts("Dj. Ablyazov").initials == ("dzh",)
    assert name_parts("А.С. Жумагулов").initials == ("a",)
    assert name_parts("А.С. Жумагулов").patronymic_initials == ("s",)
    assert name_parts("Almat S. Zhumagulov").patronymic_initials == ("s",)
    assert name_parts("Мухтар Кабулович Аблязов").patronymics == ("kabulovich",)


def test_it_reads_a_patronymic_in_any_russian_case():
    assert name_parts("Алмата Сериковича Жумагулова").patronymics == ("serikovicha",)
    assert name_parts("Розой Ивановной Тулетаевой").patronymics == ("ivanovnoi",)
    assert name_match_score("Алмат Сериковича Жумагулов", "Алмат Серикович Жумагулов") == 1.0


def test_it_lets_an_initial_stand_only_for_a_spelling_the_word_has():
    assert word_heads("zhanbolat") == {"zh", "z", "j"}
    assert word_heads("dulat") == {"d"}
    assert "d" in word_heads("dzhakishev")
    assert {"y", "e", "ye"} <= word_heads("elena")
    assert "j" in word_heads("yulia")


def test_it_treats_kazakh_kyzy_as_a_family_name_unless_a_third_word_is_there():
    assert name_parts("Saltanat Kusmankyzy").family == "kusmankizi"
    assert name_parts("Салтанат Кусман кызы").family == "kusmankizi"
    with_family = name_parts("Zhanbolat Dulatuly Agadil")
    assert with_family.family == "agadil"
    assert with_family.patronymics == ("dulatuli",)


@pytest.mark.parametrize(
    ("folded", "expected"),
    [
        ("bolatovich", ("bolat", "son")),
        ("bolatovicha", ("bolat", "son")),
        ("bolatuli", ("bolat", "son")),
        ("serikovna", ("serik", "daughter")),
        ("serikovnoi", ("serik", "daughter")),
        ("kusmankizi", ("kusman", "daughter")),
        ("aliev", None),
        ("ilich", None),
    ],
)
def test_it_reads_whose_child_a_patronymic_says(folded, expected):
    assert patronymic_father(folded) == expected
