"""Small rules about documents that views and forms share."""

from __future__ import annotations

import re

_SPACES = re.compile(r"\s+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "’": "'", "‘": "'"})


def _comparable(text: str) -> str:
    return _SPACES.sub(" ", text.translate(_QUOTES)).strip().casefold()


def document_text_contains_passage(*, full_text: str, passage: str) -> bool:
    """Whether a quoted passage occurs in the text, ignoring line breaks, case and quote style
    (PDF extraction breaks lines and straightens quotes differently from a copy-paste)."""
    wanted = _comparable(passage)
    return bool(wanted) and wanted in _comparable(full_text)
