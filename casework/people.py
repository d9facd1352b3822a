"""Writes about people: their match keys and their aliases."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from casework.models import Person, PersonAlias, PersonNameKey
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


def person_add_alias(
    *, person: Person, name: str, kind: str = PersonAlias.Kind.SPELLING
) -> PersonAlias:
    alias, _ = PersonAlias.objects.get_or_create(
        person=person, name=name.strip(), defaults={"kind": kind}
    )
    return alias
