"""Case endings: the nominative readings of a word a text has put in another case
('Жумагуловым' -> 'Жумагулов'), so that an inflected name can be scored as a name."""

from __future__ import annotations

from functools import lru_cache

from casework.names.fold import fold_token, has_cyrillic, normalise_name

# Russian case endings of names, longest first: Жумагулова, Жумагулову, Жумагуловым …
_RUSSIAN_CASE_ENDINGS = (
    "ыми",
    "ими",
    "ого",
    "ому",
    "ему",
    "ой",
    "ою",
    "ей",
    "ым",
    "им",
    "ом",
    "ем",
)
_RUSSIAN_CASE_ENDINGS += ("ую", "у", "ю", "а", "я", "е", "ы", "и")


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
