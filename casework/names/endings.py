"""Case endings: the nominative readings of a word a text has put in another case, so that
an inflected name can be scored as a name. Russian: 'Жумагуловым' -> 'Жумагулов'. Kazakh,
in Cyrillic and in the Latin alphabets of 2021 (and 2018): 'Әбішевтің' -> 'Әбішев', 'Төйкенге' ->
'Төйкен', 'Онлабекқызына' -> 'Онлабекқызы', 'Klyşevpen' -> 'Klyşev'."""

from __future__ import annotations

from functools import lru_cache

from casework.names.fold import fold_token, has_cyrillic, normalise_name
from casework.names.parts import PATRONYMIC_PARTICLES

# Russian case endings of names: Жумагулова, Жумагулову, Жумагуловым …
_RUSSIAN_CASE_ENDINGS_TEXT = "ыми ими ого ому ему ой ою ей ым им ом ем ую у ю а я е ы и"
_RUSSIAN_CASE_ENDINGS = tuple(_RUSSIAN_CASE_ENDINGS_TEXT.split())

# Kazakh endings a name takes, each in its back- and front-vowel form (vowel harmony) and
# after voiced and voiceless sounds: genitive, dative, accusative, locative, ablative,
# instrumental (Әбішевтің, Төйкенге, Абишевті, Алматта, Жанболаттан, Клышевпен).
_KAZAKH_CASES_TEXT = """
    ның нің дың дің тың тің  ға ге қа ке  ны ні ды ді ты ті  да де та те
    дан ден тан тен нан нен  мен бен пен
"""
# The plural (Абишевтер, "the Abishevs"), alone or before a case ending.
_KAZAKH_PLURALS_TEXT = "лар лер дар дер тар тер"
# After the possessive -ы/-і of -ұлы, -қызы (Онлабекқызына, Серікұлының, Кусманқызын).
_KAZAKH_AFTER_POSSESSIVE_TEXT = "ның нің на не н нда нде нан нен мен ды ді"
_KAZAKH_POSSESSIVE_VOWELS: tuple[str, ...] = ("ы", "і", "и")  # и: the Russian keyboard's і


