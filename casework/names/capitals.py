"""A name written in capitals, as a caseworker would write it: one rule for Latin and
Cyrillic ("ИВАНОВ ИВАН ИВАНОВИЧ" -> "Иванов Иван Иванович", "ZHUMAGULOV Almat" ->
"Zhumagulov Almat"); the Latin name transliterated from a Cyrillic one is written by the same
rule (casework.names.order).

A word of capitals has each piece between a hyphen or an apostrophe capitalised
("Д'АРТАНЬЯН" -> "Д'Артаньян", "АХМЕД-ОГЛЫ" -> "Ахмед-Оглы", "СЕРІКҰЛЫ" -> "Серікұлы"); a
one-letter piece stays a capital ("А.С.", "D'"). A "son of" / "daughter of" written as a
word of its own is written small, as Kazakh and Azerbaijani write it ("СЕРІК ҰЛЫ" -> "Серік
ұлы", "МАМЕДОВ АХМЕД ОГЛЫ" -> "Мамедов Ахмед оглы"). Two capitals without dots beside a word
that is not in capitals are initials and stay ("Иванов ИИ"); in a name all in capitals they
cannot be told from a short name ("ЛИ АННА" -> "Ли Анна") and are capitalised. A word not all
in capitals is kept as written ("McDonald", "Жумагулов").
"""

from __future__ import annotations

import re

from casework.names.endings import word_is_patronymic_particle

# A word's pieces and what joins them: "Д", "'", "АРТАНЬЯН".
_PIECES = re.compile(r"([-'’.])")


def _in_capitals(word: str) -> bool:
    letters = [char for char in word if char.isalpha()]
    return len(letters) >= 2 and all(map(str.isupper, letters))


def word_capitalised(word: str) -> str:
    """A word as a name writes it: each piece capitalised ("д'артаньян" -> "Д'Артаньян"), a
    "son of" / "daughter of" of its own small ("ҰЛЫ" -> "ұлы")."""
    if word_is_patronymic_particle(word):
        return word.lower()
    return "".join(piece[:1].upper() + piece[1:].lower() for piece in _PIECES.split(word))


def name_written(name: str) -> str:
    """The name with its words in capitals written as a caseworker would (see the module);
    the rest as written."""
    words = name.split()
    shouting = [_in_capitals(word) for word in words]
    if not any(shouting):
        return name
    all_shouting = all(shouting)
    return " ".join(
        word_capitalised(word)
        if in_capitals and (all_shouting or sum(char.isalpha() for char in word) > 2)
        else word
        for word, in_capitals in zip(words, shouting, strict=True)
    )
