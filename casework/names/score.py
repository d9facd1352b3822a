"""How likely two written names denote the same person: `name_match_score`, measured on
tests/casework/name_pairs.tsv, and `NAME_MATCH_THRESHOLD`, where the app says "same
person" (detection and the duplicate-person warning alike)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher
from functools import lru_cache

from casework.names.initials import initials_agree
from casework.names.parts import NameParts, name_parts
from casework.names.variants import given_names_are_variants

# Two names scoring at least this are taken for the same person (measured on the pairs file).
NAME_MATCH_THRESHOLD: float = 0.85

_CONFUSABLE_LETTERS = ({"s", "z"}, {"e", "i"})
_VOWELS = re.compile(r"[aeiou]")


@lru_cache(maxsize=200_000)
def word_similarity(a: str, b: str, *, families: bool = False) -> float:
    """1 for the same folded word; a little less for a near spelling; 0 for a different
    word, including the feminine form of a family name (Kozlov / Kozlova: two people),
    a different ending of a short given name (Yulia / Yulian, Ilya / Ilyas) and a
    different consonant (Zheksebayev / Zhexembayev). Two family names (`families`) of
    seven letters may differ in one vowel (Ospanov / Ospenov); two given names may not
    (Gulnara / Gulnura are two names)."""
    if a == b:
        return 1.0
    if given_names_are_variants(a, b):
        return 0.9  # Aleksandr / Sasha, Bolat / Bulat
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
        # An inner soft-sign "i" before a vowel, which one spelling writes and another does
        # not: Guzal / Guzial (not the й of Shaikenov / Shakenov: two families).
        for index in range(1, len(shorter)):
            if (
                longer[index] == "i"
                and longer[index + 1] in "aeou"
                and longer[:index] + longer[index + 1 :] == shorter
            ):
                return 0.9
    if min(len(a), len(b)) < 6:
        return 0.0
    # Beyond that, only vowels may differ (Mukhtar / Moukhtar, Aleksandr / Aleksander): a
    # different consonant is a different name.
    if _VOWELS.sub("", a) != _VOWELS.sub("", b):
        return 0.0
    ratio = SequenceMatcher(None, a, b, autojunk=False).ratio()
    least = 0.85 if families and min(len(a), len(b)) >= 7 else 0.86
    return ratio if ratio >= least else 0.0


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
    pairs = _pair_words(a, b)
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


def _pair_words(a: NameParts, b: NameParts) -> list[tuple[int, int, float]]:
    """The best one-to-one pairing of full words, greedy on similarity (names are short)."""
    family_a, family_b = len(a.full_words) - 1, len(b.full_words) - 1
    candidates = sorted(
        (
            (
                _readings_similarity(
                    a.readings_of(word_a),
                    b.readings_of(word_b),
                    families=index_a == family_a and index_b == family_b,
                ),
                index_a,
                index_b,
            )
            for index_a, word_a in enumerate(a.full_words)
            for index_b, word_b in enumerate(b.full_words)
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


def _readings_similarity(a: tuple[str, ...], b: tuple[str, ...], *, families: bool) -> float:
    """Two words, each with its alternative readings (the word first): their similarity,
    at most a near spelling's when only an alternative reading agrees."""
    direct = word_similarity(a[0], b[0], families=families)
    if direct == 1.0 or (len(a) == 1 and len(b) == 1):
        return direct
    other = max(word_similarity(x, y, families=families) for x in a for y in b)
    return max(direct, min(other, 0.9))


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
