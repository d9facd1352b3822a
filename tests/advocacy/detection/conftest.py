"""The known people most detection tests look for, and `found`: what detection finds in a
text, as (person id, text as written), after checking every offset."""

from __future__ import annotations

import pytest

from advocacy.detection import document_text_find_people
from tests.factories import PersonAliasFactory, PersonFactory


@pytest.fixture
def known_people(db):
    people = {
        "zhumagulov": PersonFactory(full_name="Almat Zhumagulov", native_name="Алмат Жумагулов"),
        "dulat": PersonFactory(full_name="Dulat Agadil", native_name="Дулат Агадил"),
        "zhanbolat": PersonFactory(full_name="Zhanbolat Agadil", native_name="Жанболат Агадил"),
        "kenzhebek": PersonFactory(full_name="Kenzhebek Abishev"),
        "aset": PersonFactory(full_name="Aset Abishev"),
        "tuletaeva": PersonFactory(full_name="Roza Tuletaeva", native_name="Роза Тулетаева"),
        "zheksebayev": PersonFactory(full_name="Askhat Zheksebayev"),
        "kusmankyzy": PersonFactory(full_name="Saltanat Kusmankyzy"),
    }
    PersonAliasFactory(person=people["zheksebayev"], name="Асхат Жексебаев")
    return people


def found(text: str, **kwargs) -> list[tuple[int, str]]:
    detected = document_text_find_people(text=text, **kwargs)
    for name in detected:
        assert text[name.start : name.end] == name.matched_text
    return [(name.person_id, name.matched_text) for name in detected]
