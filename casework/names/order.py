"""Which word of a Cyrillic name is the family name, and the Latin primary name given name
first: what the importer writes for a name cell ("Жумагулов Алмат Серикович" -> "Almat
Zhumagulov"), using the same patronymic and family-name rules as casework.names.parts."""

from __future__ import annotations

import re
from collections.abc import Iterable

from casework.names.capitals import word_capitalised
from casework.names.fold import fold_token, normalise_name, transliterate
from casework.names.parts import PATRONYMIC_PARTICLES, word_family_strength, word_patronymic_kind

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")
# A cell holding a name in both scripts separates them: "Жумагулов Алмат (Almat Zhumagulov)".
NAME_SEPARATORS = re.compile(r"[/()|]")
_INITIALS = re.compile(r"^(?:[^\W\d_]{1,2}\.)+[^\W\d_]?$")

# A file's habit shows in its first names; reading more of a large file tells nothing new.
NAME_ORDER_SAMPLE = 1000


def file_name_order(values: Iterable[object], *, header: object = None) -> bool | None:
    """Whether a file writes names family name first (True), given name first (False), or
    cannot tell (None): what most of its Cyrillic names whose words show it do ("Бекова
    Динара": family first), else what the header says ("ФИО" is Фамилия Имя Отчество).
    A name like "Сейткали Даурен" shows nothing by itself; the file's habit tells."""
    family_first = given_first = 0
    for value in values:
        if not isinstance(value, str) or not _CYRILLIC.search(value):
            continue
        if NAME_SEPARATORS.search(value) or _LATIN.search(value):
            continue
        shown = _cyrillic_order_shown(value)
        if shown is True:
            family_first += 1
        elif shown is False:
            given_first += 1
        if family_first + given_first >= NAME_ORDER_SAMPLE:
            break
    if family_first != given_first:
        return family_first > given_first
    words = str(header).lower().replace(".", "").split() if header else []
    if words and (words[0] == "фио" or words[0].startswith("фамилия")):
        return True
    return None


def _cyrillic_order_shown(name: str) -> bool | None:
    _initials, kept, family = _cyrillic_layout(name)
    if family is None or len(kept) < 2:
        return None
    return family == 0


def _latin_word(word: str) -> str:
    return " ".join(word_capitalised(part) for part in transliterate(word).split())


def latin_name_from_cyrillic(name: str, *, family_first: bool | None = None) -> str:
    """A Cyrillic name -> the primary Latin name, given name first: 'Жумагулов Алмат
    Серикович' and 'Алмат Жумагулов' -> 'Almat Zhumagulov', 'Жумагулов А.С.' -> 'A. S.
    Zhumagulov'. Which word is the family name is decided by how it looks (its ending, or
    where the patronymic stands); when nothing tells, by the file's order (family_first),
    and failing that the order written is kept."""
    initials, kept, family = _cyrillic_layout(name)
    if family is None and family_first is not None and len(kept) == 2:
        family = 0 if family_first else 1
    if family is None:
        return " ".join(_latin_word(word) for word in [*initials, *kept])
    given = [word for index, word in enumerate(kept) if index != family]
    return " ".join(_latin_word(word) for word in [*given, *initials, kept[family]])


def _cyrillic_layout(name: str) -> tuple[list[str], list[str], int | None]:
    """A Cyrillic name's initials, its other words (patronymics aside), and which of those
    is the family name, when how they look tells."""
    tokens: list[str] = []
    for token in name.split():
        if tokens and fold_token(normalise_name(token)) in PATRONYMIC_PARTICLES:
            tokens[-1] = f"{tokens[-1]} {token}"
        else:
            tokens.append(token)
    initials = [
        piece + "."
        for token in tokens
        if _INITIALS.match(token)
        for piece in token.split(".")
        if piece
    ]
    words = [token for token in tokens if not _INITIALS.match(token)]
    patronymic_at = [
        index
        for index, word in enumerate(words)
        if (" " in word or word_patronymic_kind(word)) and len(words) >= 3
    ]
    if len(words) == 2 and " " in words[1]:
        patronymic_at = []  # "Алмат Серик улы": two words, the second the family name
    kept = [word for index, word in enumerate(words) if index not in patronymic_at]
    family = None
    if len(kept) == 2:
        strengths = [word_family_strength(word) for word in kept]
        if strengths[0] != strengths[1]:
            family = 0 if strengths[0] > strengths[1] else 1
        elif patronymic_at == [2]:
            family = 0  # Family Given Patronymic, as Russian lists write it
        elif patronymic_at == [1]:
            family = 1  # Given Patronymic Family
    elif len(kept) == 1 and (initials or patronymic_at):
        family = 0
    return initials, kept, family
