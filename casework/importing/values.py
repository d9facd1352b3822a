"""Cell values as partners write them -> the values the models hold: names, gender,
occupation and free text (dates, status words and charges have modules of their own). Each
function returns the value or raises CellError with a message that quotes what was written."""

from __future__ import annotations

import re
from dataclasses import dataclass

from casework.exports import FORMULA_TRIGGERS
from casework.importing.cells import Cell, CellError, cell_text, word_normalise
from casework.importing.cells import cell_quote as _quote
from casework.models import Person
from casework.names import transliterate

__all__ = [
    "CellError",
    "ParsedName",
    "cell_text",
    "file_name_order",
    "gender_parse",
    "name_parse",
    "occupation_parse",
    "text_parse",
]

# --- Gender and occupation --------------------------------------------------------------------

_GENDER_WORDS = {
    "м": "male",
    "муж": "male",
    "мужской": "male",
    "male": "male",
    "m": "male",
    "man": "male",
    "ж": "female",
    "жен": "female",
    "женский": "female",
    "female": "female",
    "f": "female",
    "woman": "female",
}

_OCCUPATION_WORDS = {
    "журналист": "journalist",
    "журналистка": "journalist",
    "journalist": "journalist",
    "активист": "activist",
    "активистка": "activist",
    "гражданский активист": "activist",
    "activist": "activist",
    "блогер": "blogger",
    "блогерша": "blogger",
    "blogger": "blogger",
    "адвокат": "lawyer",
    "юрист": "lawyer",
    "lawyer": "lawyer",
    "правозащитник": "human_rights_defender",
    "правозащитница": "human_rights_defender",
    "human rights defender": "human_rights_defender",
    "профсоюзный активист": "trade_unionist",
    "trade unionist": "trade_unionist",
    "верующий": "religious_believer",
    "верующая": "religious_believer",
    "religious believer": "religious_believer",
    "политик": "politician",
    "politician": "politician",
    "предприниматель": "businessperson",
    "businessperson": "businessperson",
    "другое": "other",
    "other": "other",
}


def gender_parse(value: Cell) -> str:
    text = word_normalise(cell_text(value))
    if not text:
        return ""
    if text not in _GENDER_WORDS:
        raise CellError(f"The gender {_quote(value)} is not known; write М/Ж or male/female.")
    return _GENDER_WORDS[text]


def occupation_parse(value: Cell) -> str:
    text = word_normalise(cell_text(value))
    if not text:
        return ""
    code = _OCCUPATION_WORDS.get(text) or (
        text.replace(" ", "_") if text.replace(" ", "_") in Person.Occupation.values else None
    )
    if code is None:
        raise CellError(
            f"The occupation {_quote(value)} is not known; write e.g. журналист, активист, "
            "блогер, правозащитник, journalist, activist."
        )
    return code


# --- Names ------------------------------------------------------------------------------------

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_TWO_LETTERS = re.compile(r"[^\W\d_].*[^\W\d_]", re.DOTALL)
_NAME_SEPARATORS = re.compile(r"[/()|]")
# Endings of a transliterated word (ұ, у -> u; қ, к -> k; ы -> y; і -> i) that make it a
# patronymic: Russian -ович/-овна…, Kazakh -ұлы/-улы/-қызы/-кызы, Kyrgyz -уулу, -оглы.
_PATRONYMIC_ENDINGS = ("ovich", "evich", "ich", "ovna", "evna", "ichna", "inichna", "uly",
                       "kyzy", "uulu", "ogly", "kizi", "uli")  # fmt: skip
# "Серик улы", "Серік қызы": the particle written apart belongs to the word before it.
_PATRONYMIC_PARTICLES = frozenset({"uly", "kyzy", "uulu", "ogly", "kizi", "uli"})
# Endings that make a transliterated word look like a family name, strongest first: a word
# with a strong ending is the family name beside one with a weak ending (Иванова Марина).
_SURNAME_STRONG = ("ova", "eva", "yova", "ov", "ev", "yov", "skiy", "skii", "sky", "skaya",
                   "tskiy", "tskaya", "enko", "uly", "kyzy", "bayev", "bayeva", "baev")  # fmt: skip
_SURNAME_WEAK = ("in", "ina", "yn", "yna", "uk", "yuk", "ko", "oy", "iy", "dze", "shvili",
                 "yan", "ian", "ants")  # fmt: skip
_INITIALS = re.compile(r"^(?:[^\W\d_]{1,2}\.)+[^\W\d_]?$")


@dataclass(frozen=True)
class ParsedName:
    full_name: str  # Latin script
    native_name: str  # as written in Cyrillic, or ""