def _kazakh_endings() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(endings after any stem, endings after a possessive -ы/-і), longest first."""
    cases = _KAZAKH_CASES_TEXT.split()
    plurals = _KAZAKH_PLURALS_TEXT.split()
    plural_cases = [plural + case for plural in plurals for case in cases if case[0] in "дмнғгқк"]
    anywhere = {*cases, *plurals, *plural_cases}
    after_possessive = set(_KAZAKH_AFTER_POSSESSIVE_TEXT.split())
    return _with_spellings(anywhere), _with_spellings(after_possessive)


# Kazakh letters as a Russian keyboard types them (Абишевтин, Онлабеккызына).
_RUSSIAN_KEYBOARD = str.maketrans({"ң": "н", "ғ": "г", "қ": "к", "і": "и", "ү": "у", "ұ": "у"})
# The same endings in the Kazakh Latin alphabet of 2021 (Äbişevtiñ, Töikenge, Klyşevpen).
_KAZAKH_LATIN = str.maketrans(dict(zip("абдгеклмнпрстыіңғқ", "abdgeklmnprstyiñğq", strict=True)))


# The Latin alphabet of 2018 wrote ң and ғ with an acute accent (Mamaıdyń, Ábishevaǵa).
_KAZAKH_LATIN_2018 = str.maketrans({"ñ": "ń", "ğ": "ǵ"})


def _with_spellings(endings: set[str]) -> tuple[str, ...]:
    spelled = set(endings)
    for ending in endings:
        spelled.add(ending.translate(_RUSSIAN_KEYBOARD))
        spelled.add(ending.translate(_KAZAKH_LATIN))
        spelled.add(ending.translate(_KAZAKH_LATIN).translate(_KAZAKH_LATIN_2018))
    return tuple(sorted(spelled, key=len, reverse=True))


_KAZAKH_ENDINGS, _KAZAKH_ENDINGS_AFTER_POSSESSIVE = _kazakh_endings()
_KAZAKH_POSSESSIVE_VOWELS += ("y", "i")  # the Latin alphabet's ы and і
# Letters only the Kazakh Latin alphabet writes: a text with them is read as Kazakh.
# (Not the capital I, which English writes: the capital of ı is the ASCII I. Of the
# alphabet of 2018, only ǵ and ń: its á, ó, ú, ý are other languages' letters too.)
KAZAKH_LATIN_LETTERS = frozenset("äğıñöşūüÄĞÑÖŞŪÜİǵńǴŃ")
# A stem shorter than this is no name: "Ана" is not Ан + dative.
_MIN_STEM = 3


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


def kazakh_case_stems(word: str) -> list[str]:
    """Stems of a word that may carry Kazakh case, plural or possessive endings, in
    Cyrillic or Kazakh Latin: 'Әбішевтің' -> ['Әбішевтің', 'Әбішев']; 'Онлабекқызына' ->
    [..., 'Онлабекқызы']; 'Абишевтерге' -> [..., 'Абишев']. The word itself comes first."""
    lower = word.lower()
    candidates = [word]
    for ending in _KAZAKH_ENDINGS:
        if lower.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            candidates.append(word[: -len(ending)])
    for ending in _KAZAKH_ENDINGS_AFTER_POSSESSIVE:
        stem = lower[: -len(ending)]
        if (
            lower.endswith(ending)
            and len(stem) > _MIN_STEM
            and stem.endswith(_KAZAKH_POSSESSIVE_VOWELS)
        ):
            candidates.append(word[: -len(ending)])
    return list(dict.fromkeys(candidates))


def word_is_patronymic_particle(word: str) -> bool:
    """Whether a written word is -uly / -kyzy on its own, in any Kazakh case (ұлы, ұлын,
    қызына, qyzy, kyzy): the end of a patronymic written apart from the father's name."""
    lower = word.lower()
    for ending in ("", *_KAZAKH_ENDINGS_AFTER_POSSESSIVE):
        if lower.endswith(ending):
            stem = lower[: len(lower) - len(ending)]
            if fold_token(normalise_name(stem)) in PATRONYMIC_PARTICLES:
                return True
    return False


def text_is_kazakh_latin(text: str) -> bool:
    """Whether a text (or query) writes the Kazakh Latin alphabet: its Latin words may then
    carry Kazakh endings, as its Cyrillic words always may."""
    return not KAZAKH_LATIN_LETTERS.isdisjoint(text)


@lru_cache(maxsize=200_000)
def word_readings(word: str, *, kazakh_latin: bool = False) -> tuple[tuple[str, str], ...]:
    """(folded form, written reading) for each thing one written word may stand for: the
    word itself, and for Cyrillic (or, in a Kazakh Latin text, Latin) its readings without
    Russian or Kazakh endings ('Жумагуловым' -> ('jumagulov', 'Жумагулов'), 'Клышевпен' ->
    ('klishev', 'Клышев')), so that a text's inflected name can be scored as a name."""
    if has_cyrillic(word):
        candidates = russian_case_stems(word) + kazakh_case_stems(word)
    elif kazakh_latin:
        candidates = kazakh_case_stems(word)
    else:
        candidates = [word]
    readings: dict[str, str] = {}
    for candidate in candidates:
        for part in normalise_name(candidate).split():
            readings.setdefault(fold_token(part), candidate)
    return tuple(readings.items())


@lru_cache(maxsize=200_000)
def word_forms(word: str, *, kazakh_latin: bool = False) -> tuple[str, ...]:
    """Folded forms one written word may stand for: itself, and for Cyrillic its
    nominative readings (so 'Жумагуловым' finds 'Zhumagulov')."""
    return tuple(form for form, _ in word_readings(word, kazakh_latin=kazakh_latin))
