"""The cases an officer names on an engagement or a campaign: by reference, or by the
person's name in any spelling or script (casework.search, the case list's own search),
always among the cases the user may see, so a name never reveals a case they may not."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from casework.models import Case
from casework.search import cases_matching_name

# A comma, a semicolon or a new line separates entries: a name has spaces in it.
ENTRY_SEPARATORS = re.compile(r"[,;\r\n]+")
# One search per typed name (casework.search reads one name at a time), so a form takes
# this many names at most; references are read all in one query whatever their number.
NAMES_MAX = 30
# The cases a name may stand for that are offered to choose from.
CHOICES_MAX = 10


@dataclass
class CasePicks:
    cases: list[Case] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    # Entry → the cases it may stand for, when it names more than one.
    ambiguous: dict[str, list[Case]] = field(default_factory=dict)
    too_many_names: bool = False


def case_entries(text: str) -> list[str]:
    return [entry.strip() for entry in ENTRY_SEPARATORS.split(text or "") if entry.strip()]


def _cases_by_reference(*, cases: QuerySet[Case], words: set[str]) -> dict[str, Case]:
    if not words:
        return {}
    wanted = Q()
    for word in words:
        wanted |= Q(reference__iexact=word)
    return {case.reference.upper(): case for case in cases.filter(wanted)}


def cases_picked(*, cases: QuerySet[Case], text: str, chosen: Collection[int] = ()) -> CasePicks:
    """The cases of `cases` that `text` names. Each entry is a reference, several
    references separated by spaces (as the field took before names), or a name. A name
    that stands for several cases takes those of them whose ids are in `chosen` (ticked
    on the form); with none ticked it is left `ambiguous` for the user to choose."""
    picks = CasePicks()
    entries = case_entries(text)
    references = _cases_by_reference(
        cases=cases, words={word for entry in entries for word in entry.split()}
    )
    names = []
    for entry in entries:
        words = entry.split()
        if all(word.upper() in references for word in words):
            picks.cases.extend(references[word.upper()] for word in words)
        else:
            names.append(entry)
    if len(names) > NAMES_MAX:
        picks.too_many_names = True
        return picks
    for name in names:
        found = list(
            cases_matching_name(cases=cases, query=name)
            .select_related("person")
            .order_by("person__full_name", "reference")[: CHOICES_MAX + 1]
        )
        ticked = [case for case in found if case.pk in chosen]
        if len(found) == 1 or ticked:
            picks.cases.extend(ticked or found)
        elif found:
            picks.ambiguous[name] = found[:CHOICES_MAX]
        else:
            picks.unknown.append(name)
    picks.cases = list({case.pk: case for case in picks.cases}.values())
    return picks
