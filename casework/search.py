"""Finding people and cases by any spelling or script of a name, through casework.names."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from casework.models import Case, Person, PersonNameKey
from casework.names import name_search_keys, name_tokens


def person_ids_matching_name(*, query: str) -> QuerySet:
    """Ids of people whose names match the typed query. A query of several words must match
    on every word (so "Almat Zhumagulov" does not find every Almat)."""
    tokens = sorted({token for token in name_tokens(query) if len(token) >= 2})
    if not tokens:
        return PersonNameKey.objects.none().values("person_id")
    full_keys = [key for key in name_search_keys(query) if " " in key]
    if len(tokens) == 1:
        return PersonNameKey.objects.filter(key__in=tokens + full_keys).values("person_id")
    return (
        PersonNameKey.objects.filter(key__in=tokens)
        .values("person_id")
        .annotate(matched=Count("key", distinct=True))
        .filter(matched=len(tokens))
        .values("person_id")
    )


def people_matching_name(*, people: QuerySet[Person], query: str) -> QuerySet[Person]:
    return people.filter(pk__in=person_ids_matching_name(query=query))


def cases_matching_name(*, cases: QuerySet[Case], query: str) -> QuerySet[Case]:
    """Cases of the people the query names, or whose reference is the query."""
    query = query.strip()
    by_name = cases.filter(person_id__in=person_ids_matching_name(query=query))
    return by_name | cases.filter(reference__iexact=query)
