"""Writes about cases that the web pages, the importer and the API share: creating a
case, adding a timeline event, and possible duplicate people (and, by the same rule,
records_possible_duplicates for advocacy's actors and accountability's responsible
persons). (Who may change a case is casework.permissions'.)"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from casework.models import (
    Case,
    Charge,
    Organisation,
    Person,
    Status,
)
from casework.names import NAME_MATCH_THRESHOLD, name_match_score
from casework.people import person_add_typed_names, person_create
from casework.search import name_key_sharer_ids, people_matching_name, person_candidate_ids
from casework.status import case_change_status
from common.edit_stamps import edit_stamp, edit_stamp_check
from common.history import history_save, model_update
from common.resubmission import RESUBMISSION_WINDOW

# The measured threshold (tests/casework/name_pairs.tsv): at 0.8 the warning gained no true
# match on the labelled pairs and named one more wrong person.
DUPLICATE_SCORE_THRESHOLD = NAME_MATCH_THRESHOLD
DUPLICATE_LIMIT = 8
# How many references case_create tries when others take them meanwhile.
REFERENCE_ATTEMPTS = 20


def case_reference_next(*, organisation: Organisation, on: date) -> str:
    """A readable reference such as HOST-2026-00042, unique by construction of the count
    plus a retry in case_create."""
    prefix = f"{organisation.slug.upper()[:12]}-{on.year}-"
    last = (
        Case.objects.filter(reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = 1
    if last:
        tail = last.removeprefix(prefix)
        number = int(tail) + 1 if tail.isdecimal() else 1
    return f"{prefix}{number:05d}"


@transaction.atomic
def case_create(
    *,
    person: Person,
    organisation: Organisation,
    by,
    status: str = Status.UNKNOWN,
    status_since: date | None = None,
    status_source: str = "",
    charges: Iterable[Charge] = (),
    reference: str = "",
    **fields: Any,
) -> Case:
    """Create a case; a known status is recorded through case_change_status so the
    timeline starts with it."""
    case = Case(
        person=person,
        owning_organisation=organisation,
        created_by=by,
        reference=reference
        or case_reference_next(organisation=organisation, on=timezone.localdate()),
        **fields,
    )
    case.full_clean(exclude=["reference"] if not reference else None)
    _case_insert(case=case, by=by, numbered=not reference)
    case.charges.set(list(charges))
    if status and status != Status.UNKNOWN:
        # No date given: the status holds since an unknown date, never the day of entry.
        case_change_status(
            case=case,
            status=status,
            on=status_since,
            source=status_source,
            note=gettext("Status when the case was recorded."),
            by=by,
        )
    return case


def _case_insert(*, case: Case, by, numbered: bool) -> None:
    """Save a new case. Two cases recorded at once for one organisation (two API requests,
    an import beside a form) read the same last reference: on PostgreSQL the second
    insert then broke the unique reference, a 500. A numbered reference taken meanwhile
    is counted again, in a savepoint, until one is free."""
    for attempt in range(REFERENCE_ATTEMPTS):
        try:
            with transaction.atomic():
                history_save(instance=case, by=by)
            return
        except IntegrityError:
            # Only a reference someone took meanwhile is worth another number; any other
            # broken rule would break again.
            taken = numbered and Case.objects.filter(reference=case.reference).exists()
            if not taken or attempt == REFERENCE_ATTEMPTS - 1:
                raise
            case.reference = case_reference_next(
                organisation=case.owning_organisation, on=timezone.localdate()
            )


def case_create_for_new_person(
    *, person_fields: dict[str, Any], organisation: Organisation, by, **case_fields: Any
) -> Case:
    """Record a person not yet on file and their first case, both or neither. The same
    form sent again by `by` within RESUBMISSION_WINDOW (a double click on “Create case”,
    the confirmation sent again from the back button) records no second person: the
    person it recorded, and the case it recorded too if the case's facts are the same."""
    with transaction.atomic():
        # One new-person write of an organisation at a time: two sends of one form, each
        # finding no earlier person, would otherwise both record one.
        Organisation.objects.select_for_update().filter(pk=organisation.pk).exists()
        person = _person_just_recorded(
            person_fields=person_fields, organisation=organisation, by=by
        )
        if person is None:
            person = person_create(organisation=organisation, by=by, **person_fields)
        else:
            earlier = _case_just_recorded(person=person, by=by, case_fields=case_fields)
            if earlier is not None:
                return earlier
        return case_create(person=person, organisation=organisation, by=by, **case_fields)


