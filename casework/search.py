"""Finding people and cases by any spelling or script of a name, through casework.names."""

from __future__ import annotations

from django.db.models import QuerySet

from casework.models import Case, Person, PersonNameKey
from casework.names import name_search_keys


def person_ids_matching_name(*, query: str) -> QuerySet:
    """Ids of people whose names match the typed query, as a subquery.

    casework.names.name_search_keys gives the keys that any matching person holds one of:
    a full-name query becomes pairs of words, so "Dulat Agadil" never finds his son
    Zhanbolat; "Zhumagulov A." becomes "jumagulov a"; a Russian case form such as
    "Жумагулова" also tries its nominative. One indexed lookup, whatever the number of people.
    """
    keys = name_search_keys(query)
    if not keys:
        return PersonNameKey.objects.none().values("person_id")
    return PersonNameKey.objects.filter(key__in=keys).values("person_id")


def people_matching_name(*, people: QuerySet[Person], query: str) -> QuerySet[Person]:
    return people.filter(pk__in=person_ids_matching_name(query=query))


def cases_matching_name(*, cases: QuerySet[Case], query: str) -> QuerySet[Case]:
    """Cases of the people the query names, or whose reference is the query."""
    query = query.strip()
    by_name = cases.filter(person_id__in=person_ids_matching_name(query=query))
    return by_name | cases.filter(reference__iexact=query)
