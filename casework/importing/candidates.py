"""Who a file's rows may be, and who each is: the recorded people each row's names lead to
(through the names module's keys), what the organisation answered about them before, what
is recorded about them, and the decision for each row (a recorded person for certain, a
possible duplicate for the user to decide, or a new person). Lookups are in bulk: a few
statements for the whole file."""

from __future__ import annotations

import functools
import hashlib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import gettext

from casework import names
from casework.importing.lookups import chunks, field_in
from casework.importing.plan import POSSIBLE_DUPLICATE, RowPlan
from casework.models import ImportMatchDecision, Organisation, Person, PersonAlias, PersonNameKey

# A name at least this close, but not certain, is shown side by side for a person to decide.
NAME_MATCH_THRESHOLD: float = getattr(names, "NAME_MATCH_THRESHOLD", 0.85)

PERSON_FIELDS = ("native_name", "birth_date", "birth_year", "gender", "region", "occupation")


# Large enough for the two names of every row of a big file; emptied after each import
# (casework.importing.runs), so a long-lived process does not keep them.
NAME_CACHE_SIZE = 262_144


@functools.lru_cache(maxsize=NAME_CACHE_SIZE)
def name_parts_cached(name: str) -> names.NameParts:
    """casework.names.name_parts, remembered: a file names each person in several places."""
    return names.name_parts(name)


@functools.lru_cache(maxsize=NAME_CACHE_SIZE)
def name_keys_cached(name: str) -> tuple[str, ...]:
    return tuple(names.name_keys(name))


@functools.lru_cache(maxsize=NAME_CACHE_SIZE)
def whole_key_cached(name: str) -> str:
    """The names module's key of the whole name (its words in alphabetical order)."""
    words = [word for word in name_parts_cached(name).full_words if len(word) >= 2]
    return " ".join(sorted(words))


def has_patronymic(name: str) -> bool:
    return bool(name_parts_cached(name).patronymics)


def row_names(values: dict[str, Any]) -> list[str]:
    return [name for name in (values.get("full_name"), values.get("native_name")) if name]


def row_identity_key(values: dict[str, Any]) -> str:
    """What makes a later file's row "the same row" for a remembered choice: its name as
    written (the native one when the file gives it), word order aside, and its birth year."""
    name = values.get("native_name") or values.get("full_name") or ""
    words = sorted(names.normalise_name(name).split())
    basis = f"{' '.join(words)}|{values.get('birth_year') or ''}"
    return hashlib.sha256(basis.encode()).hexdigest()


def remembered_decisions(
    *, rows: list[RowPlan], organisation: Organisation
) -> dict[str, dict[int, str]]:
    """Row key -> {person id: "same" | "new"}: the organisation's earlier choices."""
    keys = sorted({row.row_key for row in rows})
    remembered: dict[str, dict[int, str]] = defaultdict(dict)
    for chunk in chunks(keys):
        for key, person_id, choice in ImportMatchDecision.objects.filter(
            organisation=organisation, **field_in("row_key", chunk)
        ).values_list("row_key", "person_id", "choice"):
            remembered[key][person_id] = choice
    return remembered


def _people_by_keys(*, keys: set[str], people: QuerySet[Person]) -> dict[str, set[int]]:
    """Key -> ids of the people (among `people`, those the import may see) that carry it.
    The keys are looked up alone (an index scan), then the few people found are checked for
    visibility, which is cheaper than asking the visibility rule about every key row."""
    found: dict[str, set[int]] = defaultdict(set)
    for chunk in chunks(sorted(keys)):
        if connection.vendor == "postgresql":
            # One text parameter split by the server instead of thousands of placeholders
            # (or an array the driver builds element by element); keys are folded words and
            # spaces, never a line break.
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT key, person_id FROM {PersonNameKey._meta.db_table} "  # noqa: S608
                    "WHERE key = ANY(string_to_array(%s, E'\\n'))",
                    ["\n".join(chunk)],
                )
                pairs = cursor.fetchall()
        else:
            pairs = PersonNameKey.objects.filter(key__in=chunk).values_list("key", "person_id")
        for key, person_id in pairs:
            found[key].add(person_id)
    person_ids = sorted(set().union(*found.values())) if found else []
    visible: set[int] = set()
    for id_chunk in chunks(person_ids):
        visible.update(people.filter(**field_in("pk", id_chunk)).values_list("pk", flat=True))
    return {key: ids & visible for key, ids in found.items() if ids & visible}


