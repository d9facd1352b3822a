"""Translations a test gives for strings its fix marks but the catalogues do not hold yet."""

from __future__ import annotations

from django.utils.translation import trans_real


def translations_given(monkeypatch, language: str, entries: dict[str, str]) -> None:
    """As if `language`'s catalogue translated each msgid of `entries`, for one test: a page
    that shows the translation passed the string through gettext."""
    catalogue = trans_real.translation(language)._catalog._catalogs[0]
    for msgid, msgstr in entries.items():
        monkeypatch.setitem(catalogue, msgid, msgstr)