def case_create_for_person_on_file(
    *, person: Person, typed_names: dict[str, str] | None = None, **case_fields: Any
) -> tuple[Case, list[str]]:
    """A case for someone already on file, and the names typed for them on New case (the
    full and native name that matched them) kept among their other names, both or
    neither; with the names added. `typed_names` None: the user may not change the
    person, and nothing is added."""
    with transaction.atomic():
        case = case_create(person=person, **case_fields)
        added = (
            person_add_typed_names(person=person, by=case_fields.get("by"), **typed_names)
            if typed_names
            else []
        )
    return case, [alias.name for alias in added]


def _person_just_recorded(
    *, person_fields: dict[str, Any], organisation: Organisation, by
) -> Person | None:
    """The person `by` recorded for `organisation` within RESUBMISSION_WINDOW with these
    facts (as person_create writes them), if any."""
    if getattr(by, "pk", None) is None:
        return None
    facts = {
        name: value.strip() if isinstance(value, str) else value
        for name, value in person_fields.items()
    }
    return (
        Person.objects.filter(
            owning_organisation=organisation,
            created_by_id=by.pk,
            created_at__gte=timezone.now() - RESUBMISSION_WINDOW,
            archived_at__isnull=True,
            **facts,
        )
        .order_by("-pk")
        .first()
    )


def _case_just_recorded(*, person: Person, by, case_fields: dict[str, Any]) -> Case | None:
    """The case of `person` that `by` recorded within RESUBMISSION_WINDOW with these facts
    (the case's own fields and charges), if any."""
    own = {name for name in case_fields if name in _CASE_COLUMNS}
    charges = {charge.pk for charge in case_fields.get("charges", ())}
    recent = Case.objects.filter(
        person=person, created_by_id=by.pk, created_at__gte=timezone.now() - RESUBMISSION_WINDOW
    ).prefetch_related("charges")
    for case in recent.order_by("-pk"):
        same = all(getattr(case, name) == case_fields[name] for name in own)
        if same and {charge.pk for charge in case.charges.all()} == charges:
            return case
    return None


_CASE_COLUMNS = frozenset(
    field.name for field in Case._meta.concrete_fields if field.name != "reference"
)


# What the case form may change, in the form's order; status goes through
# case_change_status, the person and the owning organisation do not change after creation.
CASE_EDITABLE_FIELDS = (
    "confidentiality",
    "assigned_caseworker",
    "charges",
    "detention_place",
    "detained_on",
    "charged_on",
    "sentenced_on",
    "sentence",
    "expected_release_on",
    "released_on",
    *Case.CONCERN_FIELDS,
    "summary",
    *Case.SENSITIVE_FIELDS,
)
# What case_update may change: the form's fields and, beside each partial date, how much of
# it is known (the form's date fields set both; casework.partial_dates).
CASE_UPDATABLE_FIELDS = (
    *CASE_EDITABLE_FIELDS,
    *(f"{name}_precision" for name in Case.PARTIAL_DATE_FIELDS),
)


def case_edit_stamp(*, case: Case, names: Iterable[str]) -> str:
    """The edit stamp (common.edit_stamps) of the case form's fields among `names`."""
    return edit_stamp(instance=case, names=[name for name in names if name in CASE_EDITABLE_FIELDS])


