"""Translations a test gives for strings its fix marks but the catalogues do not hold yet."""

from __future__ import annotations

from django.utils.translation import trans_real


def translations_given(monkeypatch, language: str, entries: dict[str, str]) -> None:
    """As if `language`'s catalogue translated each msgid of `entries`, for one test: a page
    that shows the translation passed the string through gettext."""
    catalogue = trans_real.translation(language)._catalog._catalogs[0]
    for msgid, msgstr in entries.items():
        monkeypatch.setitem(catalogue, msgid, msgstr)


def every_marked_string_tagged(monkeypatch, language: str, tag: str) -> None:
    """Every string gettext or ngettext returns in `language` comes back with `tag` in
    front, whatever its catalogue holds: a message that shows the tag went through gettext,
    one that does not was never marked for translation."""
    translation = trans_real.translation(language)
    monkeypatch.setattr(translation, "gettext", lambda message: tag + message)
    monkeypatch.setattr(
        translation,
        "ngettext",
        lambda singular, plural, number: tag + (singular if number == 1 else plural),
    )
