"""Names across scripts: the one place that normalises and compares personal names.

Search, import duplicate detection and mention detection all call this module; nothing
else compares names. Everything is compared in one folded Latin form:

1. `transliterate` turns Russian and Kazakh Cyrillic into plain Latin;
2. `normalise_name` lower-cases, drops diacritics and punctuation;
3. `fold_token` rewrites the spelling variants that transliteration systems disagree on
   (kh/h, zh/j/dzh, -ayev/-aev, ye-/e-, ya/ia, doubled letters …) to one form;
4. `name_parts` tells given names, the family name, patronymics and initials apart, and
   keeps, for each word, the initials its written spelling may be abbreviated to
   (`word_heads`): folding merges Zhanbolat and Dzhanbolat, an initial does not.

`name_match_score` compares two names (its quality is measured on
tests/casework/name_pairs.tsv; `NAME_MATCH_THRESHOLD` is where the app says "same
person", for detection and the duplicate-person warning alike), `name_match_score_best`
applies it to a person known by several names, and `name_keys` / `name_search_keys` give
the index keys search looks up.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import NamedTuple

# Two names scoring at least this are taken for the same person (measured on the pairs file).
NAME_MATCH_THRESHOLD: float = 0.85

# Russian and Kazakh Cyrillic to a plain Latin spelling. Variants (kh/h, zh/j …) are
# folded afterwards on the Latin side, so the table only needs one spelling per letter.
CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
    # Kazakh letters.
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
    # Ukrainian and Belarusian letters that turn up in names.
    "є": "ye", "ї": "yi", "ў": "u", "ґ": "g",
}  # fmt: skip

# Latin to Cyrillic, longest Latin spelling first, for generating Cyrillic variants of a
# Latin name (what a Russian-language source would most likely print).
LATIN_TO_CYRILLIC: list[tuple[str, str]] = [
    ("shch", "щ"), ("dzh", "дж"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"),
    ("sh", "ш"), ("yu", "ю"), ("ya", "я"), ("yo", "ё"), ("ye", "е"), ("iu", "ю"),
    ("ia", "я"), ("a", "а"), ("b", "б"), ("c", "к"), ("d", "д"), ("e", "е"), ("f", "ф"),
    ("g", "г"), ("h", "х"), ("i", "и"), ("j", "ж"), ("k", "к"), ("l", "л"), ("m", "м"),
    ("n", "н"), ("o", "о"), ("p", "п"), ("q", "к"), ("r", "р"), ("s", "с"), ("t", "т"),
    ("u", "у"), ("v", "в"), ("w", "в"), ("x", "кс"), ("y", "ы"), ("z", "з"),
]  # fmt: skip
_LATIN_TO_CYRILLIC_PATTERN = re.compile("|".join(latin for latin, _ in LATIN_TO_CYRILLIC))
_LATIN_TO_CYRILLIC_MAP = dict(LATIN_TO_CYRILLIC)

# Letters NFKD does not decompose.
_EXTRA_FOLDS = str.maketrans({"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ß": "ss", "æ": "ae"})
_NON_LETTERS = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r"\s+")

# Honorifics that precede a name and are never part of it.
TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "mme", "m", "herr", "frau"}
    | {"g", "gn", "gzha", "gospodin", "gospozha"}
)

# Patronymics in the nominative and in the other Russian cases a text may put them in
# (Серикович, Сериковича, Сериковичу, Сериковичем; Серикқызы is Kazakh, below).
_PATRONYMIC = re.compile(
    r"(ovich|evich|ovych|evych|ich)(a|u|em|e)?$|(ovn|evn|ichn|inichn)(a|i|e|u|oi|oiu)$"
)
# Kazakh "son of" / "daughter of", written joined (Kusmankyzy) or apart (Kusman kyzy).
_KAZAKH_PATRONYMIC = re.compile(r"(uli|kizi|ogli|gizi)$")
_KAZAKH_PATRONYMIC_WORDS = frozenset({"uli", "kizi", "ogli", "gizi"})
# Endings that mark a family name when the order of the words does not.
_FAMILY_SUFFIX = re.compile(
    r"(ov|ova|ev|eva|in|ina|skii|ski|skaia|cki|ckaia|enko|uk|iuk|ian|iants|dze|shvili|bekov|bekova|baev|baeva)$"
)
# Russian case endings of names, longest first: Жумагулова, Жумагулову, Жумагуловым …
_RUSSIAN_CASE_ENDINGS = ("ыми", "ими", "ого", "ому", "ему", "ой", "ою", "ей", "ым", "им", "ом", "ем", "ую", "у", "ю", "а", "я", "е", "ы", "и")  # fmt: skip


_TRANSLITERATION = str.maketrans(CYRILLIC_TO_LATIN)


def transliterate(text: str) -> str:
    """Cyrillic (Russian and Kazakh) to lower-case Latin; Latin passes through."""
    return text.lower().translate(_TRANSLITERATION)


def latin_to_cyrillic(text: str) -> str:
    """A likely Cyrillic spelling of a Latin name: 'Zhumagulov' -> 'жумагулов'."""
    return _LATIN_TO_CYRILLIC_PATTERN.sub(
        lambda match: _LATIN_TO_CYRILLIC_MAP[match.group(0)], normalise_name(text)
    )


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
_TOKEN_FOLDS: list[tuple[tuple[str, ...], re.Pattern[str], str]] = [
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
    (("",), re.compile(r"(.)\1+"), r"\1"),
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


def name_tokens(name: str) -> list[str]:
    """The folded words of a name, in the order written; initials keep one letter."""
    return [fold_token(token) for token in normalise_name(name).split() if token]


# How a written word (normalised Latin) may begin, and the initials a real spelling of it
# may be abbreviated to. Folding merges Zhanbolat, Janbolat and Dzhanbolat into one word
# for comparing whole words, but an initial abbreviates a spelling: "D." is Dulat or
# Dzhakishev (Дж-, Dzh-, Dj-), never Zhanbolat (Ж-, Zh-, J-); "J." is Zhanbolat as
# Janbolat, or Yulia as Julia; "Y." and "E." are both Yelena / Elena / Елена.
_HEADS: tuple[tuple[str, frozenset[str]], ...] = (
    ("shch", frozenset({"shch", "sh", "s"})),
    ("dzh", frozenset({"dzh", "d", "j"})),
    ("dj", frozenset({"dzh", "d", "j"})),
    ("zh", frozenset({"zh", "z", "j"})),
    ("kh", frozenset({"kh", "k", "h"})),
    ("ts", frozenset({"ts", "t"})),
    ("tz", frozenset({"ts", "t"})),
    ("ch", frozenset({"ch", "c"})),
    ("sh", frozenset({"sh", "s"})),
    ("yu", frozenset({"yu", "y", "i", "j"})),
    ("iu", frozenset({"yu", "y", "i", "j"})),
    ("ya", frozenset({"ya", "y", "i", "j"})),
    ("ia", frozenset({"ya", "y", "i", "j"})),
    ("ye", frozenset({"ye", "y", "e"})),
    ("yo", frozenset({"yo", "y", "e"})),
    ("e", frozenset({"e", "ye", "y"})),
    # A J- spelling is most often Ж (Janbolat, Jumagulov); it may also be Ю or Дж, but "Yu."
    # or "D." for every J- word would blur Zhanbolat with his relatives again.
    ("j", frozenset({"j", "zh", "z"})),
    ("h", frozenset({"h", "kh", "k"})),
    ("q", frozenset({"q", "k"})),
    ("k", frozenset({"k", "q"})),
    ("w", frozenset({"w", "v"})),
    ("v", frozenset({"v", "w"})),
)
# Two-letter initials as Russian usage writes them ("Zh. Agadil", "Дж. Аблязов"), each in
# one spelling so that "Dj." and "Дж." are the same initial.
_DIGRAPH_INITIALS = {
    "zh": "zh", "kh": "kh", "sh": "sh", "ch": "ch", "ts": "ts", "tz": "ts", "yu": "yu",
    "iu": "yu", "ya": "ya", "ia": "ya", "ye": "ye", "yo": "yo", "dzh": "dzh", "dj": "dzh",
    "shch": "shch",
}  # fmt: skip


# _HEADS by first letter, in the same order: a word is compared with the beginnings that
# start as it does only.
_HEADS_BY_LETTER: dict[str, tuple[tuple[str, frozenset[str]], ...]] = {
    letter: tuple(item for item in _HEADS if item[0][0] == letter)
    for letter in {beginning[0] for beginning, _ in _HEADS}
}


@lru_cache(maxsize=200_000)
def word_heads(word: str) -> frozenset[str]:
    """The initials that may stand for a written word (normalised Latin, or an initial):
    'zhanbolat' -> {'zh', 'z', 'j'}, 'dulat' -> {'d'}, 'dzhakishev' -> {'dzh', 'd', 'j'}."""
    heads = {word[:1]}
    for beginning, alternatives in _HEADS_BY_LETTER.get(word[:1], ()):
        if word.startswith(beginning):
            heads |= alternatives
    return frozenset(heads)


def initials_agree(first: str, second: str) -> bool:
    """Two initials may abbreviate the same word ("Zh." and "J.", not "D." and "Zh.")."""
    return first == second or first in word_heads(second) or second in word_heads(first)


_ALL_INITIALS = frozenset(
    {chr(letter) for letter in range(ord("a"), ord("z") + 1)}
    | set(_DIGRAPH_INITIALS.values())
    | {head for _, heads in _HEADS for head in heads}
)


@lru_cache(maxsize=256)
def agreeing_initials(initial: str) -> frozenset[str]:
    """Every initial that agrees with this one (for index keys of a name written with it)."""
    return frozenset(other for other in _ALL_INITIALS if initials_agree(initial, other))


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

    @property
    def full_words(self) -> tuple[str, ...]:
        """The words that identify the person: given names and family name."""
        return (*self.given, self.family) if self.family else self.given

    def heads_of(self, word: str) -> frozenset[str]:
        found: frozenset[str] = frozenset()
        for folded, heads in self.heads:
            if folded == word:
                found |= heads
        return found


_WORD_WITH_PUNCTUATION = re.compile(r"[^\s,]+|,")
# "А.С. Жумагулов": initials written without a space between them.
_DOT_BEFORE_LETTER = re.compile(r"\.(?=[^\W\d_])")


class _RawWord(NamedTuple):
    normalised: str
    # The initial as written ("a", "zh", "dzh"), or "" for a word.
    initial: str
    capitals: bool
    comma: bool
    # Joined to the word before by a hyphen ("Ivanova-Petrova": one family name).
    hyphenated: bool = False


def _raw_words(name: str) -> list[_RawWord]:
    """The written words of a name with what their form tells: initial, capitals, comma."""
    raw: list[_RawWord] = []
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
            initial = _DIGRAPH_INITIALS.get(normalised, normalised)
        elif short and normalised in _DIGRAPH_INITIALS:
            initial = _DIGRAPH_INITIALS[normalised]
        else:
            initial = ""
        capitals = len(letters) >= 2 and all(map(str.isupper, letters))
        comma = index + 1 < len(pieces) and pieces[index + 1] == ","
        hyphenated = index > 0 and pieces[index - 1] == "-"
        for part in normalised.split():
            raw.append(_RawWord(part, initial, capitals, comma, hyphenated))
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
    for word, initial, capitals, comma, hyphenated in _raw_words(name):
        folded = fold_token(word)
        # "Kusman kyzy": the particle belongs to the word before it.
        if folded in _KAZAKH_PATRONYMIC_WORDS and words and not words[-1].initial:
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
    patronymics = [
        word for word in full if len(word.folded) > 5 and _PATRONYMIC.search(word.folded)
    ]
    full = [word for word in full if word not in patronymics]
    # -uly/-kyzy is a patronymic beside a family name, but often the family name itself
    # (Saltanat Kusmankyzy); only a third word makes it a patronymic.
    kazakh = [word for word in full if _KAZAKH_PATRONYMIC.search(word.folded)]
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
    family_index = _family_index(full, has_initials=bool(initials))
    family = full[family_index].folded
    given = tuple(word.folded for index, word in enumerate(full) if index != family_index)
    return NameParts(
        given=given,
        family=family,
        initials=initials,
        patronymics=tuple(word.folded for word in patronymics),
        words=tuple(word.folded for word in words),
        heads=heads,
        patronymic_initials=patronymic_initials,
    )


def _family_index(full: list[_Word], *, has_initials: bool) -> int:
    if len(full) == 1:
        return 0
    commas = [index for index, word in enumerate(full) if word.comma]
    if commas:
        return commas[0]
    capitals = [index for index, word in enumerate(full) if word.capitals]
    if len(capitals) == 1:
        return capitals[0]
    suffixed = [index for index, word in enumerate(full) if _FAMILY_SUFFIX.search(word.folded)]
    if len(suffixed) == 1:
        return suffixed[0]
    kazakh = [index for index, word in enumerate(full) if _KAZAKH_PATRONYMIC.search(word.folded)]
    if len(kazakh) == 1:
        return kazakh[0]
    return len(full) - 1


def russian_case_stems(word: str) -> list[str]:
    """Nominative candidates of a Cyrillic word that may carry a Russian case ending:
    'жумагуловым' -> ['жумагуловым', 'жумагулов', …]. The word itself comes first; the
    letters keep the case they were written in."""
    lower = word.lower()
    candidates = [word]
    for ending in _RUSSIAN_CASE_ENDINGS:
        if lower.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[: -len(ending)]
            candidates.extend((stem, stem + "а", stem + "я", stem + "й"))
    return list(dict.fromkeys(candidates))


@lru_cache(maxsize=200_000)
def word_readings(word: str) -> tuple[tuple[str, str], ...]:
    """(folded form, written reading) for each thing one written word may stand for: the
    word itself, and for Cyrillic its nominative readings ('Жумагуловым' -> ('jumagulov',
    'Жумагулов'), …), so that a text's inflected name can be scored as a name."""
    candidates = russian_case_stems(word) if has_cyrillic(word) else [word]
    readings: dict[str, str] = {}
    for candidate in candidates:
        for part in normalise_name(candidate).split():
            readings.setdefault(fold_token(part), candidate)
    return tuple(readings.items())


