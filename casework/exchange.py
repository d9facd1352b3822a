"""Records as FollowTheMoney entities (the exchange format of OpenSanctions and Aleph):
how an entity is written (id, schema, properties as lists of strings) and how a person on
file reads as a `Person`. The API's /people/<id>/ftm/ and accountability's export both
call it, so a person reads the same, with the same id, wherever they are exported.

Only fields every user who may see the person may see go in: never a sensitive field
(casework.people.PERSON_SENSITIVE_FIELDS). Entity ids are derived from the record ids with
a fixed prefix, so a second export gives the same ids and a receiver updates rather than
duplicates."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from casework.models import Person

ID_PREFIX = "advocase"

Entity = dict[str, Any]


def ftm_entity_id(schema: str, *parts: object) -> str:
    return "-".join([ID_PREFIX, schema.lower(), *[str(part) for part in parts]])


def ftm_entity(schema: str, *parts: object, **properties: Any) -> Entity:
    """An entity as FollowTheMoney writes it: id, schema, properties as lists of strings
    (empty values left out)."""
    values: dict[str, list[str]] = {}
    for name, given in properties.items():
        for value in given if isinstance(given, list) else [given]:
            if value not in (None, ""):
                values.setdefault(name, []).append(str(value))
    return {"id": ftm_entity_id(schema, *parts), "schema": schema, "properties": values}


def person_ftm_entity(*, person: Person) -> Entity:
    """The person as a FollowTheMoney `Person` (their aliases read from person.aliases,
    prefetched by the caller when there are many people)."""
    born: str | None = None
    if person.birth_date:
        born = person.birth_date.isoformat()
    elif person.birth_year:
        born = str(person.birth_year)  # FollowTheMoney dates may stop at the year ("1975")
    # The format's values are in English, whatever language the request asked for.
    with translation.override("en"):
        gender = person.gender if person.gender in ("male", "female", "other") else None
        occupation = str(person.get_occupation_display()) if person.occupation else None
    # "victim": the id accountability's export has given people on file since it began.
    return ftm_entity(
        "Person",
        "victim",
        person.pk,
        name=[person.full_name, person.native_name],
        alias=[alias.name for alias in person.aliases.all()],
        birthDate=born,
        gender=gender,
        position=occupation,
        address=person.region,
        notes=person.biography,
    )
