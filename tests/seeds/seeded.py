"""What the seed test modules share: the seed texts and a way to find a seed case."""

from __future__ import annotations

from advocacy.models import Document, Mention
from casework.models import Affiliation, Case, CaseEvent, Charge, Organisation, Person
from seeds.loader import SEED_DIRECTORY

SEED_TEXTS = {
    path.name: path.read_text(encoding="utf-8") for path in (SEED_DIRECTORY / "texts").glob("*.txt")
}

HISTORY_MODELS = [Organisation, Affiliation, Charge, Document, Person, Case, CaseEvent, Mention]


def case_of(full_name: str) -> Case:
    return Case.objects.select_related("person").get(person__full_name=full_name)
