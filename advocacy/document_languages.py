"""The language a document is written in: one code of a short list (en, ru, kk …), so
that "Russian", "ru" and "RU" are one language and a filter or an export can count them.

The names are Django's own (django.conf.locale.LANG_INFO), which its catalogues already
translate into Russian and Kazakh. A typed spelling ("Russian", "русский", "орыс", "rus",
"ru-RU") is read as its code by `document_language_code`; the data migration
0015_document_language_choices applied a frozen copy of the same reading to the
documents recorded before."""

from __future__ import annotations

from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy

# The languages of the region's documents first, then those of the bodies that write about it.
CODES = (
    "en", "ru", "kk", "ky", "uz", "tg", "tk", "az", "be", "uk", "ka", "hy", "mn",
    "fa", "ar", "tr", "fr", "de", "es", "it", "pl",
)  # fmt: skip
DOCUMENT_LANGUAGES = [(code, gettext_lazy(LANG_INFO[code]["name"])) for code in CODES]

# Spellings that are neither a code nor a name Django knows: ISO 639-2 codes, country codes
# typed for languages, and the Russian and Kazakh names an officer types.
SPELLINGS = {
    "eng": "en", "англ": "en", "английский": "en", "ағылшын": "en", "ағылшынша": "en",
    "rus": "ru", "русский": "ru", "рус": "ru", "орыс": "ru", "орысша": "ru",
    "kaz": "kk", "kz": "kk", "қаз": "kk", "каз": "kk", "казахский": "kk",
    "қазақ": "kk", "қазақша": "kk", "казакша": "kk", "kazakh (latin)": "kk",
    "kir": "ky", "kyr": "ky", "kg": "ky", "kirghiz": "ky", "кыргызский": "ky",
    "киргизский": "ky", "uzb": "uz", "узбекский": "uz", "tgk": "tg", "tj": "tg",
    "таджикский": "tg", "tuk": "tk", "tm": "tk", "туркменский": "tk",
    "aze": "az", "bel": "be", "ukr": "uk", "ua": "uk", "украинский": "uk",
    "geo": "ka", "kat": "ka", "arm": "hy", "hye": "hy", "mon": "mn", "per": "fa",
    "fas": "fa", "ara": "ar", "tur": "tr",
    "fra": "fr", "fre": "fr", "французский": "fr", "deu": "de", "ger": "de",
    "немецкий": "de", "spa": "es", "испанский": "es", "ita": "it", "pol": "pl",
}  # fmt: skip


def _readings() -> dict[str, str]:
    readings = dict(SPELLINGS)
    for code in CODES:
        readings[code] = code
        readings[LANG_INFO[code]["name"].casefold()] = code
        readings[LANG_INFO[code]["name_local"].casefold()] = code
    return readings


READINGS = _readings()


def document_language_code(value: str) -> str | None:
    """The code of the language `value` names, or None for one the app does not know.
    Case and spaces do not matter, nor a region ("ru-RU", "en_GB")."""
    text = " ".join((value or "").split()).casefold()
    if text in READINGS:
        return READINGS[text]
    base = text.replace("_", "-").split("-")[0]
    return base if base in CODES else None