def name_parse(
    value: Cell, latin_value: Cell = None, *, family_first: bool | None = None
) -> ParsedName:
    """A name cell in Cyrillic and/or Latin ("Жумагулов Алмат Серикович", "ZHUMAGULOV Almat",
    "Жумагулов Алмат (Almat Zhumagulov)") -> a Latin primary name and a native name.
    family_first: the order the file writes its names in (file_name_order), for a Cyrillic
    name whose words do not show which is the family name."""
    text = cell_text(value)
    latin_text = cell_text(latin_value) if latin_value is not None else ""
    for candidate in (text, latin_text):
        if candidate.startswith(FORMULA_TRIGGERS):
            raise CellError(f"{_quote(candidate)} looks like a spreadsheet formula, not a name.")
    if not text and not latin_text:
        raise CellError("The name is empty.")
    if _NAME_SEPARATORS.search(text):
        parts = [part.strip() for part in _NAME_SEPARATORS.split(text) if part.strip()]
        cyrillic = " ".join(part for part in parts if _CYRILLIC.search(part))
        latin = latin_text or " ".join(part for part in parts if not _CYRILLIC.search(part))
    elif _CYRILLIC.search(text):
        cyrillic, latin = text, latin_text
    else:
        cyrillic, latin = "", latin_text or text
    if latin and _CYRILLIC.search(latin):
        raise CellError(f"{_quote(latin)} should be in Latin letters.")
    for name in (cyrillic, latin):
        if name and not _TWO_LETTERS.search(name):
            raise CellError(f"{_quote(name)} is not a name.")
        if len(name) > 200:
            raise CellError("The name is longer than 200 characters.")
    full_name = (
        _title_if_shouting(latin)
        if latin
        else _latin_from_cyrillic(cyrillic, family_first=family_first)
    )
    return ParsedName(full_name=full_name, native_name=cyrillic)


# A file's habit shows in its first names; reading more of a large file tells nothing new.
NAME_ORDER_SAMPLE = 1000


def file_name_order(values: list[Cell], *, header: Cell = None) -> bool | None:
    """Whether a file writes names family name first (True), given name first (False), or
    cannot tell (None): what most of its Cyrillic names whose words show it do ("Бекова
    Динара": family first), else what the header says ("ФИО" is Фамилия Имя Отчество).
    A name like "Сейткали Даурен" shows nothing by itself; the file's habit tells."""
    family_first = given_first = 0
    for value in values:
        if not isinstance(value, str) or not _CYRILLIC.search(value):
            continue
        if _NAME_SEPARATORS.search(value) or _LATIN.search(value):
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
    words = cell_text(header).lower().replace(".", "").split() if header else []
    if words and (words[0] == "фио" or words[0].startswith("фамилия")):
        return True
    return None


def _cyrillic_order_shown(name: str) -> bool | None:
    _initials, kept, family = _cyrillic_layout(name)
    if family is None or len(kept) < 2:
        return None
    return family == 0


def _title_if_shouting(name: str) -> str:
    return " ".join(
        token.title() if token.isupper() and len(token) > 1 else token for token in name.split()
    )


def _surname_strength(word: str) -> int:
    """2 for a word that looks like a family name, 1 if it may be one, 0 if not."""
    latin = transliterate(word)
    for strength, endings in ((2, _SURNAME_STRONG), (1, _SURNAME_WEAK)):
        # A short word ending in -ев is a given name (Лев), not a family name.
        if any(latin.endswith(ending) and len(latin) >= len(ending) + 3 for ending in endings):
            return strength
    return 0


def _is_patronymic(word: str) -> bool:
    latin = transliterate(word)
    return len(latin) > 5 and latin.endswith(_PATRONYMIC_ENDINGS)


def _latin_word(word: str) -> str:
    return " ".join(
        "-".join(piece.capitalize() for piece in part.split("-"))
        for part in transliterate(word).split()
    )


def _latin_from_cyrillic(name: str, *, family_first: bool | None = None) -> str:
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
        if transliterate(token) in _PATRONYMIC_PARTICLES and tokens:
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
        if (" " in word or _is_patronymic(word)) and len(words) >= 3
    ]
    if len(words) == 2 and " " in words[1]:
        patronymic_at = []  # "Алмат Серик улы": two words, the second the family name
    kept = [word for index, word in enumerate(words) if index not in patronymic_at]
    family = None
    if len(kept) == 2:
        strengths = [_surname_strength(word) for word in kept]
        if strengths[0] != strengths[1]:
            family = 0 if strengths[0] > strengths[1] else 1
        elif patronymic_at == [2]:
            family = 0  # Family Given Patronymic, as Russian lists write it
        elif patronymic_at == [1]:
            family = 1  # Given Patronymic Family
    elif len(kept) == 1 and (initials or patronymic_at):
        family = 0
    return initials, kept, family


def text_parse(value: Cell, *, max_length: int | None = None) -> str:
    """Free text kept as written (a leading '=' included: it is stored as text, never run)."""
    text = "" if value is None else cell_text(value) if not isinstance(value, str) else value
    text = text.replace("\r\n", "\n").replace("\xa0", " ").strip()
    if max_length is not None and len(text) > max_length:
        raise CellError(f"The text is longer than {max_length} characters.")
    return text
