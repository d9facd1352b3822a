"""The notes the app itself writes on timeline entries (today the spreadsheet import's source
and description). They are stored as their English message, never in the language of the
user whose action wrote them, and shown in the reader's: a Russian reader of a case a
Kazakh-speaking partner imported reads Russian. What a person wrote is shown as written."""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop

# A status event a spreadsheet import writes: its source and one of its descriptions.
IMPORT_SOURCE = gettext_noop("Import")
IMPORT_RECORDED = gettext_noop("Status recorded by a spreadsheet import.")
IMPORT_RECORDED_UNDATED = gettext_noop(
    "Status recorded by a spreadsheet import. The file gives no date for it."
)
IMPORT_CHANGED = gettext_noop("Status changed by a spreadsheet import.")
IMPORT_CHANGED_UNDATED = gettext_noop(
    "Status changed by a spreadsheet import. The file gives no date for it."
)

IMPORT_DESCRIPTIONS = frozenset(
    {IMPORT_RECORDED, IMPORT_RECORDED_UNDATED, IMPORT_CHANGED, IMPORT_CHANGED_UNDATED}
)
_SOURCES = frozenset({IMPORT_SOURCE})


def import_description(*, new_case: bool, dated: bool) -> str:
    """The stored description of a status event an import writes (translated when shown)."""
    if new_case:
        return IMPORT_RECORDED if dated else IMPORT_RECORDED_UNDATED
    return IMPORT_CHANGED if dated else IMPORT_CHANGED_UNDATED


def event_description_shown(*, text: str) -> str:
    """An event's description in the reader's language if the app wrote it, else as written."""
    return gettext(text) if text in IMPORT_DESCRIPTIONS else text


def event_source_shown(*, text: str) -> str:
    """An event's source in the reader's language if the app wrote it, else as written."""
    return gettext(text) if text in _SOURCES else text
