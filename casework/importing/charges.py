"""Charge cells as partners write them ("ст. 174 ч.1 УК РК; ст.405", "ч.2 ст.405",
"Art. 174(1), 405(2)") -> the article and part of each charge."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from casework.importing.cells import Cell, CellError, cell_quote, cell_text

# A charge cell is read as a stream of tokens, because Russian writes the part before the
# article ("ч. 2 ст. 405") as often as after it ("ст. 405 ч. 2", "Art. 405(2)"), and a comma
# may separate an article from its own part ("ст. 174, ч.1"). Splitting on commas first and
# taking the first number of each piece read "ч.2 ст.405" as article 2.
_CHARGE_TOKEN = re.compile(
    r"(?P<sep>[;,\n]|(?<![^\W\d_])(?:и|and|&)(?![^\W\d_]))"
    r"|(?P<part>(?<![^\W\d_])(?:ч|част[ьиюя]|p|pt|parts?)\.?\s*(?P<part_number>\d{1,2})(?!\d))"
    r"|(?P<clause>(?<![^\W\d_])(?:пп?|пункт[а-я]*|подпункт[а-я]*|item|cl|clause)\.?\s*"
    r"\d{1,2}(?!\d))"
    r"|(?P<paren>\(\s*(?P<paren_number>\d{1,2})\s*\))"
    # Kazakh writes the number first: "405-бап 2-бөлігі 1-тармағы" (article, part, clause).
    r"|(?P<after>(?<!\d)(?P<after_number>\d{1,2})\s*-?\s*бөлі\w*)"
    r"|(?P<clause_after>(?<!\d)\d{1,2}\s*-?\s*тармағ\w*)"
    r"|(?P<year>(?<!\d)(?:19[5-9]\d|20[0-4]\d)(?!\d))"
    r"|(?P<article>(?<!\d)\d{1,4}(?:-\d{1,2})?(?!\d))",
    re.IGNORECASE,
)
# Words a charge cell may hold besides articles: what names the code, the article, "year".
_CHARGE_WORDS = re.compile(
    r"ст|стать[яиейю]|статей|ук|рк|кз|уголовн[а-я]*|кодекс[а-я]*|г|года?|ред|редакции|art|"
    r"articles?|cc|criminal|code|of|the|rk|kz|kazakhstan|казахстан[а-я]*|республики|ч|часть|"
    r"части|п|пункт|and|и|бап|бабы|бабының|баптың|бөлігі|бөлік|қылмыстық|кодексі\w*|қр|"
    r"тармағы",
    re.IGNORECASE,
)
_LETTERS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class ChargeReference:
    article: str
    part: str
    code: str  # "CC 2014" or "CC 1997"


def charge_shown(reference: ChargeReference) -> str:
    """ "art. 405 part 2", as the preview names a charge."""
    shown = _("art. %(article)s") % {"article": reference.article}
    return shown + (_(" part %(part)s") % {"part": reference.part} if reference.part else "")


def charges_parse(value: Cell) -> list[ChargeReference]:
    """'ст. 174 ч.1 УК РК; ст.405', 'ч.2 ст.405 УК РК', 'ст. 174, ч.1', 'Art. 174(1), 405(2)'
    -> the article and part of each charge, in the order written, without repeats."""
    text = cell_text(value)
    if not text:
        return []
    charges: list[list[Any]] = []  # [article, part, clause number, hard segment number]
    clause = segment = 0
    last: list[Any] | None = None  # the article a part right after it belongs to
    adjacent = False  # nothing but spaces and words since `last`
    pending: tuple[str, list[Any] | None] | None = None  # a part waiting for its article
    years: dict[tuple[str, int], str] = {}
    clause_has_token: dict[int, bool] = {}
    clause_text: dict[int, list[str]] = defaultdict(list)
    position = 0
    for match in _CHARGE_TOKEN.finditer(text):
        clause_text[clause].append(text[position : match.start()])
        position = match.end()
        kind = match.lastgroup
        if kind == "sep":
            if match.group() in ";\n":
                segment += 1
            clause += 1
            adjacent = False
            continue
        clause_has_token[clause] = True
        if kind == "part":
            number = match["part_number"]
            if last is not None and adjacent and not last[1]:
                last[1] = number
            else:
                pending = (number, last)
            continue
        if kind in ("paren", "after"):
            if last is not None and adjacent and not last[1]:
                last[1] = match["paren_number"] or match["after_number"]
            continue
        if kind in ("clause", "clause_after"):
            continue  # a clause (пункт) narrows a part; the charge is the article and part
        if kind == "year":
            years[("clause", clause)] = years[("segment", segment)] = match.group()
            continue
        article = match.group()
        if int(article.split("-")[0]) == 0 or int(article.split("-")[0]) > 999:
            raise CellError(
                _("%(article)s in %(charge)s is not an article number.")
                % {"article": cell_quote(article), "charge": cell_quote(value)}
            )
        last = [article, pending[0] if pending else "", clause, segment]
        pending = None
        charges.append(last)
        adjacent = True
    clause_text[clause].append(text[position:])
    if pending is not None:
        number, earlier = pending
        if earlier is None:
            raise CellError(
                _("%(charge)s: part %(number)s names no article; write e.g. “ч. 1 ст. 174 УК РК”.")
                % {"charge": cell_quote(value), "number": number}
            )
        if not earlier[1]:
            earlier[1] = number
        else:  # "ст. 174 ч. 1 и ч. 2": parts 1 and 2 of the same article
            charges.append([earlier[0], number, earlier[2], earlier[3]])
    _clauses_check(clause_text=clause_text, clause_has_token=clause_has_token)
    if not charges:
        raise CellError(
            _("The charge %(charge)s names no article; write e.g. “ст. 174 ч.1 УК РК”.")
            % {"charge": cell_quote(value)}
        )
    found: list[ChargeReference] = []
    for article, part, clause_number, segment_number in charges:
        year = years.get(("clause", clause_number)) or years.get(("segment", segment_number))
        reference = ChargeReference(
            article=article, part=part, code="CC 1997" if year == "1997" else "CC 2014"
        )
        if reference not in found:
            found.append(reference)
    return found


def _clauses_check(*, clause_text: dict[int, list[str]], clause_has_token: dict[int, bool]) -> None:
    """Refuse a clause of words that are not a charge's ("хулиганство") and no article."""
    for number, pieces in clause_text.items():
        words = _LETTERS.findall(" ".join(pieces))
        unknown = [word for word in words if not _CHARGE_WORDS.fullmatch(word)]
        if unknown and not clause_has_token.get(number):
            piece = " ".join(pieces).strip()
            raise CellError(
                _("The charge %(charge)s names no article; write e.g. “ст. 174 ч.1 УК РК”.")
                % {"charge": cell_quote(piece)}
            )
