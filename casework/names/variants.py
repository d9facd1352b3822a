"""Given-name variants: the long, short and regional forms of one given name (Aleksandr /
Sasha, Bolat / Bulat, Mukhammed / Magomed), read once from given_name_variants.txt, where
each line is one name and the file notes its sources."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from casework.names.fold import name_tokens

VARIANTS_FILE = Path(__file__).with_name("given_name_variants.txt")


@cache
def _variants() -> dict[str, frozenset[str]]:
    """Folded form -> the folded forms that are variants of it (never itself)."""
    found: dict[str, set[str]] = {}
    for line in VARIANTS_FILE.read_text(encoding="utf-8").splitlines():
        forms = {form for word in line.split("#")[0].split() for form in name_tokens(word)}
        for form in forms:
            found.setdefault(form, set()).update(forms - {form})
    return {form: frozenset(others) for form, others in found.items()}


def given_names_are_variants(first: str, second: str) -> bool:
    """Whether two folded given names are forms of one name ('sasha', 'aleksandr')."""
    return second in _variants().get(first, frozenset())
