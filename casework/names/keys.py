"""Index keys: what a person's names are stored under (`name_keys`, the PersonNameKey rows,
and joined in Person.match_keys) and what a typed query is looked up by
(`name_search_keys`, exact; `name_near_keys`, a spelling off by a letter or by vowels).

Besides words, pairs and initials, a name's keys hold two of a kind no typed query makes:
- its reading, "@almat|jumagulov#1f2e3d4c" (given words joined by ".", "|", the family
  name, "#" and a checksum of the name as written), so that detection builds its index of
  100,000 people from the stored keys without parsing every name again, and can tell a
  reading made for another spelling than the one on file (name_readings_in_keys);
- its family name's near key, "~jmglv": the consonants of the folded family name (z read
  as s). Two spellings of a family name that differ only in vowels share it, and one that
  differs in one consonant as well is among the query's name_near_keys: the candidates a
  spelling a letter off finds (Tuleteeva, Akhmedjarov, Zhumagulv), for the score to judge.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from functools import lru_cache

from casework.names.endings import text_is_kazakh_latin, word_forms
from casework.names.fold import fold_token, has_cyrillic
from casework.names.initials import agreeing_initials
from casework.names.parts import (
    NameParts,
    family_strength,
    name_parts,
    patronymic_father,
    raw_words,
)

READING_PREFIX = "@"
NEAR_PREFIX = "~"
FATHER_PREFIX = "%"
# A reading key: given words, family name, checksum (name_reading_key).
READING_KEY = re.compile(r"@([a-z.]*)\|([a-z]+)#([0-9a-f]{8})")
# Its given words and family name alone (what detection's index is built from).
READING_WORDS = re.compile(r"@([a-z.]*)\|([a-z]+)#")
_VOWELS_OUT = str.maketrans({"a": None, "e": None, "i": None, "o": None, "u": None, "z": "s"})
# The consonants a folded word may hold (fold_token has turned q, w, x, y and z away).
_CONSONANTS = "bcdfghjklmnprstv"
# Shorter family names are not looked up by near keys: the score takes no near spelling
# of a word under six letters but for s/z and e/i (Rosa / Roza), which share the key.
NEAR_MIN_LETTERS = 5
NEAR_MIN_CONSONANTS = 3


def name_checksum(name: str) -> str:
    """The first eight hexadecimal digits of the MD5 of a name as written, as a reading key
    ends with them (MD5 because the database computes it too: detection's index asks it
    which rows' keys were made for the names they hold now)."""
    return hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()[:8]


def name_reading_key(name: str, parts: NameParts) -> str:
    """'@almat|jumagulov#…' for Almat Zhumagulov; '' for a name without a family name."""
    if not parts.family:
        return ""
    return f"{READING_PREFIX}{'.'.join(parts.given)}|{parts.family}#{name_checksum(name)}"


def name_readings_in_keys(keys: str) -> list[tuple[tuple[str, ...], str, str]]:
    """(given words, family name, checksum of the name read) of each reading key among
    space-joined keys (Person.match_keys, PersonAlias.match_keys)."""
    return [
        (tuple(given.split(".")) if given else (), family, checksum)
        for given, family, checksum in READING_KEY.findall(keys)
    ]


def word_skeleton(folded: str) -> str:
    """The consonants of a folded word, z as s: 'tuletaeva' -> 'tltv'."""
    return folded.translate(_VOWELS_OUT)


def family_near_key(folded: str) -> str:
    """The near key stored for a folded family name, or '' for one too short to have one."""
    skeleton = word_skeleton(folded)
    if len(folded) < NEAR_MIN_LETTERS or len(skeleton) < NEAR_MIN_CONSONANTS:
        return ""
    return NEAR_PREFIX + skeleton


@lru_cache(maxsize=100_000)
def word_near_keys(folded: str) -> frozenset[str]:
    """The near keys of family names a written word may be a near spelling of: its own
    skeleton, and each skeleton one consonant away (one added, dropped or changed)."""
    skeleton = word_skeleton(folded)
    if len(folded) < NEAR_MIN_LETTERS or len(skeleton) < NEAR_MIN_CONSONANTS - 1:
        return frozenset()
    near = {skeleton}
    for index in range(len(skeleton) + 1):
        for letter in _CONSONANTS:
            near.add(skeleton[:index] + letter + skeleton[index:])
        if index < len(skeleton):
            near.add(skeleton[:index] + skeleton[index + 1 :])
            near.update(skeleton[:index] + letter + skeleton[index + 1 :] for letter in _CONSONANTS)
    return frozenset(NEAR_PREFIX + key for key in near if len(key) >= NEAR_MIN_CONSONANTS)


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
    keys.add(name_reading_key(name, parts))
    keys.add(family_near_key(parts.family))
    # Whose child the patronymic says, or a family name made of one (Kusmankyzy), so that a
    # patronymic alone finds them, in Russian or in Kazakh form (father_key).
    fathers = {father_key(word) for word in (*parts.patronymics, parts.family)} - {""}
    keys.update(fathers)
    # A given name and a patronymic, as Kazakh usage names a person ("Ержан Болатұлы").
    keys.update(f"{given} {father}" for given in parts.given for father in fathers)
    keys.discard("")
    return sorted(keys)


def father_key(folded: str) -> str:
    """'%bolat.son' for Болатович or Болатұлы; '' for a word that is no patronymic. Never a
    word's key (no word begins with %): the duplicate warning's shared words are unchanged."""
    father = patronymic_father(folded)
    return f"{FATHER_PREFIX}{father[0]}.{father[1]}" if father else ""


_MAX_FORMS_PER_WORD = 8

# Russian documents give a Kazakh family name a Russian ending (Сейтқали / Сейткалиев,
# Жұмабай / Жумабаев), and Kazakh ones drop it: across that ending it is one family name.
_RUSSIAN_ENDINGS = ("ova", "eva", "ov", "ev")
_RUSSIFIED_MIN_STEM = 4


@lru_cache(maxsize=100_000)
def family_ending_forms(folded: str) -> tuple[str, ...]:
    """The other forms of a folded family name across the Russian ending: 'seitkaliev' and
    'seitkalieva' -> ('seitkali',); 'jumabaev' -> ('jumaba', 'jumabai'); 'seitkali' ->
    ('seitkaliev', 'seitkalieva'); 'bolat' -> ('bolatov', 'bolatova', 'bolatev', 'bolateva').
    Never from one Russian form to the other: Kozlov and Kozlova are two people."""
    for ending in _RUSSIAN_ENDINGS:
        stem = folded.removesuffix(ending)
        if stem != folded:
            if len(stem) < _RUSSIFIED_MIN_STEM:
                return ()
            # Жұмабай / Жумабаев: the й gives way to the ending.
            return (stem, stem + "i") if stem[-1] in "ae" else (stem,)
    if len(folded) < _RUSSIFIED_MIN_STEM or family_strength(folded):
        return ()  # short, or already a family name's ending (-in, -uly, -enko …)
    if folded.endswith(("ai", "ei")):
        return (folded[:-1] + "ev", folded[:-1] + "eva")
    if folded[-1] in "aeiou":
        return (folded + "ev", folded + "eva")
    return tuple(folded + ending for ending in ("ov", "ova", "ev", "eva"))


def _query_word_forms(
    query: str,
) -> tuple[NameParts, list[str], list[tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """A query's parts, its full words and, for each, the folded forms it may stand for
    (and those forms by word, patronymics included)."""
    parts = name_parts(query)
    forms_of: dict[str, tuple[str, ...]] = {}
    for raw_word in raw_words(query):
        folded = fold_token(raw_word.normalised)
        # A spelling that writes an ambiguous sound ("Akhmedjarov": Дж or Дь + я) is
        # looked up by each reading, as the score reads it.
        forms_of.setdefault(folded, parts.readings_of(folded))
    kazakh_latin = text_is_kazakh_latin(query)
    if kazakh_latin or has_cyrillic(query):
        # Re-read the words with their Russian or Kazakh case endings stripped.
        for written in re.findall(r"[^\W\d_]+", query):
            forms = word_forms(written, kazakh_latin=kazakh_latin)
            if forms:  # a word of signs alone ("ь") folds to nothing
                forms_of[forms[0]] = forms[:_MAX_FORMS_PER_WORD]
    words = [word for word in parts.full_words if len(word) >= 2]
    alternatives = [forms_of.get(word, (word,)) for word in words]
    if len(words) >= 2 and parts.family == words[-1]:
        # Beside a given name, the family name with or without its Russian ending.
        family = alternatives[-1]
        alternatives[-1] = tuple(
            dict.fromkeys(
                [*family, *(other for form in family for other in family_ending_forms(form))]
            )
        )
    return parts, words, alternatives, forms_of


def name_search_keys(query: str) -> list[str]:
    """Keys to look a typed query up by; a person matches when any one of them is theirs.

    One word: that word (and its Russian nominative readings). A word and initials:
    "word initial". Two words or more: every pair of them, so a full-name query finds only
    people with both words and never a relative who shares one of them; the family name
    is also tried across its Russian ending (Ержан Сейткалиев finds Ержан Сейтқали)."""
    parts, words, alternatives, forms_of = _query_word_forms(query)
    if len(parts.words) == 1 and not parts.initials:
        # A patronymic alone (Болатович, Болатұлы, Болатұлының): whose child it says.
        fathers = {father_key(form) for form in forms_of.get(parts.words[0], parts.words)}
    else:
        fathers = set()
    fathers.discard("")
    # A name and a patronymic and nothing else ("Ержан Болатұлы", "Ержан Болатович"): the
    # pair of them. Beside a family name too it would find another family's Yerzhan.
    for patronymic in parts.words if len(parts.words) == 2 else ():
        for father in {father_key(form) for form in forms_of.get(patronymic, (patronymic,))}:
            fathers.update(
                f"{form} {father}"
                for word, forms in zip(words, alternatives, strict=True)
                if father and word != patronymic
                for form in forms
            )
    if not words:
        return sorted(fathers)
    keys: set[str] = set(fathers)
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


def name_family_stem_keys(query: str) -> list[tuple[str, str]]:
    """For a one-word query in a Russian family name's form (Сейткалиев, Seitkaliyev,
    Сейткалиева): (word, near key) of each Kazakh form of it, which a person must hold
    both of, so that the word is their family name and not a given name ("Bolatov" finds
    the Bolat family, never every Bolat)."""
    parts, words, alternatives, _ = _query_word_forms(query)
    if len(words) != 1 or parts.initials:
        return []
    return sorted(
        {
            (stem, near)
            for form in alternatives[0]
            for stem in family_ending_forms(form)
            if len(stem) < len(form) and (near := family_near_key(stem))
        }
    )


_TYPO_LETTERS = "abcdefghijklmnopqrstuvwxyz"
TYPO_MIN_LETTERS = 4
# A letter typed for another sounds like it (Yerzan for Yerzhan, Ерсан): any other letter
# would make a brother's name a typo of his (Yerzhan / Yerlan, Asel / Aset).
_TYPO_SOUNDS = ("sjzc", "aeiou", "kgh", "bpvf", "dt")
_TYPO_SUBSTITUTES = {
    letter: sounds.replace(letter, "") for sounds in _TYPO_SOUNDS for letter in sounds
}


@lru_cache(maxsize=10_000)
def word_typo_variants(folded: str) -> frozenset[str]:
    """Folded words one keystroke from a typed one (a letter dropped, added, or changed
    for one of like sound, or two swapped): 'erjn' -> {'erjan', …}, 'erzan' -> {'erjan',
    …} but never 'erlan'; nothing for a word under four letters."""
    if len(folded) < TYPO_MIN_LETTERS:
        return frozenset()
    variants: set[str] = set()
    for index in range(len(folded) + 1):
        head, tail = folded[:index], folded[index:]
        variants.update(head + letter + tail for letter in _TYPO_LETTERS)
        if tail:
            variants.add(head + tail[1:])
            substitutes = _TYPO_SUBSTITUTES.get(tail[0], "")
            variants.update(head + letter + tail[1:] for letter in substitutes)
        if len(tail) >= 2:
            variants.add(head + tail[1] + tail[0] + tail[2:])
    variants.discard(folded)
    return frozenset(variant for variant in variants if len(variant) >= TYPO_MIN_LETTERS)


def name_typo_keys(query: str, *, held: set[str]) -> dict[str, list[str]]:
    """For a query of several words one of which nobody on file holds (`held`: the forms
    and family near keys someone holds) beside a family name someone does (Yerzan
    Seitkali, Ержн Сейткали):
    the family's near key -> the pairs of that family name with each word a keystroke
    from the unknown one. A person holding a pair and the near key is of that family
    with a given name one keystroke off; a family name a letter off is no typo here
    (Zheksebayev / Zhexembayev are two families: name_near_keys judges those)."""
    _, words, alternatives, _ = _query_word_forms(query)
    if len(words) < 2:
        return {}
    unknown = [forms for forms in alternatives if not held.intersection(forms)]
    # The typed word as written too: folding makes "Kaat" 'kat', two letters from 'kanat'.
    written = {fold_token(word.normalised): word.normalised for word in raw_words(query)}
    known = [form for forms in alternatives for form in forms if form in held]
    found: dict[str, set[str]] = {}
    for forms in unknown:
        variants = {variant for form in forms[:2] for variant in word_typo_variants(form)}
        if forms[0] in written:
            variants.update(map(fold_token, word_typo_variants(written[forms[0]])))
        for family in known:
            near = family_near_key(family)
            if near in held and variants:
                found.setdefault(near, set()).update(
                    " ".join(sorted((variant, family))) for variant in variants if variant != family
                )
    return {near: sorted(pairs) for near, pairs in found.items()}
