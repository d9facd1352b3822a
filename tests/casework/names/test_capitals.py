"""casework.names.capitals: a name written in capitals, Latin or Cyrillic, written as a
caseworker would."""

from __future__ import annotations

import pytest

from casework.names import name_written


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("ИВАНОВ ИВАН ИВАНОВИЧ", "Иванов Иван Иванович"),
        ("ЖУМАГУЛОВ Алмат", "Жумагулов Алмат"),
        ("ZHUMAGULOV Almat", "Zhumagulov Almat"),
        ("Д'АРТАНЬЯН", "Д'Артаньян"),
        ("D'ARTAGNAN", "D'Artagnan"),
        ("АХМЕД-ОГЛЫ МАМЕД", "Ахмед-Оглы Мамед"),
        ("МАМЕДОВ АХМЕД ОГЛЫ", "Мамедов Ахмед оглы"),
        ("НҰРЛАН СЕРІК ҰЛЫ", "Нұрлан Серік ұлы"),
        ("НҰРЛАН СЕРІКҰЛЫ", "Нұрлан Серікұлы"),
        ("SALTANAT KUSMAN KYZY", "Saltanat Kusman kyzy"),
        ("ӘБІШЕВ ӘЛІБЕК", "Әбішев Әлібек"),
        ("ИВАНОВ И.И.", "Иванов И.И."),
        ("ЖУМАГУЛОВ А.С.", "Жумагулов А.С."),
        # Two capitals beside a word not in capitals are initials.
        ("Иванов ИИ", "Иванов ИИ"),
        ("Ivanov II", "Ivanov II"),
        ("ЛИ АННА", "Ли Анна"),
        ("McDONALD John", "McDONALD John"),
        ("Жумагулов Алмат", "Жумагулов Алмат"),
    ],
)
def test_it_writes_a_name_in_capitals_as_a_caseworker_would_in_either_script(written, expected):
    assert name_written(written) == expected