@lru_cache(maxsize=200_000)
def word_forms(word: str) -> tuple[str, ...]:
    """Folded forms one written word may stand for: itself, and for Cyrillic its
    nominative readings (so 'Жумагуловым' finds 'Zhumagulov')."""
    return tuple(form for form, _ in word_readings(word))


def name_keys(name: str) -> list[str]:
    """Index keys of a name: each word of two letters or more; every pair of words in
    alphabetical order (a full two-word name is one pair, so "Dulat Agadil" never finds
    Zhanbolat); the whole name in alphabetical order; and each word with every initial
    that may stand for another word as written ("jumagulov a"; "agadil zh", "agadil z",
    "agadil j" for Zhanbolat but never "agadil d"), so "Zhumagulov A." finds Almat
    Zhumagulov and "D. Agadil" finds Dulat only."""
    parts = name_parts(name)
    words = [word for word in parts.full_words if len(word) >= 2]
    if not words:
        return []
    keys = set(words)
    keys.add(" ".join(sorted(words)))
    for first, second in itertools.combinations(sorted(set(words)), 2):
        keys.add(f"{first} {second}")
    for word in words:
        for other in words:
            if other != word:
                keys.update(f"{word} {head}" for head in parts.heads_of(other))
        for initial in parts.initials:
            keys.update(f"{word} {head}" for head in agreeing_initials(initial))
    return sorted(keys)


