"""Writes about cases that the web pages, the importer and the API share: creating a
case, adding a timeline event, who may change a case, and possible duplicate people."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone

from casework.conflicts import status_conflict_older_cases
from casework.models import (
    Case,
    Charge,
    Organisation,
    Person,
    PersonNameKey,
    Role,
    Status,
    StatusConflict,
)
from casework.names import NAME_MATCH_THRESHOLD, name_match_score, name_tokens
from casework.people import person_create
from casework.status import case_change_status
from casework.visibility import cases_visible_to, user_membership

# The measured threshold (tests/casework/name_pairs.tsv): at 0.8 the warning gained no true
# match on the labelled pairs and named one more wrong person.
DUPLICATE_SCORE_THRESHOLD = NAME_MATCH_THRESHOLD
DUPLICATE_LIMIT = 8


def user_may_change_records_of(*, user, organisation_id: int) -> bool:
    """Staff of the owning organisation may change its records; host staff (not partners)
    may change every record they can see."""
    membership = user_membership(user)
    if membership is None:
        return False
    if membership.organisation_id == organisation_id:
        return True
    return (
        membership.organisation.kind == Organisation.Kind.HOST and membership.role != Role.PARTNER
    )


def case_is_editable_by(*, case: Case, user) -> bool:
    return user_may_change_records_of(user=user, organisation_id=case.owning_organisation_id)


@dataclass(frozen=True)
class StatusConflictActions:
    """What a user may do from a conflict's banner: record the other case's status on
    these cases (the older side, theirs to change), and dismiss."""

    record_on: list[Case]
    may_dismiss: bool


def status_conflict_actions(*, conflict: StatusConflict, user) -> StatusConflictActions:
    """Coordinators and admins who see both cases and may change one of them resolve a
    conflict; the status is recorded on an older side they may change. The conflict's
    cases must have been read with it (status_conflicts_shown)."""
    membership = user_membership(user)
    if membership is None or membership.role not in (Role.COORDINATOR, Role.ADMIN):
        return StatusConflictActions(record_on=[], may_dismiss=False)
    pair = [conflict.first_case, conflict.second_case]
    changeable = [case for case in pair if case_is_editable_by(case=case, user=user)]
    if conflict.closed_at is not None or not changeable:
        return StatusConflictActions(record_on=[], may_dismiss=False)
    older = status_conflict_older_cases(conflict)
    return StatusConflictActions(
        record_on=[case for case in changeable if case.pk in older and case.archived_at is None],
        may_dismiss=True,
    )


def cases_editable_by(user) -> QuerySet[Case]:
    membership = user_membership(user)
    cases = cases_visible_to(user)
    if membership is None:
        return cases.none()
    if membership.organisation.kind == Organisation.Kind.HOST and membership.role != Role.PARTNER:
        return cases
    return cases.filter(owning_organisation_id=membership.organisation_id)


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
        number = int(tail) + 1 if tail.isdigit() else 1
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
    case._history_user = by
    case.save()
    case.charges.set(list(charges))
    if status and status != Status.UNKNOWN:
        # No date given: the status holds since an unknown date, never the day of entry.
        case_change_status(
            case=case,
            status=status,
            on=status_since,
            source=status_source,
            note="Status when the case was recorded.",
            by=by,
        )
    return case


def case_create_for_new_person(
    *, person_fields: dict[str, Any], organisation: Organisation, by, **case_fields: Any
) -> Case:
    """Record a person not yet on file and their first case, both or neither."""
    with transaction.atomic():
        person = person_create(organisation=organisation, by=by, **person_fields)
        return case_create(person=person, organisation=organisation, by=by, **case_fields)


# What the case form may change; status goes through case_change_status, the person and
# the owning organisation do not change after creation.
CASE_UPDATABLE_FIELDS = frozenset(
    {
        "confidentiality",
        "assigned_caseworker",
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
    }
)


@transaction.atomic
def case_update(*, case: Case, by, charges: Iterable[Charge] | None = None, **fields: Any) -> Case:
    """Change a case's facts (not its status) and, if given, its charges. Fields left out
    keep their value, so a partner's form without the sensitive fields cannot blank them."""
    unknown = set(fields) - CASE_UPDATABLE_FIELDS
    if unknown:
        raise ValueError(f"case_update cannot change {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(case, name, value)
    case.full_clean()
    case._history_user = by
    case.save()
    if charges is not None:
        case.charges.set(list(charges))
    return case


@dataclass
class PossibleDuplicate:
    person: Person
    score: float


def people_possible_duplicates(
    *, people: QuerySet[Person], names: Iterable[str]
) -> list[PossibleDuplicate]:
    """People (among those the user may see) whose names match any of the given names,
    best match first; found through the name keys, scored by the names module."""
    names = [name for name in names if name and name.strip()]
    tokens = {token for name in names for token in name_tokens(name) if len(token) >= 2}
    if not tokens:
        return []
    # Any shared word makes a candidate ("Zhumagulov A." shares only the surname); the
    # names module then scores each candidate against every name they go by.
    candidate_ids = list(
        PersonNameKey.objects.filter(key__in=tokens, person__in=people)
        .values("person_id")
        .annotate(matched=Count("key"))
        .order_by("-matched", "person_id")
        .values_list("person_id", flat=True)[:50]
    )
    query = people.filter(pk__in=candidate_ids)
    candidates = list(query.prefetch_related("aliases"))
    found = []
    for person in candidates:
        own_names = [person.full_name, person.native_name, *(a.name for a in person.aliases.all())]
        score = max(name_match_score(typed, own) for typed in names for own in own_names if own)
        if score >= DUPLICATE_SCORE_THRESHOLD:
            found.append(PossibleDuplicate(person=person, score=score))
    found.sort(key=lambda duplicate: (-duplicate.score, duplicate.person.full_name))
    return found[:DUPLICATE_LIMIT]
