"""Finding people and cases by any spelling or script of a name, through casework.names.

Two kinds of candidates, the same detection uses: people holding one of the query's exact
keys (name_search_keys), and people whose family name is a near spelling of a word of the
query (name_near_keys: a letter off, or vowels), kept only when casework.names takes the
name for theirs. So "Roza Tuleteeva" and "Тулетаеваға" find Roza Tuletaeva, and "Aset
Abishev" never finds his brother Kenzhebek.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connection, models
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Value, When

from casework.models import Case, Person, PersonAlias, PersonNameKey
from casework.names import (
    NAME_MATCH_THRESHOLD,
    NEAR_MIN_LETTERS,
    NEAR_PREFIX,
    TYPO_MIN_LETTERS,
    family_near_key,
    name_family_stem_keys,
    name_match_score_best,
    name_parts,
    name_search_keys,
    name_tokens,
    name_typo_keys,
    text_is_kazakh_latin,
    word_near_keys,
    word_readings,
    word_similarity,
    word_skeleton,
)
from common.lookups import field_in

# A query's near keys may reach many people with a common family name: the names module
# scores this many at most, the likeliest first.
NEAR_CANDIDATES_MAX = 200


def person_ids_matching_name(*, query: str) -> QuerySet:
    """Ids of people whose names match the typed query, as a subquery.

    casework.names.name_search_keys gives the keys that any matching person holds one of:
    a full-name query becomes pairs of words, so "Dulat Agadil" never finds his son
    Zhanbolat; "Zhumagulov A." becomes "jumagulov a"; a Russian or Kazakh case form such
    as "Жумагулова" or "Жумагуловтың" also tries its nominative. Beside them, the people a
    near spelling names (person_ids_near_name), a Russian family name's Kazakh form
    ("Сейткалиев" finds Сейтқали: name_family_stem_keys) and, when a word of the query is
    nobody's, a given name a keystroke off beside the family name ("Ержн Сейткали":
    name_typo_keys). One indexed lookup for the exact keys, whatever the number of
    people, and three for the near ones."""
    keys = name_search_keys(query)
    near, held = _near_ids_and_held(query=query, people=None, typos=True)
    stems = name_family_stem_keys(query)
    typos = name_typo_keys(query, held=held)
    if not keys and not near and not stems and not typos:
        return PersonNameKey.objects.none().values("person_id")
    condition = Q(key__in=keys) | Q(person_id__in=near) if near else Q(key__in=keys)
    found = PersonNameKey.objects.filter(condition).values("person_id")
    # Each further way apart, as a union: joined by "or" PostgreSQL read every name key
    # (0.35 s at 100,000 people) instead of each condition's rows from the key index.
    extra = [
        PersonNameKey.objects.filter(key=word, person_id__in=_holders(near_key))
        for word, near_key in stems
    ] + [
        PersonNameKey.objects.filter(key__in=pairs, person_id__in=_holders(near_key))
        for near_key, pairs in typos.items()
    ]
    if not extra:
        return found
    return found.union(*(rows.values("person_id") for rows in extra), all=True)


def _holders(key: str) -> QuerySet:
    """The ids of the people holding this key, as a subquery."""
    return PersonNameKey.objects.filter(key=key).values("person_id")


def _query_forms(query: str) -> list[tuple[str, tuple[tuple[str, str], ...]]]:
    """(written word, its readings) of each word of a query, case endings stripped."""
    kazakh_latin = text_is_kazakh_latin(query)
    return [
        (word, word_readings(word, kazakh_latin=kazakh_latin))
        for word in query.replace(",", " ").split()
        if any(character.isalpha() for character in word)
    ]


def person_ids_near_name(*, query: str, people: QuerySet[Person] | None = None) -> list[int]:
    """Ids of people (of `people`, default all) whose family name is a near spelling of a
    word of the query and whom casework.names takes the query for: the whole name scores
    NAME_MATCH_THRESHOLD, or, for one word, it is a near spelling of one of their words."""
    return _near_ids_and_held(query=query, people=people, typos=False)[0]


def _near_ids_and_held(
    *, query: str, people: QuerySet[Person] | None, typos: bool
) -> tuple[list[int], set[str]]:
    """person_ids_near_name, and which forms of the query's words someone holds (asked
    also, with `typos`, for a query of several words any of which may be a typo)."""
    words = _query_forms(query)
    forms_of_words = [{form for form, _ in readings} for _, readings in words]
    forms = set().union(*forms_of_words)
    if typos and len(words) > 1 and any(len(form) >= TYPO_MIN_LETTERS for form in forms):
        # name_typo_keys reads the query as name_search_keys does, family endings too, and
        # looks for a typo only beside a word someone holds as a family name (its near key).
        forms |= {form for key in name_search_keys(query) for form in key.split() if form.isalpha()}
        forms |= {near for form in list(forms) if (near := family_near_key(form))}
    elif not any(len(form) >= NEAR_MIN_LETTERS for form in forms):
        return [], set()  # no word long enough to be looked up by its near keys
    held = _keys_held(forms=sorted(forms), people=people)
    # As detection does: only a word none of whose readings anybody's name holds may be a
    # near spelling of one ("Жумагулова" is read as Zhumagulov, not looked up as a near
    # spelling of someone's "Zhumagulova"): most queries look up no near keys at all.
    unknown = {form for own in forms_of_words if not own & held for form in own}
    near_keys = {
        key for form in unknown if len(form) >= NEAR_MIN_LETTERS for key in word_near_keys(form)
    }
    if not near_keys:
        return [], held
    candidates = _near_candidates(
        near_keys=near_keys,
        own_keys={NEAR_PREFIX + word_skeleton(form) for form in unknown},
        forms=forms,
        people=people,
        several_words=len(words) > 1,
    )
    names = _names_of(candidates)
    return [
        person_id
        for person_id, person_names in names.items()
        if _query_names_person(words=words, names=person_names)
    ], held


def _keys_held(*, forms: list[str], people: QuerySet[Person] | None) -> set[str]:
    """Which of the forms someone (of `people`) holds as a key, in one query: whether each
    is held at all, one index probe apiece, and not every row of a common given name."""
    keys = PersonNameKey.objects.all()
    if people is not None:
        keys = keys.filter(person__in=people)
    held = {f"held_{number}": Exists(keys.filter(key=form)) for number, form in enumerate(forms)}
    row = keys.filter(key__in=forms).order_by().annotate(**held).values(*held)[:1]
    found = next(iter(row), None)
    if found is None:
        return set()
    return {form for number, form in enumerate(forms) if found[f"held_{number}"]}


# Beyond this many people, the candidates of a near spelling in a query of several words
# are narrowed to those who also hold another word of it, as detection narrows them
# (advocacy.detection.spans): scoring hundreds of namesakes made search slow.
_MAX_NEAR_PEOPLE = 50


def _near_candidates(
    *,
    near_keys: set[str],
    own_keys: set[str],
    forms: set[str],
    people: QuerySet[Person] | None,
    several_words: bool,
) -> list[int]:
    """The people under the near keys, in one indexed lookup: those whose family name
    differs only in vowels first, then a consonant away; within each, those who also hold
    another word of the query (Roza of "Roza Tuleteeva")."""
    candidates = PersonNameKey.objects.filter(key__in=near_keys)
    if people is not None:
        candidates = candidates.filter(person__in=people)
    holds_a_word = Exists(
        PersonNameKey.objects.filter(person_id=OuterRef("person_id"), key__in=forms)
    )
    rows = list(
        candidates.values("person_id")
        .annotate(
            own=Min(models.Case(When(key__in=own_keys, then=Value(0)), default=Value(1))),
            word=holds_a_word,
        )
        .order_by("own", "-word", "person_id")
        .values_list("person_id", "word")[:NEAR_CANDIDATES_MAX]
    )
    if several_words and len(rows) > _MAX_NEAR_PEOPLE:
        rows = [(person_id, word) for person_id, word in rows if word]
    return [person_id for person_id, _ in rows]


def _names_of(person_ids: list[int]) -> dict[int, list[str]]:
    """Each person's names (primary, native, aliases), in two queries."""
    names: dict[int, list[str]] = {}
    people = Person.objects.filter(pk__in=person_ids).order_by("pk")
    for person_id, full_name, native_name in people.values_list("pk", "full_name", "native_name"):
        names[person_id] = [name for name in (full_name, native_name) if name]
    aliases = PersonAlias.objects.filter(person_id__in=person_ids)
    for person_id, alias in aliases.values_list("person_id", "name"):
        names.setdefault(person_id, []).append(alias)
    return names