_MAX_FORMS_PER_WORD = 4


def name_search_keys(query: str) -> list[str]:
    """Keys to look a typed query up by; a person matches when any one of them is theirs.

    One word: that word (and its Russian nominative readings). A word and initials:
    "word initial". Two words or more: every pair of them, so a full-name query finds only
    people with both words and never a relative who shares one of them."""
    parts = name_parts(query)
    forms_of: dict[str, tuple[str, ...]] = {}
    for raw_word in _raw_words(query):
        folded = fold_token(raw_word.normalised)
        forms_of.setdefault(folded, (folded,))
    if has_cyrillic(query):
        # Re-read Cyrillic words with their case endings stripped.
        for written in re.findall(r"[^\W\d_]+", query):
            forms = word_forms(written)
            forms_of[forms[0]] = forms[:_MAX_FORMS_PER_WORD]
    words = [word for word in parts.full_words if len(word) >= 2]
    if not words:
        return []
    alternatives = [forms_of.get(word, (word,)) for word in words]
    keys: set[str] = set()
    if len(words) == 1:
        if parts.initials:
            for form in alternatives[0]:
                keys.update(f"{form} {initial}" for initial in parts.initials)
        else:
            keys.update(alternatives[0])
        return sorted(keys)
    for first, second in itertools.combinations(alternatives, 2):
        for a, b in itertools.product(first, second):
            if a != b:
                keys.add(" ".join(sorted((a, b))))
    return sorted(keys)


