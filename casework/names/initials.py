"""Initials: which initials may stand for a written word ("D." is Dulat or Dzhakishev, never
Zhanbolat), and when two initials may abbreviate the same word."""

from __future__ import annotations

from functools import lru_cache

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
DIGRAPH_INITIALS: dict[str, str] = {
    digraph: digraph
    for digraph in ("zh", "kh", "sh", "ch", "ts", "yu", "ya", "ye", "yo", "dzh", "shch")
} | {"tz": "ts", "iu": "yu", "ia": "ya", "dj": "dzh"}

# _HEADS by first letter, in the same order: a word is compared with the beginnings that
# start as it does only.
_HEADS_BY_LETTER: dict[str, tuple[tuple[str, frozenset[str]], ...]] = {
    letter: tuple(item for item in _HEADS if item[0][0] == letter)
    for letter in {beginning[0] for beginning, _ in _HEADS}
}


# The longest beginning _HEADS knows: a word's heads depend on that many letters of it.
_BEGINNING_MAX = max(len(beginning) for beginning, _ in _HEADS)


def word_heads(word: str) -> frozenset[str]:
    """The initials that may stand for a written word (normalised Latin, or an initial):
    'zhanbolat' -> {'zh', 'z', 'j'}, 'dulat' -> {'d'}, 'dzhakishev' -> {'dzh', 'd', 'j'}."""
    # Remembered by beginning, not by word: a file names thousands of different people,
    # whose words begin in a few hundred ways.
    return _beginning_heads(word[:_BEGINNING_MAX])


@lru_cache(maxsize=4096)
def _beginning_heads(beginning_written: str) -> frozenset[str]:
    heads = {beginning_written[:1]}
    for beginning, alternatives in _HEADS_BY_LETTER.get(beginning_written[:1], ()):
        if beginning_written.startswith(beginning):
            heads |= alternatives
    return frozenset(heads)


def initials_agree(first: str, second: str) -> bool:
    """Two initials may abbreviate the same word ("Zh." and "J.", not "D." and "Zh.")."""
    return first == second or first in word_heads(second) or second in word_heads(first)


_ALL_INITIALS = frozenset(
    {chr(letter) for letter in range(ord("a"), ord("z") + 1)}
    | set(DIGRAPH_INITIALS.values())
    | {head for _, heads in _HEADS for head in heads}
)


@lru_cache(maxsize=256)
def agreeing_initials(initial: str) -> frozenset[str]:
    """Every initial that agrees with this one (for index keys of a name written with it)."""
    return frozenset(other for other in _ALL_INITIALS if initials_agree(initial, other))
