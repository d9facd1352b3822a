"""Small rules about documents that views and forms share."""

from __future__ import annotations

import re
import unicodedata

from common.text import STRIPPED

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
