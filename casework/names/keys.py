"""Index keys: what a person's names are stored under (`name_keys`, the PersonNameKey rows)
and what a typed query is looked up by (`name_search_keys`)."""

from __future__ import annotations

import itertools
import re

from casework.names.endings import word_forms
from casework.names.fold import fold_token, has_cyrillic
from casework.names.initials import agreeing_initials
from casework.names.parts import name_parts, raw_words


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
    for raw_word in raw_words(query):
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
