"""Transliteration and folding: any written name to lower-case Latin words, and each word
to one spelling-independent form.

1. `transliterate` turns Russian and Kazakh Cyrillic into plain Latin;
2. `normalise_name` lower-cases, reads the Kazakh Latin alphabet of 2021 (ä ğ ı ñ ö ş ū ü),
   drops diacritics and punctuation;
3. `fold_token` rewrites the spelling variants that transliteration systems disagree on
   (kh/h, zh/j/dzh, -ayev/-aev, ye-/e-, ya/ia, doubled letters …) to one form.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache


def _letter_table(text: str) -> dict[str, str]:
    """Pairs "letter spelling" separated by spaces; "-" spells nothing."""
    pieces = text.split()
    return {
        letter: "" if spelling == "-" else spelling
        for letter, spelling in zip(pieces[::2], pieces[1::2], strict=True)
    }


# Russian and Kazakh Cyrillic to a plain Latin spelling. Variants (kh/h, zh/j …) are
# folded afterwards on the Latin side, so the table only needs one spelling per letter.
CYRILLIC_TO_LATIN = _letter_table(
    """
    а a  б b  в v  г g  д d  е e  ё e  ж zh  з z  и i  й y  к k  л l  м m  н n  о o  п p
    р r  с s  т t  у u  ф f  х kh  ц ts  ч ch  ш sh  щ shch  ъ -  ы y  ь -  э e  ю yu  я ya
    ә a  ғ g  қ k  ң n  ө o  ұ u  ү u  һ h  і i
    є ye  ї yi  ў u  ґ g
    """
)  # the third line is Kazakh; the last, Ukrainian and Belarusian letters found in names

# Letters NFKD does not decompose, or decomposes to the wrong letter: the Kazakh Latin
# alphabet of 2021 writes Ш as ş and Ч as ç (NFKD would leave s and c), and І as ı.
_EXTRA_FOLDS = str.maketrans(
    {"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae", "ş": "sh", "ç": "ch"}
)
_NON_LETTERS = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r"\s+")

_TRANSLITERATION = str.maketrans(CYRILLIC_TO_LATIN)


def transliterate(text: str) -> str:
    """Cyrillic (Russian and Kazakh) to lower-case Latin; Latin passes through."""
    return text.lower().translate(_TRANSLITERATION)


def fold_diacritics(text: str) -> str:
    if text.isascii():
        return text  # ASCII has no diacritics and NFKD leaves it as it is
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA_FOLDS))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def has_cyrillic(text: str) -> bool:
    return any("\u0400" <= char <= "\u04ff" for char in text)


@lru_cache(maxsize=200_000)
def normalise_name(name: str) -> str:
    """Lower-case Latin letters and single spaces: 'ZHUMAGULOV,  Almat' -> 'zhumagulov almat'.
    Hyphens split words ('Ivanova-Petrova' -> 'ivanova petrova'); apostrophes vanish."""
    # ё/й decompose under NFKD; transliterate them before diacritics are dropped.
    text = transliterate(name)
    if text.isalpha() and text.isascii():
        return text  # one word of Latin letters (lower case by now): nothing to change
    text = fold_diacritics(text)
    text = text.replace("-", " ").replace("'", "").replace("’", "").replace("ʼ", "")
    text = _NON_LETTERS.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


# Ordered rewrites applied to one normalised token to reach a spelling-independent form. The
# first item lists pieces of text of which every match contains one: without any of them
# the rewrite is skipped ("" always runs), which saves most of the regular-expression calls.
_TOKEN_FOLDS: list[
    tuple[tuple[str, ...], re.Pattern[str], str | Callable[[re.Match[str]], str]]
] = [
    (("dzh", "dj"), re.compile(r"dzh|dj"), "j"),
    (("zh",), re.compile(r"zh"), "j"),
    (("kh",), re.compile(r"kh"), "h"),
    (("gh",), re.compile(r"gh"), "g"),
    (("q",), re.compile(r"q"), "k"),
    # x after a consonant is the Kazakh/Uzbek Latin letter for kh (Asxat = Askhat);
    # elsewhere it is ks (Aleksandr / Alexandr, Maxim).
    (("x",), re.compile(r"(?<=[bcdfgjklmnpqrstvwz])x"), "h"),
    (("x",), re.compile(r"x"), "ks"),
    (("w",), re.compile(r"w"), "v"),
    (("ch",), re.compile(r"shch|sch"), "sh"),
    (("tz", "ts"), re.compile(r"tz|ts"), "c"),
    (("yev",), re.compile(r"ayev(a?)$"), r"aev\1"),
    (("yev",), re.compile(r"iyev(a?)$"), r"iev\1"),
    (("yev",), re.compile(r"yev(a?)$"), r"ev\1"),
    (("off",), re.compile(r"off$"), "ov"),
    (("ye",), re.compile(r"^ye"), "e"),
    # ё after a consonant: Pyotr / Petr / Piotr, Fyodorov / Fedorov.
    (("yo", "io"), re.compile(r"(?<=[bcdfghjklmnprstvz])[yi]o"), "e"),
    (("yo",), re.compile(r"^yo"), "e"),
    # ю after a consonant: Gyuzyal / Guzal.
    (("yu", "iu"), re.compile(r"(?<=[bcdfghjklmnprstvz])[yi]u"), "u"),
    (("ya",), re.compile(r"ya"), "ia"),
    (("yu",), re.compile(r"yu"), "iu"),
    (("yo",), re.compile(r"yo"), "io"),
    (("y",), re.compile(r"y"), "i"),
    # The letter itself, taken from the match in C: a template (r"\1") is expanded by Python
    # code for every match, and most names have a doubled letter somewhere.
    (("",), re.compile(r"(.)\1+"), operator.itemgetter(1)),
    (("ie",), re.compile(r"ie$"), "i"),
]


# The same, each with its one or two pieces apart: two `in` tests are cheaper than a loop.
_TOKEN_FOLD_STEPS = [
    (needed[0], needed[1] if len(needed) > 1 else None, pattern, replacement)
    for needed, pattern, replacement in _TOKEN_FOLDS
]


@lru_cache(maxsize=200_000)
def fold_token(token: str) -> str:
    """One normalised word to its spelling-independent form: 'zheksebayev' -> 'jeksebaev'."""
    for first, second, pattern, replacement in _TOKEN_FOLD_STEPS:
        if first in token or (second is not None and second in token):
            token = pattern.sub(replacement, token)
    return token


# Spellings that transliteration writes for two different sounds, which folding cannot merge
# without merging different names: a medial "dj" is Дж (Abdjalilov) or Дь + я
# (Akhmedjarov = Akhmedyarov); "ng" is Kazakh Ң (Zhengis = Zhenis); a medial "kh" is Х or
# the Kazakh Қ a Russian form writes as Х (Bakhytzhan = Bakytzhan). Each gives the other
# reading as an alternative; the score takes an alternative as a near spelling.
_ALTERNATIVE_READINGS = (
    (re.compile(r"(?<=.)dj"), "dy"),
    (re.compile(r"ng"), "n"),
    (re.compile(r"(?<=.)kh"), "k"),
)
# What every match of one of them contains: a word with none of these has no other reading.
_AMBIGUOUS_PIECES = ("dj", "ng", "kh")


@lru_cache(maxsize=200_000)
def fold_alternatives(normalised: str) -> tuple[str, ...]:
    """Other folded forms of a normalised word that spells an ambiguous sound:
    'akhmedjarov' -> ('ahmediarov',), beside its own fold_token 'ahmejarov'."""
    if not any(piece in normalised for piece in _AMBIGUOUS_PIECES):
        return ()  # most words: three `in` tests instead of three searches
    own = fold_token(normalised)
    alternatives = {
        fold_token(pattern.sub(replacement, normalised))
        for pattern, replacement in _ALTERNATIVE_READINGS
        if pattern.search(normalised)
    }
    return tuple(sorted(alternatives - {own}))


def name_tokens(name: str) -> list[str]:
    """The folded words of a name, in the order written; initials keep one letter."""
    return [fold_token(token) for token in normalise_name(name).split() if token]
