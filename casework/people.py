"""Writes about people: recording a person, their match keys and their aliases."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from casework.models import Organisation, Person, PersonAlias, PersonNameKey
from casework.names import name_keys


def person_all_names(*, person: Person, aliases: Iterable[str] = ()) -> list[str]:
    return [name for name in (person.full_name, person.native_name, *aliases) if name]


def person_refresh_name_keys(*, person: Person) -> None:
    """Rebuild the person's key rows from their names and aliases (called on every save)."""
    alias_names = list(PersonAlias.objects.filter(person=person).values_list("name", flat=True))
    keys: set[str] = set()
    for name in person_all_names(person=person, aliases=alias_names):
        keys.update(name_keys(name))
    own_keys = " ".join(
        sorted({key for name in person_all_names(person=person) for key in name_keys(name)})
    )
    with transaction.atomic():
        Person.objects.filter(pk=person.pk).update(match_keys=own_keys)
        PersonNameKey.objects.filter(person=person).exclude(key__in=keys).delete()
        existing = set(PersonNameKey.objects.filter(person=person).values_list("key", flat=True))
        PersonNameKey.objects.bulk_create(
            [PersonNameKey(person=person, key=key) for key in sorted(keys - existing)]
        )
    person.match_keys = own_keys


def person_create(
    *,
    organisation: Organisation,
    by,
    full_name: str,
    native_name: str = "",
    birth_year: int | None = None,
    gender: str = "",
    region: str = "",
    occupation: str = "",
) -> Person:
    """Record a person for the organisation; their name keys follow from the save signal."""
    person = Person(
        owning_organisation=organisation,
        created_by=by,
        full_name=full_name.strip(),
        native_name=native_name.strip(),
        birth_year=birth_year,
        gender=gender,
        region=region.strip(),
        occupation=occupation,
    )
    person.full_clean()
    person._history_user = by
    person.save()
    return person


def person_add_alias(
    *, person: Person, name: str, kind: str = PersonAlias.Kind.SPELLING
) -> PersonAlias:
    alias, _ = PersonAlias.objects.get_or_create(
        person=person, name=name.strip(), defaults={"kind": kind}
    )
    return alias
