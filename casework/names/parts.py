"""Names taken apart: given names, the family name, patronymics (Russian -ovich/-ovna,
Kazakh -uly/-kyzy) and initials, whatever the order and script they are written in.

The rules that tell a patronymic (`word_patronymic_kind`) and a family name
(`word_family_strength`) by how a word looks live here only: the importer's reading of a
Cyrillic name cell (casework.names.order) and detection use the same ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from casework.names.fold import fold_alternatives, fold_token, normalise_name
from casework.names.initials import DIGRAPH_INITIALS, word_heads

# Honorifics that precede a name and are never part of it.
TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "mme", "m", "herr", "frau"}
    | {"g", "gn", "gzha", "gospodin", "gospozha"}
)

# Kazakh, Kyrgyz and Azerbaijani "son of" / "daughter of" (ұлы, улы, uly; қызы, кызы, kyzy;
# uulu; oglu, ogly; gyzy) in folded form. Written joined (Kusmankyzy), hyphenated
# (Kusman-kyzy) or as a word of its own (Kusman kyzy, Серік ұлы).
PATRONYMIC_PARTICLES = frozenset({"uli", "kizi", "ulu", "ogli", "oglu", "gizi"})

# Russian patronymics in the nominative and in the other cases a text may put them in
# (Серикович, Сериковича, Сериковичу, Сериковичем; Ивановна, Ивановной), folded.
_RUSSIAN_PATRONYMIC = re.compile(r"ich(a|u|em|e)?$|(ovn|evn|ichn)(a|i|e|u|oi|oiu)$")
_RUSSIAN, _KAZAKH = "russian", "kazakh"


@lru_cache(maxsize=100_000)
def _patronymic_kind(folded: str) -> str:
    if len(folded) <= 5:
        return ""
    if _RUSSIAN_PATRONYMIC.search(folded):
        return _RUSSIAN
    if folded.endswith(tuple(PATRONYMIC_PARTICLES)):
        return _KAZAKH
    return ""


# Whose son or daughter a folded patronymic says, in Russian (Болатович, Болатовна, and in
# the other cases: Болатовича, Болатовной) and in Kazakh (Болатұлы, Болатқызы, Bolatuly).
_FATHER_RUSSIAN = re.compile(
    r"(?P<father>[a-z]{3,}?)(?:(?P<son>[oe]vich)(?:a|u|em|e)?|(?P<daughter>[oe]vn)(?:a|i|e|u|oi|oiu))"
)
_FATHER_KAZAKH = re.compile(
    r"(?P<father>[a-z]{3,}?)(?:(?P<son>uli|ulu|ogli|oglu)|(?P<daughter>kizi|gizi))"
)


@lru_cache(maxsize=100_000)
def patronymic_father(folded: str) -> tuple[str, str] | None:
    """(father's name, "son" or "daughter") a folded patronymic says: 'bolatovich' and
    'bolatuli' -> ('bolat', 'son'); 'serikovna' and 'serikkizi' -> ('serik', 'daughter')."""
    match = _FATHER_RUSSIAN.fullmatch(folded) or _FATHER_KAZAKH.fullmatch(folded)
    if match is None:
        return None
    return match["father"], "son" if match["son"] else "daughter"


def word_patronymic_kind(word: str) -> str:
    """'russian' for Серикович (in any case), 'kazakh' for Серікұлы or "Серік ұлы", else ''.
    A Kazakh one is often the family name itself (Saltanat Kusmankyzy): the caller decides
    by the number of words."""
    return _patronymic_kind(fold_token(normalise_name(word).replace(" ", "")))


# Endings that mark a family name when the order of the words does not, in folded form:
# a word with a strong ending is the family name beside one with a weak ending (Иванова
# Марина), and either beside a word with none.
_FAMILY_ENDINGS_STRONG: tuple[str, ...] = (
    "ov",
    "ova",
    "ev",
    "eva",
    "skii",
    "ski",
    "skaia",
    "ckii",
    "cki",
    "ckaia",
)
_FAMILY_ENDINGS_STRONG += ("enko", "uli", "kizi")
_FAMILY_ENDINGS_WEAK = ("in", "ina", "uk", "ko", "oi", "ii", "dze", "shvili", "ian", "anc")


_FAMILY_ENDINGS = _FAMILY_ENDINGS_STRONG + _FAMILY_ENDINGS_WEAK


# A short word ending in -ev is a given name (Лев), not a family name: an ending counts only
# with three letters or more before it. _ENDINGS_FITTING[length]: (strong, weak) endings a
# word of that length may have, so that one endswith test in C asks each.
_LONGEST_FITTING = max(map(len, _FAMILY_ENDINGS)) + 3
_ENDINGS_FITTING = [
    tuple(
        tuple(ending for ending in endings if len(ending) + 3 <= length)
        for endings in (_FAMILY_ENDINGS_STRONG, _FAMILY_ENDINGS_WEAK)
    )
    for length in range(_LONGEST_FITTING + 1)
]


@lru_cache(maxsize=100_000)
def _family_strength(folded: str) -> int:
    if not folded.endswith(_FAMILY_ENDINGS):
        return 0  # most given names: one test instead of one per ending
    strong, weak = _ENDINGS_FITTING[min(len(folded), _LONGEST_FITTING)]
    if folded.endswith(strong):
        return 2
    return 1 if folded.endswith(weak) else 0


def family_strength(folded: str) -> int:
    """word_family_strength of a word already folded."""
    return _family_strength(folded)


def word_family_strength(word: str) -> int:
    """2 for a written word that looks like a family name, 1 if it may be one, 0 if not."""
    return _family_strength(fold_token(normalise_name(word).replace(" ", "")))


@dataclass(frozen=True)
class NameParts:
    """A name taken apart. `given` and `family` are folded words; `initials` are initials
    as written ("a", "zh", "dzh"); `heads` gives, for each folded word, the initials that
    may stand for it as it was written."""

    given: tuple[str, ...] = ()
    family: str = ""
    initials: tuple[str, ...] = ()
    patronymics: tuple[str, ...] = ()
    words: tuple[str, ...] = field(default=())
    # Initials after the given name's ("А.С. Жумагулов", "Almat S. Zhumagulov"): in Russian
    # usage the patronymic's, elsewhere a middle name's; never the given name.
    patronymic_initials: tuple[str, ...] = ()
    heads: tuple[tuple[str, frozenset[str]], ...] = ()
    # For a folded word whose spelling is ambiguous, the other folded readings of it
    # ('ahmejarov' written Akhmedjarov: 'ahmediarov').
    alternatives: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def full_words(self) -> tuple[str, ...]:
        """The words that identify the person: given names and family name."""
        return (*self.given, self.family) if self.family else self.given

    def readings_of(self, word: str) -> tuple[str, ...]:
        """The folded word and its alternative readings."""
        for folded, alternatives in self.alternatives:
            if folded == word:
                return (word, *alternatives)
        return (word,)

    def heads_of(self, word: str) -> frozenset[str]:
        found: frozenset[str] = frozenset()
        for folded, heads in self.heads:
            if folded == word:
                found |= heads
        return found


_WORD_WITH_PUNCTUATION = re.compile(r"[^\s,]+|,")
# "А.С. Жумагулов": initials written without a space between them.
_DOT_BEFORE_LETTER = re.compile(r"\.(?=[^\W\d_])")


class RawWord(NamedTuple):
    normalised: str
    # The initial as written ("a", "zh", "dzh"), or "" for a word.
    initial: str
    capitals: bool
    comma: bool
    # Joined to the word before by a hyphen ("Ivanova-Petrova": one family name).
    hyphenated: bool = False


def raw_words(name: str) -> list[RawWord]:
    """The written words of a name with what their form tells: initial, capitals, comma."""
    raw: list[RawWord] = []
    text = name.replace("-", " - ")
    if "." in text:
        text = _DOT_BEFORE_LETTER.sub(". ", text)
    pieces = _WORD_WITH_PUNCTUATION.findall(text)
    for index, piece in enumerate(pieces):
        if piece in {",", "-"}:
            continue
        normalised = normalise_name(piece)
        if not normalised:
            continue
        # Most pieces are letters only: the piece itself is the list of its letters.
        letters = piece if piece.isalpha() else [char for char in piece if char.isalpha()]
        short = len(letters) <= 2 and (piece.endswith(".") or len(letters) == 1)
        # "Zh." and "Kh." are initials in Russian usage; "Al" alone is a word.
        if len(letters) == 1:
            initial = DIGRAPH_INITIALS.get(normalised, normalised)
        elif short and normalised in DIGRAPH_INITIALS:
            initial = DIGRAPH_INITIALS[normalised]
        else:
            initial = ""
        capitals = len(letters) >= 2 and all(map(str.isupper, letters))
        comma = index + 1 < len(pieces) and pieces[index + 1] == ","
        hyphenated = index > 0 and pieces[index - 1] == "-"
        for part in normalised.split():
            raw.append(RawWord(part, initial, capitals, comma, hyphenated))
            hyphenated = False
    return raw


class _Word(NamedTuple):
    folded: str
    initial: str
    capitals: bool
    comma: bool
    normalised: str
    hyphenated: bool = False


@lru_cache(maxsize=100_000)
def name_parts(name: str) -> NameParts:
    """Take a written name apart: 'ZHUMAGULOV Almat', 'Zhumagulov, A.', 'Алмат Серикович
    Жумагулов', 'Saltanat Kusmankyzy' and 'Saltanat Kusman kyzy' all work."""
    words: list[_Word] = []
    for word, initial, capitals, comma, hyphenated in raw_words(name):
        folded = fold_token(word)
        # "Kusman kyzy": the particle belongs to the word before it.
        if folded in PATRONYMIC_PARTICLES and words and not words[-1].initial:
            previous = words[-1]
            joined = previous.normalised + word
            words[-1] = _Word(
                fold_token(joined), "", previous.capitals, comma, joined, previous.hyphenated
            )
            continue
        words.append(_Word(folded, initial, capitals, comma, word, hyphenated))
    initials = tuple(word.initial for word in words if word.initial)
    full = [word for word in words if not word.initial]
    heads = tuple((word.folded, word_heads(word.normalised)) for word in full)
    alternatives = tuple(
        (word.folded, found) for word in full if (found := fold_alternatives(word.normalised))
    )
    patronymics = [word for word in full if _patronymic_kind(word.folded) == _RUSSIAN]
    full = [word for word in full if word not in patronymics]
    # -uly/-kyzy is a patronymic beside a family name, but often the family name itself
    # (Saltanat Kusmankyzy); only a third word makes it a patronymic.
    kazakh = [word for word in full if _patronymic_kind(word.folded) == _KAZAKH]
    if kazakh and len(full) >= 3:
        patronymics += kazakh
        full = [word for word in full if word not in kazakh]
    if not full:
        return NameParts(initials=initials, words=tuple(word.folded for word in words))
    # With a given name written out, initials are middle or patronymic ones; otherwise the
    # first initial is the given name's.
    separate_words = sum(1 for word in full if not word.hyphenated)
    given_slots = 0 if separate_words >= 2 else 1
    initials, patronymic_initials = initials[:given_slots], initials[given_slots:]
    family_index = _family_index(full)
    family = full[family_index].folded
    given = tuple(word.folded for index, word in enumerate(full) if index != family_index)
    return NameParts(
        given=given,
        family=family,
        initials=initials,
        patronymics=tuple(word.folded for word in patronymics),
        words=tuple(word.folded for word in words),
        heads=heads,
        alternatives=alternatives,
        patronymic_initials=patronymic_initials,
    )


def _family_index(full: list[_Word]) -> int:
    """Which word is the family name: the one before a comma, the one in capitals, the one
    whose ending says so most strongly, and failing those the last."""
    if len(full) == 1:
        return 0
    commas = [index for index, word in enumerate(full) if word.comma]
    if commas:
        return commas[0]
    capitals = [index for index, word in enumerate(full) if word.capitals]
    if len(capitals) == 1:
        return capitals[0]
    strengths = [_family_strength(word.folded) for word in full]
    strongest = max(strengths)
    if strongest and strengths.count(strongest) == 1:
        return strengths.index(strongest)
    return len(full) - 1