@dataclass
class Candidates:
    """For each valid row (by row number): the people whose whole name it gives (exact), and
    everyone it may be (found by its name keys, or by the reference of one of the
    organisation's cases)."""

    exact_of: dict[int, set[int]] = field(default_factory=dict)
    candidates_of: dict[int, set[int]] = field(default_factory=dict)


def candidates_find(
    *, rows: list[RowPlan], people: QuerySet[Person], person_of_reference: dict[str, int]
) -> Candidates:
    """The whole-name key first; the names module's pair and initial keys only for rows
    without such a hit (single-word keys would pull in every namesake). `people`: those the
    import may see; person_of_reference: the person of each of the organisation's own cases
    the file names by reference."""
    found = Candidates()
    whole_keys = {
        row.row: {key for key in map(whole_key_cached, row_names(row.values)) if key}
        for row in rows
    }
    key_people = _people_by_keys(
        keys=set().union(*whole_keys.values()) if whole_keys else set(), people=people
    )
    for row in rows:
        # Most rows' keys lead to nobody: no empty set is made for each of them.
        exact: set[int] = set()
        for key in whole_keys[row.row]:
            people_of_key = key_people.get(key)
            if people_of_key:
                exact |= people_of_key
        found.exact_of[row.row] = exact
    partial_keys = {
        row.row: {
            key for name in row_names(row.values) for key in name_keys_cached(name) if " " in key
        }
        for row in rows
        if not found.exact_of[row.row]
    }
    partial_people = _people_by_keys(
        keys=set().union(*partial_keys.values()) if partial_keys else set(), people=people
    )
    for row in rows:
        candidates = set(found.exact_of[row.row])
        for key in partial_keys.get(row.row, ()):
            people_of_key = partial_people.get(key)
            if people_of_key:
                candidates |= people_of_key
        reference = row.values.get("reference")
        if reference and reference in person_of_reference:
            candidates.add(person_of_reference[reference])
        found.candidates_of[row.row] = candidates
    return found


def people_load(
    *, person_ids: list[int]
) -> tuple[dict[int, Mapping[str, Any]], dict[int, list[str]]]:
    """The recorded people (as dicts of what a row is compared with) and every name each
    goes by: full, native and aliases."""
    people: dict[int, Mapping[str, Any]] = {}
    person_names: dict[int, list[str]] = defaultdict(list)
    for chunk in chunks(person_ids):
        for person in Person.objects.filter(**field_in("pk", chunk)).values(
            "pk", "full_name", "owning_organisation_id", "owning_organisation__name", *PERSON_FIELDS
        ):
            people[person["pk"]] = person
            person_names[person["pk"]] += [
                name for name in (person["full_name"], person["native_name"]) if name
            ]
        for person_id, alias in PersonAlias.objects.filter(
            **field_in("person_id", chunk)
        ).values_list("person_id", "name"):
            person_names[person_id].append(alias)
    return people, person_names


def person_year(person: Mapping[str, Any]) -> int | None:
    year: int | None = person["birth_date"].year if person["birth_date"] else person["birth_year"]
    return year