_CONFUSABLE_LETTERS = ({"s", "z"}, {"e", "i"})
_VOWELS = re.compile(r"[aeiou]")


@lru_cache(maxsize=200_000)
def _word_similarity(a: str, b: str) -> float:
    """1 for the same folded word; a little less for a near spelling; 0 for a different
    word, including the feminine form of a family name (Kozlov / Kozlova: two people),
    a different ending of a short given name (Yulia / Yulian, Ilya / Ilyas) and a
    different consonant (Zheksebayev / Zhexembayev)."""
    if a == b:
        return 1.0
    if min(len(a), len(b)) < 4:
        return 0.0
    if a[0] != b[0]:
        # J for Y before a vowel in German and English spellings: Julia / Yulia / Iuliia.
        if {a[0], b[0]} == {"i", "j"} and a[1:] == b[1:] and a[1] in "aeou":
            return 0.9
        return 0.0
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    if longer == shorter + "a" or (longer.endswith("aia") and shorter.endswith("ii")):
        return 0.0
    if len(a) == len(b):
        differences = [{x, y} for x, y in zip(a, b, strict=True) if x != y]
        if len(differences) == 1 and differences[0] in _CONFUSABLE_LETTERS:
            return 0.9  # Rosa / Roza
    elif len(longer) == len(shorter) + 1:
        # An inner soft-sign "i" one spelling writes and another does not: Guzal / Guzial.
        for index in range(1, len(shorter)):
            if longer[index] == "i" and longer[:index] + longer[index + 1 :] == shorter:
                return 0.9
    if min(len(a), len(b)) < 6:
        return 0.0
    # Beyond that, only vowels may differ (Mukhtar / Moukhtar, Aleksandr / Aleksander): a
    # different consonant is a different name.
    if _VOWELS.sub("", a) != _VOWELS.sub("", b):
        return 0.0
    ratio = SequenceMatcher(None, a, b, autojunk=False).ratio()
    return ratio if ratio >= 0.86 else 0.0