def _query_names_person(
    *, words: list[tuple[str, tuple[tuple[str, str], ...]]], names: list[str]
) -> bool:
    """Whether casework.names takes the query (each word read in its case the person's
    names are nearest to) for one of these names."""
    own = {word for name in names for word in name_tokens(name)}
    if not own:
        return False
    if len(words) == 1:
        # Their own names read both ways where a spelling is ambiguous ("Akhmedjarov" on
        # file is found by "Akhmedyarov"), as name_search_keys reads a query.
        own |= {
            alternative
            for name in names
            for _, alternatives in name_parts(name).alternatives
            for alternative in alternatives
        }
        return any(word_similarity(form, word) > 0 for form, _ in words[0][1] for word in own)
    reading = " ".join(_nearest(readings, own, written) for written, readings in words)
    return name_match_score_best(reading, names) >= NAME_MATCH_THRESHOLD


def _nearest(readings: tuple[tuple[str, str], ...], own: set[str], written: str) -> str:
    best, best_similarity = written, 0.0
    for form, reading in readings:
        similarity = max(word_similarity(form, word, families=True) for word in own)
        if similarity > best_similarity:
            best, best_similarity = reading, similarity
    return best


def name_key_sharer_ids(*, keys: QuerySet, owner: str, names: Iterable[str]) -> list[int]:
    """Ids of the owners of these name-key rows (PersonNameKey, advocacy's ActorNameKey,
    accountability's ResponsibleNameKey, narrowed to what the user may see) that share a
    word with any of the names, in any script: most shared words first, fifty at most
    ("Zhumagulov A." shares only the family name). The duplicate warnings' candidates."""
    tokens = {token for name in names for token in name_tokens(name) if len(token) >= 2}
    if not tokens:
        return []
    return list(
        keys.filter(key__in=tokens)
        .values(owner)
        .annotate(matched=Count("key"))
        .order_by("-matched", owner)
        .values_list(owner, flat=True)[:50]
    )