def row_decide_person(
    *,
    row: RowPlan,
    candidates: Candidates,
    remembered: dict[int, str],
    decision: dict[str, Any],
    people: dict[int, Mapping[str, Any]],
    person_names: dict[int, list[str]],
) -> None:
    """Who the row is: a recorded person for certain, a possible duplicate for the user to
    decide, or nobody recorded (a new person). remembered: the organisation's earlier
    answers about this row; decision: the answer given on this run's preview."""
    found = candidates
    # A person the organisation said this row is not, in an earlier import, is no candidate.
    possible = {
        person_id
        for person_id in found.candidates_of[row.row]
        if remembered.get(person_id) != ImportMatchDecision.Choice.NEW
    }
    if not possible:
        return
    remembered_same = sorted(
        person_id
        for person_id in possible
        if remembered.get(person_id) == ImportMatchDecision.Choice.SAME
    )
    if remembered_same and not decision:
        row.person_id = remembered_same[0]
        row.note = gettext("Same person, as your organisation chose in an earlier import.")
        return
    scored, certain = _people_scored(
        row=row,
        candidates=possible,
        exact=found.exact_of[row.row],
        people=people,
        person_names=person_names,
    )
    best_score, best_id = scored[0]
    if len(certain) == 1 and not decision:
        row.person_id = certain[0]
        return
    if best_score < NAME_MATCH_THRESHOLD and not certain:
        return
    offered = certain[0] if certain else best_id
    if decision.get("choice") == "same" and decision.get("person_id") in possible:
        row.person_id = decision["person_id"]
        row.note = gettext("Same person, as chosen.")
        row.decided = (ImportMatchDecision.Choice.SAME, row.person_id)
        return
    if decision.get("choice") == "new":
        row.note = gettext("New person, as chosen.")
        ruled_out = decision.get("person_id")
        if ruled_out in possible:
            row.decided = (ImportMatchDecision.Choice.NEW, cast(int, ruled_out))
        return
    person = people[offered]
    row.outcome = POSSIBLE_DUPLICATE
    row.candidate = {
        "person_id": offered,
        "full_name": person["full_name"],
        "native_name": person["native_name"],
        "birth_year": person_year(person),
        "region": person["region"],
        "organisation": person["owning_organisation__name"],
        "score": round(best_score, 2),
    }


def _people_scored(
    *,
    row: RowPlan,
    candidates: set[int],
    exact: set[int],
    people: dict[int, Mapping[str, Any]],
    person_names: dict[int, list[str]],
) -> tuple[list[tuple[float, int]], list[int]]:
    """Each candidate's name score, best first, and those the row is for certain."""
    incoming = row_names(row.values)
    year = row.values.get("birth_year")
    # An initial for the given name ("Жумагулов А.") fits every namesake with that
    # initial: at most a possible duplicate, for the user to decide.
    given_written = any(_given_name_written(name) for name in incoming)
    # The same words as a recorded name, and no patronymic that could tell namesakes apart:
    # the names module would score it 1.0, so do not spend the time asking it.
    no_patronymic = not any(has_patronymic(name) for name in incoming)
    scored = []
    for person_id in candidates:
        if person_id in exact and no_patronymic and given_written:
            score = 1.0
        else:
            score = max(
                (names.name_match_score(a, b) for a in incoming for b in person_names[person_id]),
                default=0.0,
            )
        scored.append((score, person_id))
    scored.sort(key=lambda item: (-item[0], item[1]))
    certain = []
    for score, person_id in scored:
        if not given_written:
            # An initial fits every namesake with that initial, so only a record written
            # with the initial too (say, the person an earlier import of this row made) can
            # be this row for certain; the names module scores initials 0.95 at best.
            if any(_given_name_written(name) for name in person_names[person_id]):
                continue
            score = 1.0 if score >= 0.95 else score
        existing_year = person_year(people[person_id])
        years_agree = year is not None and existing_year is not None and year == existing_year
        years_open = year is None or existing_year is None
        if (score >= 1.0 and (years_agree or years_open)) or (score >= 0.95 and years_agree):
            certain.append(person_id)
    return scored, certain


def _given_name_written(name: str) -> bool:
    """Whether a name writes out a given name ("Almat Zhumagulov"), not only its initial
    ("Жумагулов А.", "Zhumagulov"): only such a name can match a recorded one for certain."""
    return bool(name_parts_cached(name).given)