@lru_cache(maxsize=200_000)
def name_match_score(first: str, second: str) -> float:
    """How likely two written names denote the same person, in [0, 1].

    Words are paired one to one (order does not matter); an initial pairs with a word of
    the other name when it abbreviates that word as written (word_heads); patronymics
    count only when both names give one. A word left unpaired on both sides (Dulat /
    Zhanbolat Agadil) means two different people; a name that is only part of the other
    (a family name alone) is plausible but not enough."""
    a, b = name_parts(first), name_parts(second)
    if not a.full_words or not b.full_words:
        return 0.0
    pairs = _pair_words(list(a.full_words), list(b.full_words))
    matched = [score for _, _, score in pairs]
    left_a = [word for index, word in enumerate(a.full_words) if index not in {p[0] for p in pairs}]
    left_b = [word for index, word in enumerate(b.full_words) if index not in {p[1] for p in pairs}]
    if not matched:
        return 0.0
    initials_a, initials_b = list(a.initials), list(b.initials)
    left_a, initials_b, by_initial_a = _cover_with_initials(left_a, initials_b, parts=a)
    left_b, initials_a, by_initial_b = _cover_with_initials(left_b, initials_a, parts=b)
    matched += [0.9] * (by_initial_a + by_initial_b)
    # "V. Kuramshin" / "Курамшин В.": the initials of both names agree with each other.
    for initial in list(initials_a):
        for other in initials_b:
            if initials_agree(initial, other):
                initials_a.remove(initial)
                initials_b.remove(other)
                matched.append(0.9)
                break
    # Namesakes with different patronymics (Vladimir Ivanovich / Vladimir Petrovich Kozlov,
    # Kozlov V.I. / Kozlov V.P.).
    if _patronymics_disagree(a, b):
        return round(sum(matched) / len(matched) * 0.4, 4)
    # Initials that stand for nothing on the other side contradict only when the other
    # side has a word there.
    conflict = (left_a and left_b) or (initials_a and left_b) or (initials_b and left_a)
    mean = sum(matched) / len(matched)
    if conflict:
        return round(mean * 0.4, 4)
    unmatched = len(left_a) + len(left_b)
    if unmatched:
        # One name is a part of the other: "Zhumagulov" of "Almat Zhumagulov".
        full_pairs = len(pairs)
        return round(mean * (0.8 if full_pairs >= 2 else 0.6), 4)
    if len(matched) == 1:
        # Both names are one word: a family name alone could be any of a family.
        return round(mean * 0.8, 4)
    return round(mean, 4)


