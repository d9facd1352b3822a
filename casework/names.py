"""Names across scripts: the one place that normalises and compares personal names.

Search, import duplicate detection and mention detection all call `name_keys` and
`name_match_score`; nothing else compares names.
"""

from __future__ import annotations

import re
import unicodedata

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

_NON_LETTERS = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r"\s+")


def transliterate(text: str) -> str:
    """Cyrillic (Russian and Kazakh) to lower-case Latin; Latin passes through."""
    out = []
    for char in text.lower():
        out.append(CYRILLIC_TO_LATIN.get(char, char))
    return "".join(out)


def fold_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def normalise_name(name: str) -> str:
    """Lower-case Latin letters and single spaces: 'ZHUMAGULOV,  Almat' -> 'zhumagulov almat'."""
    text = fold_diacritics(transliterate(fold_diacritics(name)))
    text = text.replace("-", " ").replace("'", "").replace("’", "")
    text = _NON_LETTERS.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


# Ordered rewrites applied to one normalised token to reach a spelling-independent form.
_TOKEN_FOLDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^dzh"), "j"),
    (re.compile(r"dzh"), "j"),
    (re.compile(r"zh"), "j"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"ts|tz"), "c"),
    (re.compile(r"shch"), "sh"),
    (re.compile(r"ayev(a?)$"), r"aev\1"),
    (re.compile(r"iyev(a?)$"), r"iev\1"),
    (re.compile(r"yev(a?)$"), r"ev\1"),
    (re.compile(r"ya"), "ia"),
    (re.compile(r"yu"), "iu"),
    (re.compile(r"^ye"), "e"),
    (re.compile(r"^e"), "e"),
    (re.compile(r"iy$"), "i"),
    (re.compile(r"yi"), "i"),
    (re.compile(r"y"), "i"),
    (re.compile(r"(.)\1+"), r"\1"),
]


def fold_token(token: str) -> str:
    for pattern, replacement in _TOKEN_FOLDS:
        token = pattern.sub(replacement, token)
    return token


def name_tokens(name: str) -> list[str]:
    """The folded tokens of a name, in the order written; initials keep one letter."""
    return [fold_token(token) for token in normalise_name(name).split() if token]


def name_keys(name: str) -> list[str]:
    """Index keys of a name: the folded full name with tokens sorted (order-free), and each
    token of two letters or more alone, so a surname search finds the full name."""
    tokens = name_tokens(name)
    if not tokens:
        return []
    keys = {" ".join(sorted(tokens))}
    keys.update(token for token in tokens if len(token) >= 2)
    return sorted(keys)


def name_search_keys(query: str) -> list[str]:
    """Keys to look a typed query up by: the whole query, or any one of its words."""
    return name_keys(query)


def name_match_score(first: str, second: str) -> float:
    """How likely two written names denote the same person, in [0, 1]."""
    a, b = name_tokens(first), name_tokens(second)
    if not a or not b:
        return 0.0
    if sorted(a) == sorted(b):
        return 1.0
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    matched = 0.0
    used: set[int] = set()
    for token in shorter:
        best, best_index = 0.0, -1
        for index, other in enumerate(longer):
            if index in used:
                continue
            if token == other:
                score = 1.0
            elif len(token) == 1 or len(other) == 1:
                score = 0.9 if token[0] == other[0] else 0.0
            else:
                score = _similarity(token, other)
            if score > best:
                best, best_index = score, index
        if best_index >= 0:
            used.add(best_index)
        matched += best
    return round(matched / len(shorter) * (0.85 + 0.15 * len(shorter) / len(longer)), 4)


def _similarity(a: str, b: str) -> float:
    from difflib import SequenceMatcher

    ratio = SequenceMatcher(None, a, b).ratio()
    return ratio if ratio >= 0.8 else 0.0
