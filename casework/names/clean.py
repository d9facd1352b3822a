"""Text a person types or a file carries, made safe to store as a name or a reference.

Characters that make a name display as another are dealt with here, for every path (the
forms call `name_clean`; the importer calls `name_clean` for name cells and
`text_strip_spoofing` for references and other values; an API will call the same):

- stripped, because they are invisible and pasted from word processors and web pages
  without intent: the soft hyphen (U+00AD), zero-width space (U+200B), zero-width
  non-joiner and joiner (U+200C, U+200D), word joiner (U+2060) and byte-order mark
  (U+FEFF);
- refused, with a message that names the field and the character, because they reorder
  what is displayed (a name can read as another): the bidirectional controls, that is the
  left-to-right and right-to-left marks (U+200E, U+200F, U+061C), embeddings and
  overrides (U+202A-U+202E) and isolates (U+2066-U+2069); and any other invisible format
  or control character (tags, invisible operators, NUL, escape …).

A name also has its white space made single spaces, and must begin with a letter: one that
begins with "=", "+", "-" or "@" would run as a formula when a spreadsheet opens an export,
and the importer refuses the same cells. A word that mixes Latin and Cyrillic letters which
look alike ("Пeтpов" with a Latin e and p, typed with the keyboard in the other layout or
read by OCR) is written in the script it shows: its transliteration and its keys would
otherwise be of another name ("Petpov").
"""

from __future__ import annotations

import re

from django.utils.translation import gettext

from common.text import (
    BIDIRECTIONAL,
    STRIPPED,
    TextRefusedError,
    text_spoofing_removed,
    text_strip_spoofing,
)

__all__ = [
    "BIDIRECTIONAL",
    "STRIPPED",
    "TextRefusedError",
    "name_clean",
    "text_spoofing_removed",
    "text_strip_spoofing",
]

_WHITE_SPACE = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Latin letters and the Cyrillic (Russian and Kazakh) letters they cannot be told from.
_LATIN_TWINS = "AaBCcEeHhIiKkMOoPpTXxYy"
_CYRILLIC_TWINS = "АаВСсЕеНһІіКкМОоРрТХхУу"
_TO_CYRILLIC = str.maketrans(_LATIN_TWINS, _CYRILLIC_TWINS)
_TO_LATIN = str.maketrans(_CYRILLIC_TWINS, _LATIN_TWINS)
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")
_WORD = re.compile(r"[^\W\d_]+")


def _one_script(match: re.Match[str]) -> str:
    """A word of Latin and Cyrillic letters in the script most of its letters are in, when
    its other letters all have a twin there; otherwise as written."""
    word = match[0]
    latin = _LATIN_LETTER.findall(word)
    cyrillic = _CYRILLIC_LETTER.findall(word)
    if not latin or not cyrillic:
        return word
    as_cyrillic = all(letter in _LATIN_TWINS for letter in latin)
    as_latin = all(letter in _CYRILLIC_TWINS for letter in cyrillic)
    if as_cyrillic and (len(cyrillic) >= len(latin) or not as_latin):
        return word.translate(_TO_CYRILLIC)
    if as_latin:
        return word.translate(_TO_LATIN)
    return word


def text_one_script_words(text: str) -> str:
    """The text with each word that mixes look-alike Latin and Cyrillic letters written in
    one script ("Пeтpов" -> "Петров", "Zhumagulоv" -> "Zhumagulov")."""
    if text.isascii() or not _LATIN_LETTER.search(text):
        return text  # no word can mix the two scripts
    return _WORD.sub(_one_script, text)


def name_clean(value: str, *, field: str) -> str:
    """A personal name as it may be stored: text_strip_spoofing, white space as single
    spaces, and a letter first ("=HYPERLINK(…)" and "+7…" are refused, as the importer
    refuses them)."""
    text = _WHITE_SPACE.sub(" ", text_strip_spoofing(value, field=field)).strip()
    text = text_one_script_words(text)
    if text and not text[0].isalpha():
        raise TextRefusedError(
            gettext(
                "%(field)s must begin with a letter: a name beginning with “%(first)s” could "
                "run as a formula when a spreadsheet opens it."
            )
            % {"field": field, "first": text[0]}
        )
    return text
