"""Small rules about documents that views and forms share."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

from common.text import STRIPPED

if TYPE_CHECKING:
    from advocacy.models import Mention

_SPACES = re.compile(r"\s+")
_QUOTES = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "«": '"',
        "»": '"',
        "’": "'",
        "‘": "'",
        **dict.fromkeys(STRIPPED),
    }
)
# A word hyphenated at the end of a line ("Zheksebay-\nev").
_LINE_END_HYPHEN = re.compile(r"(?<=\w)-[ \t]*\r?\n\s*(?=\w)")


def _comparable(text: str) -> str:
    # NFKC: the ligatures of PDF extraction ("ﬁ") are the letters a copy-paste gives.
    text = unicodedata.normalize("NFKC", text.translate(_QUOTES))
    return _SPACES.sub(" ", text).strip().casefold()


def document_text_contains_passage(*, full_text: str, passage: str) -> bool:
    """Whether a quoted passage occurs in the text, ignoring line breaks, case and quote style
    (PDF extraction breaks lines and straightens quotes differently from a copy-paste), the
    invisible characters and ligatures of PDFs, and words hyphenated at the end of a line."""
    wanted = _comparable(passage)
    if not wanted:
        return False
    return wanted in _comparable(full_text) or wanted in _comparable(
        _LINE_END_HYPHEN.sub("", full_text)
    )


def mentions_quoting_elsewhere(*, full_text: str, mentions: Iterable[Mention]) -> set[int]:
    """The ids of the mentions whose passage the text does not contain, read as
    document_text_contains_passage reads it (the text was replaced since they were found
    or typed, so their quote no longer shows where it names the person); none when the
    document has no text."""
    if not full_text.strip():
        return set()
    texts = (_comparable(full_text), _comparable(_LINE_END_HYPHEN.sub("", full_text)))
    elsewhere = set()
    for mention in mentions:
        wanted = _comparable(mention.passage)
        if wanted and not any(wanted in text for text in texts):
            elsewhere.add(mention.pk)
    return elsewhere
