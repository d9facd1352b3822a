"""Text a person types or a file carries, made safe to store and to show: characters that
make one text display as another.

- stripped, because they are invisible and pasted from word processors and web pages
  without intent: the soft hyphen (U+00AD), zero-width space (U+200B), zero-width
  non-joiner and joiner (U+200C, U+200D), word joiner (U+2060) and byte-order mark
  (U+FEFF);
- refused (text_strip_spoofing), with a message that names the field and the character,
  because they reorder what is displayed (a name can read as another): the bidirectional
  controls, that is the left-to-right and right-to-left marks (U+200E, U+200F, U+061C),
  embeddings and overrides (U+202A-U+202E) and isolates (U+2066-U+2069); and any other
  invisible format or control character (tags, invisible operators, NUL, escape …);
- removed without a word (text_spoofing_removed), for showing or exporting what was
  stored before these rules.

casework.names.name_clean adds what a personal name needs on top of these.
"""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext, pgettext

STRIPPED = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
BIDIRECTIONAL = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_STRIPPED_TABLE = str.maketrans(dict.fromkeys(STRIPPED))


class TextRefusedError(ValueError):
    """A value that may not be stored as it is; the message names the field and says why."""


def text_strip_spoofing(value: str, *, field: str) -> str:
    """The value without invisible characters, in composed form (NFC); TextRefusedError if it
    holds a direction control or another invisible format or control character."""
    text = unicodedata.normalize("NFC", value.translate(_STRIPPED_TABLE))
    if text.isprintable():
        # No character of the categories refused below (every direction control is one of
        # them, Cf): one test in C instead of a category lookup per character.
        return text
    for character in text:
        if character in "\t\n\r":
            continue
        if character in BIDIRECTIONAL:
            raise TextRefusedError(
                gettext(
                    "%(field)s contains a character that changes the direction of the text "
                    "(%(code)s %(character_name)s), which can make it display as another; "
                    "remove it."
                )
                % _described(field, character)
            )
        if unicodedata.category(character) in {"Cf", "Cc", "Co", "Cs", "Cn"}:
            raise TextRefusedError(
                gettext(
                    "%(field)s contains an invisible control character (%(code)s "
                    "%(character_name)s); remove it."
                )
                % _described(field, character)
            )
    return text


def _described(field: str, character: str) -> dict[str, str]:
    return {
        "field": field,
        "code": f"U+{ord(character):04X}",
        "character_name": unicodedata.name(character, "unnamed"),
    }


def text_spoofing_removed(value: str) -> str:
    """The value with every invisible and direction character removed, refusing nothing:
    for showing or exporting what was stored before these rules."""
    return "".join(
        character
        for character in value.translate(_STRIPPED_TABLE)
        if character in "\t\n\r"
        or (
            character not in BIDIRECTIONAL
            and unicodedata.category(character) not in {"Cf", "Cc", "Co", "Cs", "Cn"}
        )
    )


def grouped(number: int) -> str:
    """A whole number with the reader's thousands separator: 12,345 or 12 345 (narrow space)."""
    from django.utils.formats import number_format

    return number_format(number, force_grouping=True)


def quoted(text: str) -> str:
    """`text` in the reader's quotation marks, for a message: “…” in English, «…» in Russian
    and Kazakh."""
    return pgettext("a value quoted in a message", "“%(value)s”") % {"value": text}
