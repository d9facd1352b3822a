"""Cell values as partners write them -> the values the models hold: names, gender,
occupation and free text (dates, status words and charges have modules of their own). Each
function returns the value or raises CellError with a message that quotes what was written."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from casework.importing.cells import Cell, CellError, cell_text, word_normalise
from casework.importing.cells import cell_quote as _quote
from casework.models import Person
from casework.names import NAME_SEPARATORS as _NAME_SEPARATORS
from casework.names import (
    TextRefusedError,
    latin_name_from_cyrillic,
    name_clean,
    name_written,
    text_strip_spoofing,
)
from casework.names import file_name_order as file_name_order  # matching reads it here
from common.text import grouped

__all__ = [
    "CellError",
    "ParsedName",
    "cell_text",
    "file_name_order",
    "gender_parse",
    "name_parse",
    "occupation_parse",
    "text_parse",
]

# --- Gender and occupation --------------------------------------------------------------------

_GENDER_WORDS = {
    "м": "male",
    "муж": "male",
    "мужской": "male",
    "male": "male",
    "m": "male",
    "man": "male",
    "ж": "female",
    "жен": "female",
    "женский": "female",
    "female": "female",
    "f": "female",
    "woman": "female",
}

_OCCUPATION_WORDS = {
    "журналист": "journalist",
    "журналистка": "journalist",
    "journalist": "journalist",
    "активист": "activist",
    "активистка": "activist",
    "гражданский активист": "activist",
    "activist": "activist",
    "блогер": "blogger",
    "блогерша": "blogger",
    "blogger": "blogger",
    "адвокат": "lawyer",
    "юрист": "lawyer",
    "lawyer": "lawyer",
    "правозащитник": "human_rights_defender",
    "правозащитница": "human_rights_defender",
    "human rights defender": "human_rights_defender",
    "профсоюзный активист": "trade_unionist",
    "trade unionist": "trade_unionist",
    "верующий": "religious_believer",
    "верующая": "religious_believer",
    "religious believer": "religious_believer",
    "политик": "politician",
    "politician": "politician",
    "предприниматель": "businessperson",
    "businessperson": "businessperson",
    "другое": "other",
    "other": "other",
}


def gender_parse(value: Cell) -> str:
    text = word_normalise(cell_text(value))
    if not text:
        return ""
    if text not in _GENDER_WORDS:
        raise CellError(
            _("The gender %(value)s is not known; write М/Ж or male/female.")
            % {"value": _quote(value)}
        )
    return _GENDER_WORDS[text]


def occupation_parse(value: Cell) -> str:
    text = word_normalise(cell_text(value))
    if not text:
        return ""
    code = _OCCUPATION_WORDS.get(text) or (
        text.replace(" ", "_") if text.replace(" ", "_") in Person.Occupation.values else None
    )
    if code is None:
        raise CellError(
            _(
                "The occupation %(value)s is not known; write e.g. журналист, активист, "
                "блогер, правозащитник, journalist, activist."
            )
            % {"value": _quote(value)}
        )
    return code


# --- Names ------------------------------------------------------------------------------------

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_DIGIT = re.compile(r"\d")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_TWO_LETTERS = re.compile(r"[^\W\d_].*[^\W\d_]", re.DOTALL)


@dataclass(frozen=True)
class ParsedName:
    full_name: str  # Latin script
    native_name: str  # as written in Cyrillic, or ""


def name_parse(
    value: Cell, latin_value: Cell = None, *, family_first: bool | None = None
) -> ParsedName:
    """A name cell in Cyrillic and/or Latin ("Жумагулов Алмат Серикович", "ZHUMAGULOV Almat",
    "Жумагулов Алмат (Almat Zhumagulov)") -> a Latin primary name and a native name.
    family_first: the order the file writes its names in (file_name_order), for a Cyrillic
    name whose words do not show which is the family name."""
    text = cell_text(value)
    latin_text = cell_text(latin_value) if latin_value is not None else ""
    try:  # the person form's rule (casework.names.name_clean), for both paths alike
        text = _name_cleaned(text, label=gettext_noop("The name")) if text else ""
        latin_text = (
            _name_cleaned(latin_text, label=gettext_noop("The name in Latin letters"))
            if latin_text
            else ""
        )
    except TextRefusedError as error:
        raise CellError(str(error)) from None
    if not text and not latin_text:
        raise CellError(_("The person's name is missing."))
    for written in (text, latin_text):
        if _DIGIT.search(written):
            # "Иванов Иван (1985 г.р.)", "Иванов Иван;ст. 174": read as a name, the year or
            # the article would become part of it ("G. R. Ivanov Ivan 1985").
            raise CellError(
                _(
                    "%(value)s holds digits, which no name has: write the name alone in this "
                    "column, and a year or an article in a column of its own."
                )
                % {"value": _quote(written)}
            )
    if _NAME_SEPARATORS.search(text):
        parts = [part.strip() for part in _NAME_SEPARATORS.split(text) if part.strip()]
        cyrillic = " ".join(part for part in parts if _CYRILLIC.search(part))
        latin = latin_text or " ".join(part for part in parts if not _CYRILLIC.search(part))
    elif _CYRILLIC.search(text):
        cyrillic, latin = text, latin_text
    else:
        cyrillic, latin = "", latin_text or text
    if latin and _CYRILLIC.search(latin):
        raise CellError(_("%(name)s should be in Latin letters.") % {"name": _quote(latin)})
    cyrillic, named_family_first = _family_comma_undone(cyrillic, given_first=False)
    latin, _given_first = _family_comma_undone(latin, given_first=True)
    if named_family_first:
        family_first = True
    for name in (cyrillic, latin):
        if name and not _TWO_LETTERS.search(name):
            raise CellError(_("%(name)s is not a name.") % {"name": _quote(name)})
        if len(name) > 200:
            raise CellError(_("The name is longer than 200 characters."))
    # The Latin name is read from the Cyrillic as written: its capitals tell the family name.
    full_name = (
        name_written(latin)
        if latin
        else latin_name_from_cyrillic(cyrillic, family_first=family_first)
    )
    return ParsedName(full_name=full_name, native_name=name_written(cyrillic))


# "Петров, Пётр", "Petrova, Anna Sergeevna": one family name, a comma, the given names.
_FAMILY_COMMA = re.compile(
    r"^([^\W\d_][\w'’-]*)\s*,\s*([^\W\d_][\w'’.-]*(?:\s+[^\W\d_][\w'’.-]*){0,2})$"
)


def _family_comma_undone(name: str, *, given_first: bool) -> tuple[str, bool]:
    """A name written "Family, Given" without its comma (which stayed in the stored name,
    "Petr Petrov,"), in the script's order: the family name first in Cyrillic, last in
    Latin; and whether the comma said so."""
    match = _FAMILY_COMMA.match(name)
    if match is None:
        return name, False
    family, given = match[1], match[2]
    return (f"{given} {family}" if given_first else f"{family} {given}"), True


def _name_cleaned(text: str, *, label: str) -> str:
    """name_clean, with the field's label translated only for the message of a name it
    refuses: a big file has tens of thousands of names, nearly all of them fine, and
    asking for the language costs a few microseconds each time."""
    try:
        return name_clean(text, field=label)
    except TextRefusedError:
        return name_clean(text, field=_(label))  # refused again, now in the reader's words


def text_parse(value: Cell, *, max_length: int | None = None) -> str:
    """Free text kept as written (a leading '=' included: it is stored as text, never run)."""
    text = "" if value is None else cell_text(value) if not isinstance(value, str) else value
    text = text.replace("\r\n", "\n").replace("\xa0", " ").strip()
    try:
        text = text_strip_spoofing(text, field=_("The cell"))
    except TextRefusedError as error:
        raise CellError(str(error)) from None
    if max_length is not None and len(text) > max_length:
        raise CellError(
            _("The text is longer than %(limit)s characters.") % {"limit": grouped(max_length)}
        )
    return text
