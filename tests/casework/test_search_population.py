"""casework.search on a realistic population: the seed people and 3,000 generated ones
(tests/bench/generated_people.py). A typo in a given name and a family name's Russian
ending find the person without bringing others along."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from casework.models import Organisation, Person, PersonNameKey
from casework.names import name_family_stem_keys, name_keys, name_parts, name_tokens, normalise_name
from casework.search import people_matching_name
from tests.bench.generated_people import _random_name
from tests.factories import OrganisationFactory

GENERATED = 3_000


@pytest.fixture
def population(db) -> list[tuple[int, str]]:
    organisation = Organisation.objects.first() or OrganisationFactory()
    seeds = yaml.safe_load(Path(settings.BASE_DIR, "seeds", "people.yaml").read_text())
    generator = random.Random(7)
    names = [(person["full_name"], "") for person in seeds["people"]]
    names += [_random_name(generator) for _ in range(GENERATED)]
    keys_of = [
        sorted({*name_keys(full), *(name_keys(native) if native else [])}) for full, native in names
    ]
    people = Person.objects.bulk_create(
        Person(
            full_name=full,
            native_name=native,
            owning_organisation=organisation,
            match_keys=" ".join(keys),
        )
        for (full, native), keys in zip(names, keys_of, strict=True)
    )
    PersonNameKey.objects.bulk_create(
        PersonNameKey(person_id=person.pk, key=key)
        for person, keys in zip(people, keys_of, strict=True)
        for key in keys
    )
    return [(person.pk, person.full_name) for person in people]


def _found(query: str) -> set[int]:
    return set(
        people_matching_name(people=Person.objects.all(), query=query).values_list("pk", flat=True)
    )


def _same_name(population, full_name: str) -> set[int]:
    written = normalise_name(full_name)
    return {pk for pk, name in population if normalise_name(name) == written}


def _read_in_order(population) -> list[tuple[int, str]]:
    """People whose names casework.names reads as a given name, then the family name (not
    "Madina Kanatbekar", whose -ina reads as a family name's ending)."""
    return [
        (pk, name)
        for pk, name in population
        if name_parts(name).given == tuple(name_tokens(name)[:1])
    ]


def _given(population, results: set[int]) -> set[tuple[str, ...]]:
    return {name_parts(name).given for pk, name in population if pk in results}


def test_it_finds_a_given_name_a_letter_short_and_nobody_else(population):
    sample = [
        (pk, name) for pk, name in _read_in_order(population)[::10] if len(name.split()[0]) >= 5
    ]
    missed, extra = 0, 0
    for pk, name in sample:
        given, family = name.split()
        typo = given[:2] + given[3:]  # "Yerzhan" -> "Yezhan"
        results = _found(f"{typo} {family}")
        missed += pk not in results
        # Someone with another given name a keystroke from the typo (Yerlan for Yerzan).
        extra += len(_given(population, results) - {name_parts(name).given})
    assert len(sample) > 200
    assert missed == 0
    assert extra == 0


def _stem_holders(query: str) -> set[int]:
    """Who the Russian form's Kazakh form (name_family_stem_keys) names, search's other
    ways of finding them (the query's own keys, its near spellings) aside."""
    found: set[int] = set()
    for word, near in name_family_stem_keys(query):
        holders = PersonNameKey.objects.filter(key=near).values("person_id")
        found |= set(
            PersonNameKey.objects.filter(key=word, person_id__in=holders).values_list(
                "person_id", flat=True
            )
        )
    return found


def test_it_finds_a_russian_family_forms_kazakh_one_and_nobody_else(population):
    bare = [
        (pk, name)
        for pk, name in _read_in_order(population)
        if not name.endswith(("ov", "ev", "ova", "eva", "in", "ina", "uly", "kyzy"))
    ]
    missed, extra = 0, 0
    for pk, name in bare[:300]:
        family = name.split()[1]
        russian = family + ("ev" if family[-1] in "aeiouy" else "ov")
        missed += pk not in _found(russian)
        named = _stem_holders(russian)
        # Never a Bolat for "Bolatov": only people of that family.
        extra += sum(
            name_parts(other).family != name_parts(name).family
            for other_pk, other in population
            if other_pk in named
        )
    assert len(bare) > 300
    assert missed == 0
    assert extra == 0


def test_it_finds_exactly_what_it_found_for_a_full_name_written_right(population):
    for pk, name in population[::25]:
        assert _found(name) == _same_name(population, name) | {pk}
