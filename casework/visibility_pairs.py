"""Whether each of many users may see each of some cases, in a bounded number of queries.

The reminder sender and the assignment checks ask this about a batch of (user, case)
pairs at once. The answer comes from `cases_visible_to` itself, one branch per user in a
UNION ALL, so the one rule in casework/visibility.py still decides; nothing here restates it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db.models import IntegerField, Value

from casework.visibility import AnyUser, cases_visible_to

# SQLite allows 500 branches in one compound SELECT; a branch costs about six parameters
# for the rule plus one per case asked about, far under SQLite's 32,766.
USERS_PER_QUERY = 200
CASES_PER_QUERY = 5000


def case_pairs_visible(
    *, users: Mapping[int, AnyUser], case_ids_by_user: Mapping[int, Iterable[int]]
) -> set[tuple[int, int]]:
    """The (user id, case id) pairs among those asked about that the user may see.

    `users` maps ids to user objects; load them with
    `select_related("membership__organisation")` so the rule reads no row per user.
    Archived cases count as visible: archiving hides a case from lists, it does not
    change who may see it."""
    asked = [
        (user_id, sorted(set(case_ids)))
        for user_id, case_ids in case_ids_by_user.items()
        if user_id in users
    ]
    asked = [(user_id, case_ids) for user_id, case_ids in asked if case_ids]
    visible: set[tuple[int, int]] = set()
    for chunk in _chunks(asked):
        branches = [
            cases_visible_to(users[user_id], include_archived=True)
            .filter(pk__in=case_ids)
            .order_by()
            .annotate(asked_for=Value(user_id, output_field=IntegerField()))
            .values_list("pk", "asked_for")
            for user_id, case_ids in chunk
        ]
        first, *rest = branches
        query = first.union(*rest, all=True) if rest else first
        visible.update((user_id, case_id) for case_id, user_id in query)
    return visible


def _chunks(asked: list[tuple[int, list[int]]]):
    chunk: list[tuple[int, list[int]]] = []
    cases = 0
    for item in asked:
        if chunk and (len(chunk) >= USERS_PER_QUERY or cases + len(item[1]) > CASES_PER_QUERY):
            yield chunk
            chunk, cases = [], 0
        chunk.append(item)
        cases += len(item[1])
    if chunk:
        yield chunk