@transaction.atomic
def case_update(
    *,
    case: Case,
    by,
    charges: Iterable[Charge] | None = None,
    stamp: str | None = None,
    **fields: Any,
) -> Case:
    """Change a case's facts (not its status) and, if given, its charges, as one history
    row naming `by`. Fields left out keep their value, so a partner's form without the
    sensitive fields cannot blank them. Given the case_edit_stamp its form was opened
    with, refuses (EditedMeanwhile, naming the fields) when someone else changed any
    of those fields since: saving would silently put back what they had replaced."""
    if stamp is not None:
        edit_stamp_check(instance=case, stamp=stamp, allowed=CASE_EDITABLE_FIELDS)
    data = fields if charges is None else {**fields, "charges": list(charges)}
    return model_update(instance=case, data=data, fields=CASE_UPDATABLE_FIELDS, by=by)


def name_duplicate_score(*, typed: Iterable[str], own: Iterable[str]) -> float:
    """How surely casework.names takes one of the typed names for one of a record's own
    (the best pair); DUPLICATE_SCORE_THRESHOLD and above is "may be the same"."""
    own = [name for name in own if name]
    return max((name_match_score(one, other) for one in typed for other in own), default=0.0)


def records_possible_duplicates(
    *,
    records: QuerySet[Any],
    keys: QuerySet,
    owner: str,
    names: Iterable[str],
    names_of: Callable[[Any], Iterable[str]],
) -> list[Any]:
    """Records (an organisation's actors, its responsible persons: `records` is what the
    user may see, `keys` their name-key rows, `owner` the key's column naming the record)
    whose names match any of the given names in any spelling or script, by the rule of
    the duplicate-person warning: a shared word finds them, casework.names scores them.
    Best match first, DUPLICATE_LIMIT at most; `names_of` gives a record's own names."""
    names = [name for name in names if name and name.strip()]
    owner_ids = name_key_sharer_ids(
        keys=keys.filter(**{f"{owner}__in": records.values("pk")}), owner=owner, names=names
    )
    if not owner_ids:
        return []
    scored = [
        (name_duplicate_score(typed=names, own=names_of(record)), record)
        for record in records.filter(pk__in=owner_ids).prefetch_related("aliases")
    ]
    found = [(score, record) for score, record in scored if score >= DUPLICATE_SCORE_THRESHOLD]
    found.sort(key=lambda pair: (-pair[0], str(pair[1]), pair[1].pk))
    return [record for _, record in found[:DUPLICATE_LIMIT]]


@dataclass
class PossibleDuplicate:
    person: Person
    score: float


def people_possible_duplicates(
    *, people: QuerySet[Person], names: Iterable[str]
) -> list[PossibleDuplicate]:
    """People (among those the user may see) whose names match any of the given names,
    best match first; found as search finds them (casework.search.person_candidate_ids:
    a shared word, or a near spelling of the family name), scored by the names module."""
    names = [name for name in names if name and name.strip()]
    candidate_ids = person_candidate_ids(people=people, names=names)
    # A single word typed (a family name alone: "Kozlov", "Жумагулов") scores low against
    # a full name, yet People search finds its bearers: the hint shows whom the search
    # would, by the search's own rule.
    searched = [name for name in names if len(name.split()) == 1]
    found_by_search: set[int] = set()
    for name in searched:
        found_by_search |= set(
            people_matching_name(people=people, query=name).values_list("pk", flat=True)
        )
    if not candidate_ids and not found_by_search:
        return []
    query = people.filter(pk__in=[*candidate_ids, *found_by_search])
    candidates = list(query.prefetch_related("aliases"))
    found = []
    for person in candidates:
        own_names = [person.full_name, person.native_name, *(a.name for a in person.aliases.all())]
        score = name_duplicate_score(typed=names, own=own_names)
        if person.pk in found_by_search:
            score = max(score, DUPLICATE_SCORE_THRESHOLD)
        if score >= DUPLICATE_SCORE_THRESHOLD:
            found.append(PossibleDuplicate(person=person, score=score))
    found.sort(key=lambda duplicate: (-duplicate.score, duplicate.person.full_name))
    return found[:DUPLICATE_LIMIT]