def person_candidate_ids(*, people: QuerySet[Person], names: Iterable[str]) -> list[int]:
    """Candidates for the duplicate-person warning among `people`: those sharing a word
    with any of the names (most shared words first, fifty at most: "Zhumagulov A." shares
    only the family name), then those a near spelling names. casework.names scores them."""
    names = [name for name in names if name and name.strip()]
    if not any(len(token) >= 2 for name in names for token in name_tokens(name)):
        return []
    sharing = name_key_sharer_ids(
        keys=PersonNameKey.objects.filter(person__in=people), owner="person_id", names=names
    )
    near = [
        person_id
        for name in names
        if len(name_parts(name).full_words) >= 2
        for person_id in person_ids_near_name(query=name, people=people)
    ]
    return list(dict.fromkeys([*sharing, *near]))


def people_matching_name(*, people: QuerySet[Person], query: str) -> QuerySet[Person]:
    return people.filter(pk__in=person_ids_matching_name(query=query))


def people_closest_first(*, people: QuerySet[Person], query: str) -> QuerySet[Person]:
    """People (found by the query) in order of how close their names are to it: those
    holding one of its exact keys (the name as typed, in any script or case) first, then
    those a near spelling, a typo in the given name or a Russian ending found; by name
    within each."""
    keys = name_search_keys(query)
    exact = Exists(PersonNameKey.objects.filter(person_id=OuterRef("pk"), key__in=keys))
    return people.order_by(exact.desc(), "full_name", "pk")


def _people_for_the_planner(people: QuerySet) -> dict[str, Any]:
    """The filter "the case is of one of these people". On PostgreSQL the ids are read
    first (one index-only lookup) and sent as an array the planner can count: given the
    subquery instead, it expects a few people for a common family name and, for the 1,400
    Kuznetsovs of bench_case_list, scanned all 100,000 cases (68 ms) rather than reading
    their cases by the person index (12 ms)."""
    if connection.vendor != "postgresql":
        return {"person_id__in": people}
    return field_in("person_id", set(people.values_list("person_id", flat=True)))


def cases_matching_name(*, cases: QuerySet[Case], query: str) -> QuerySet[Case]:
    """Cases of the people the query names, or whose reference the query is or begins
    ("SEED-KOZLOV", "seed-kozlov", "KIBHR"), whatever its case: a reference is one word,
    so a query of several words is only a name. The prefix is served by the index on the
    upper-cased reference (Case.Meta.indexes)."""
    query = query.strip()
    people = _people_for_the_planner(person_ids_matching_name(query=query))
    if not query or len(query.split()) > 1:
        return cases.filter(**people)
    # One set of ids (the name's cases, then the reference's) rather than "or": with "or"
    # PostgreSQL walks every case in list order testing both, 0.4 s at 100,000 cases when
    # the other filters leave fewer rows than a page (bench_api); as a set it reads the few
    # cases from the person and reference indexes and sorts them.
    by_name = Case.objects.filter(**people).order_by().values("pk")
    by_reference = Case.objects.filter(reference__istartswith=query).order_by().values("pk")
    return cases.filter(pk__in=by_name.union(by_reference, all=True))