# A patronymic in an oblique case (Сериковича) names the same father as its nominative.
_PATRONYMIC_CASE_ENDING = re.compile(r"(?<=ich)(a|u|em|e)$|(?<=n)(a|i|e|u|oi|oiu)$")


def _patronymics_disagree(a: NameParts, b: NameParts) -> bool:
    """Both names say whose child the person is, and they say different fathers: a
    patronymic (or -uly/-kyzy) against another, or against an initial that cannot stand
    for it ("Kozlov V.P." is not Vladimir Ivanovich)."""
    if not (a.patronymics or a.patronymic_initials) or not (b.patronymics or b.patronymic_initials):
        return False
    stems_a = {_PATRONYMIC_CASE_ENDING.sub("", patronymic) for patronymic in a.patronymics}
    stems_b = {_PATRONYMIC_CASE_ENDING.sub("", patronymic) for patronymic in b.patronymics}
    if stems_a & stems_b:
        return False
    for initial in a.patronymic_initials:
        if any(initial in b.heads_of(patronymic) for patronymic in b.patronymics):
            return False
        if any(initials_agree(initial, other) for other in b.patronymic_initials):
            return False
    for initial in b.patronymic_initials:
        if any(initial in a.heads_of(patronymic) for patronymic in a.patronymics):
            return False
    return True


def name_match_score_best(written: str, names: Iterable[str]) -> float:
    """The score of a written name against one person known by several names (primary,
    native, aliases): the best name_match_score, except that a patronymic the written
    name gives must agree with the patronymic any of the person's names gives. Namesakes
    Vladimir Ivanovich and Vladimir Petrovich Kozlov may both be recorded as "Vladimir
    Kozlov" beside their Cyrillic names; "Vladimir Ivanovich Kozlov" is only the first."""
    names = [name for name in names if name]
    parts = name_parts(written)
    if parts.patronymics or parts.patronymic_initials:
        recorded = [name_parts(name) for name in names]
        with_patronymic = [
            other for other in recorded if other.patronymics or other.patronymic_initials
        ]
        if with_patronymic and all(
            _patronymics_disagree(parts, other) for other in with_patronymic
        ):
            return 0.0
    return max((name_match_score(written, name) for name in names), default=0.0)


def _pair_words(a: list[str], b: list[str]) -> list[tuple[int, int, float]]:
    """The best one-to-one pairing of words, greedy on similarity (names are short)."""
    candidates = sorted(
        (
            (_word_similarity(word_a, word_b), index_a, index_b)
            for index_a, word_a in enumerate(a)
            for index_b, word_b in enumerate(b)
        ),
        reverse=True,
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs: list[tuple[int, int, float]] = []
    for score, index_a, index_b in candidates:
        if score <= 0 or index_a in used_a or index_b in used_b:
            continue
        used_a.add(index_a)
        used_b.add(index_b)
        pairs.append((index_a, index_b, score))
    return pairs


def _cover_with_initials(
    words: list[str], initials: list[str], *, parts: NameParts
) -> tuple[list[str], list[str], int]:
    """Pair leftover words (of `parts`) with initials of the other name that may
    abbreviate them as written; return what stays unpaired."""
    words_left = list(words)
    initials_left = list(initials)
    covered = 0
    for initial in list(initials_left):
        for word in words_left:
            if initial in parts.heads_of(word):
                words_left.remove(word)
                initials_left.remove(initial)
                covered += 1
                break
    return words_left, initials_left, covered
