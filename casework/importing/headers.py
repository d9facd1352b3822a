"""Which field a spreadsheet header names, read as a person reads it: in English, Russian or
Kazakh, by its words rather than by an exact phrase, with abbreviations ("Дата рожд.",
"Ф.И.О.", "г.р.", "д/р", "№ дела") understood.

A header is recognised in two ways, the first that answers wins: as a whole (a phrase of
HEADER_PHRASES, after header_normalise), or by its words (FIELD_SIGNS): a field is named
when the header holds a word of each of the field's concepts ("Дата" and "задержания";
"Место" and "содержания"), whatever else it holds ("Текущее положение", "Где содержится",
"Статья / обвинение", "Status (current)"). When a header holds the words of two fields
("Статус / дата задержания"), the more specific wins (the one whose sign has more
concepts; on a tie, the order of FIELD_SIGNS), and the others are reported, so that the
mapping page can say so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The header is looked for in so many rows that hold something, from the top: as many as
# the readers take beyond the row limit (casework.importing.cells.rows_limit).
HEADER_ROWS_SEARCHED = 10

# A word of one of these, for dates and years, makes a date field's sign more specific.
_DATE = "дата date число күні күн day когда when"
_YEAR = "год года year жылы жыл"
# Words that qualify a header rather than name a field ("Задержание" over "дата").
HEADER_QUALIFIERS = frozenset(f"{_DATE} {_YEAR}".split())

# Field -> its signs; a sign is concepts that must all be present, each a space-separated
# set of words, where "word*" stands for every word that starts so.
FIELD_SIGNS: dict[str, list[tuple[str, ...]]] = {
    "detained_on": [
        (_DATE, "задерж* арест* detain* detention arrest* ұстал* қамау*"),
        ("задерж* арест* detain* arrest* ұсталған",),
    ],
    "sentenced_on": [(_DATE, "приговор* осужд* sentence* sentencing verdict үкім* соттал*")],
    "released_on": [
        (_DATE, "освобожд* освобожден* release* freed босат* бостандыққа"),
        ("освобожд* освобожден* released release босатылған",),
    ],
    "latin_name": [
        (
            "фио имя имена name names фамилия аты",
            "латин* latin* english англ* transliter* транслит* латын*",
        ),
    ],
    "measure": [
        ("мера меры measure measures", "пресеч* restraint preventive бұлтартпау*"),
        ("пресеч* restraint бұлтартпау*",),
    ],
    "detention_place": [
        (
            "мест* place location орн* орны where где",
            "содерж* заключ* лишени* detention custody imprisonment held ұстау* қамау* "
            "ұсталған жазасын отбыв*",
        ),
        ("содерж* учрежден* сизо колони* prison* facility jail изолятор* түрме* мекеме*",),
    ],
    "status": [
        ("статус* положени* status situation state мәртеб* жағдай* состояни* ситуаци*",),
    ],
    "charges": [
        (
            "статья статьи статей статье ст обвин* charge* article articles art ук кодекс* "
            "бап бабы баптар айып* квалификаци*",
        ),
    ],
    "sentence": [("приговор* срок срока наказани* sentence* verdict punishment term үкім* жаза*",)],
    "birth": [
        (_DATE, "рожд* birth* born туған* туылған*"),
        (_YEAR, "рожд* birth* born туған* туылған*"),
        ("рожд* birth* born туған* туылған* dob др гр",),
    ],
    "gender": [("пол gender sex жыныс*",)],
    "full_name": [
        (
            "фио таә фамилия* имя name names fullname аты person prisoner* заключенн* "
            "политзаключ* тұлға",
        ),
    ],
    "reference": [
        ("№ номер number no nr id код нөмір* нөмірі", "дело дела делу case cases іс істің ісі"),
        ("дело дела делу reference ref іс істің",),
    ],
    "region": [
        ("регион* област* город region* oblast province city өңір* облыс* қала* населенн*",),
    ],
    "occupation": [
        ("занят* деятельн* професс* occupation profession job work кәсіб* мамандығ* қызмет*",),
    ],
    "summary": [
        (
            "примечан* коммент* описан* note notes comment* summary description remarks "
            "ескерт* дополн* информац* подробн* details түсінік*",
        ),
    ],
}

# Whole headers that mean a row number or a column a file adds for itself (an "Error"
# column of a sheet of skipped rows): recognised, and knowingly ignored.
IGNORED_HEADERS = frozenset(
    {
        "№",
        "n",
        "no",
        "#",
        "№ п п",
        "п п",
        "пп",
        "nr",
        "number",
        "row",
        "р с",
        "рс",
        "error",
        "errors",
        "ошибка",
        "ошибки",
        "қате",
    }
)

_HEADER_NOISE = re.compile(r"[^\w№#]+", re.UNICODE)
_WORDS = re.compile(r"[\w№#]+", re.UNICODE)


def header_normalise(header: object) -> str:
    """A header as it is remembered and compared whole: lower case, "ё" as "е", punctuation
    as single spaces."""
    # Only the start matters, and a hostile 10 MB cell must not cost a regex pass.
    text = "" if header is None else str(header)[:300]
    text = text.lower().replace("ё", "е").replace("_", " ")
    return _HEADER_NOISE.sub(" ", text).strip()[:200]


def header_words(header: object) -> list[str]:
    """The words of a header, with an abbreviation written as single letters apart made one
    word again: "Ф.И.О." -> ["фио"], "д/р" -> ["др"], "г.р." -> ["гр"]."""
    words: list[str] = []
    letters: list[str] = []
    for word in _WORDS.findall(header_normalise(header)):
        if len(word) == 1 and word.isalpha():
            letters.append(word)
            continue
        if letters:
            words.append("".join(letters))
            letters = []
        words.append(word)
    if letters:
        words.append("".join(letters))
    return words


@dataclass(frozen=True)
class _Concept:
    exact: frozenset[str]
    prefixes: tuple[str, ...]

    def found_in(self, words: list[str]) -> bool:
        return any(word in self.exact or word.startswith(self.prefixes) for word in words)


def _concept(text: str) -> _Concept:
    words = text.split()
    return _Concept(
        exact=frozenset(word for word in words if not word.endswith("*")),
        prefixes=tuple(word[:-1] for word in words if word.endswith("*")),
    )


_SIGNS: list[tuple[str, tuple[_Concept, ...]]] = [
    (key, tuple(_concept(text) for text in sign))
    for key, signs in FIELD_SIGNS.items()
    for sign in signs
]


@dataclass(frozen=True)
class HeaderReading:
    """What a header names: a field (or "" for a column knowingly ignored, or None for a
    header nothing recognises), and the other fields whose words it holds too."""

    field: str | None
    also: tuple[str, ...] = ()


def header_read(header: object, *, phrases: dict[str, str]) -> HeaderReading:
    """The field a header names: a whole phrase first (`phrases`: normalised header ->
    field), then its words."""
    name = header_normalise(header)
    if not name:
        return HeaderReading(None)
    if name in IGNORED_HEADERS or name.replace(" ", "") in IGNORED_HEADERS:
        return HeaderReading("")
    if name in phrases:
        return HeaderReading(phrases[name])
    words = header_words(header)
    found: dict[str, int] = {}
    for key, concepts in _SIGNS:
        if all(concept.found_in(words) for concept in concepts):
            found[key] = max(found.get(key, 0), len(concepts))
    if not found:
        return HeaderReading(None)
    order = list(FIELD_SIGNS)
    ranked = sorted(found, key=lambda key: (-found[key], order.index(key)))
    return HeaderReading(ranked[0], tuple(ranked[1:]))
