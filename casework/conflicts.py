"""Status conflicts: when two open cases of one person, held by two organisations,
disagree on the person's current status.

- A conflict is a pair of unarchived cases of one person, owned by different
  organisations, whose current statuses are both known and differ. One organisation's
  own episodes of a person are its own business and never conflict.
- status_conflicts_recompute opens and closes conflicts from the cases as they stand;
  casework.status calls it after every status change (and timelines_recompute after a
  bulk write), so a conflict appears and goes with the statuses that make it.
- Opening one (or a change of what either case says) notifies the coordinators and
  admins of each organisation whose case is the older one, on that organisation's case:
  the status with the earlier date; both on a tie, or when one is undated (it cannot be
  placed against a date). What they are told depends on what they may see: the other
  case visible to them, everything (which organisation reports what, since when, on what
  source, if they see sources); the other case hidden but internal, only that another
  organisation reports a different status; the other case restricted and hidden,
  nothing, since even that would tell a restricted case exists.
- Pages show a conflict only to those who see both cases (status_conflicts_visible_to).
- A dismissal (status_conflict_dismiss, with a reason) holds while both cases say what
  they said when it was dismissed; recording the other case's status is
  casework.status.status_conflict_record. Both are kept, with who and when.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from casework.models import (
    Case,
    Confidentiality,
    Membership,
    Notification,
    Person,
    Role,
    Status,
    StatusConflict,
)
from casework.permissions import MANAGER_ROLES, case_is_editable_by, user_sees_sensitive_fields
from casework.visibility import (
    AnyUser,
    cases_visible_to,
    status_conflicts_visible_to,
    user_membership,
)
from common.history import history_save
from common.lookups import field_in

RECOMPUTE_BATCH = 2000
_SNAPSHOT = ("first_status", "first_since", "second_status", "second_since")


@dataclass(frozen=True)
class _CaseState:
    pk: int
    person_id: int
    organisation_id: int
    status: str
    since: date | None


Snapshot = tuple[str, date | None, str, date | None]


def _snapshot(first: _CaseState, second: _CaseState) -> Snapshot:
    return (first.status, first.since, second.status, second.since)


def _disagreeing_pairs(cases: Iterable[_CaseState]) -> dict[tuple[int, int], tuple[int, Snapshot]]:
    """(first case id, second case id) -> what each says, for every pair in conflict."""
    by_person: dict[int, list[_CaseState]] = defaultdict(list)
    for case in cases:
        if case.status != Status.UNKNOWN:
            by_person[case.person_id].append(case)
    pairs = {}
    for person_cases in by_person.values():
        person_cases.sort(key=lambda case: case.pk)
        for index, first in enumerate(person_cases):
            for second in person_cases[index + 1 :]:
                if (
                    first.organisation_id != second.organisation_id
                    and first.status != second.status
                ):
                    pairs[(first.pk, second.pk)] = (first.person_id, _snapshot(first, second))
    return pairs


def status_conflicts_recompute(
    *, person_ids: Iterable[int], by: AnyUser | None = None
) -> list[StatusConflict]:
    """Open, update and close these people's conflicts from their cases as they stand, and
    notify on what opened or changed. Returns the conflicts opened or changed. Call it
    inside the transaction that changed the statuses (the writers of casework.status and
    timelines_recompute do)."""
    ids = sorted(set(person_ids))
    told: list[StatusConflict] = []
    with transaction.atomic():
        for start in range(0, len(ids), RECOMPUTE_BATCH):
            told += _recompute_batch(person_ids=ids[start : start + RECOMPUTE_BATCH], by=by)
        _conflicts_notify(conflicts=told)
    return told


def _open_cases(person_ids: list[int]) -> list[_CaseState]:
    return [
        _CaseState(*row)
        for row in Case.objects.filter(
            **field_in("person_id", person_ids), archived_at__isnull=True
        )
        .order_by()
        .values_list("pk", "person_id", "owning_organisation_id", "status", "status_since")
    ]


def _recompute_batch(*, person_ids: list[int], by: AnyUser | None) -> list[StatusConflict]:
    cases = _open_cases(person_ids)
    disagreeing = sorted({person for person, _ in _disagreeing_pairs(cases).values()})
    if disagreeing:
        # A person whose cases disagree has their conflicts opened by one transaction at a
        # time, whichever of their cases changed (two writers on two cases of one person
        # would each open the pair); their cases are read again under that lock. Locking
        # only them spares the many people with a single case.
        list(
            Person.objects.select_for_update()
            .filter(**field_in("pk", disagreeing))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        locked = set(disagreeing)
        cases = [case for case in cases if case.person_id not in locked]
        cases += _open_cases(disagreeing)
    open_ids = {case.pk for case in cases}
    wanted = _disagreeing_pairs(cases)
    now = timezone.now()
    dismissed = {
        (first, second, *snapshot)
        for first, second, *snapshot in StatusConflict.objects.filter(
            **field_in("person_id", person_ids), outcome=StatusConflict.Outcome.DISMISSED
        ).values_list("first_case_id", "second_case_id", *_SNAPSHOT)
    }
    closed, changed = [], []
    for conflict in StatusConflict.objects.filter(
        **field_in("person_id", person_ids), closed_at__isnull=True
    ):
        pair = (conflict.first_case_id, conflict.second_case_id)
        if pair not in wanted:
            both_open = conflict.first_case_id in open_ids and conflict.second_case_id in open_ids
            conflict.outcome = (
                StatusConflict.Outcome.AGREED if both_open else StatusConflict.Outcome.CLOSED
            )
            conflict.closed_at, conflict.closed_by = now, by  # type: ignore[assignment]
            closed.append(conflict)
            continue
        _person_id, snapshot = wanted.pop(pair)
        if tuple(getattr(conflict, name) for name in _SNAPSHOT) != snapshot:
            for name, value in zip(_SNAPSHOT, snapshot, strict=True):
                setattr(conflict, name, value)
            changed.append(conflict)
    opened = [
        StatusConflict(
            person_id=person_id,
            first_case_id=first,
            second_case_id=second,
            opened_at=now,
            **dict(zip(_SNAPSHOT, snapshot, strict=True)),
        )
        for (first, second), (person_id, snapshot) in sorted(wanted.items())
        if (first, second, *snapshot) not in dismissed
    ]
    if closed:
        bulk_update_with_history(
            closed, StatusConflict, ["outcome", "closed_at", "closed_by"], default_user=by
        )
    if changed:
        bulk_update_with_history(changed, StatusConflict, list(_SNAPSHOT), default_user=by)
    if opened:
        # Read back with their ids (SQLite returns none from a bulk insert).
        bulk_create_with_history(opened, StatusConflict, default_user=by)
        opened = list(
            StatusConflict.objects.filter(
                **field_in("person_id", person_ids), closed_at__isnull=True, opened_at=now
            )
        )
    return opened + changed


def status_conflict_close(
    *, conflict: StatusConflict, outcome: str, by: AnyUser | None, reason: str = ""
) -> None:
    """Close an open conflict (a dismissal, or its other case's status recorded)."""
    with transaction.atomic():
        locked = StatusConflict.objects.select_for_update().get(pk=conflict.pk)
        if locked.closed_at is not None:
            raise ValidationError(gettext("This conflict was already resolved."))
        locked.closed_at = timezone.now()
        locked.outcome = outcome
        locked.closed_by = by  # type: ignore[assignment]
        locked.reason = reason
        history_save(instance=locked, by=by)
    conflict.refresh_from_db()


def status_conflict_dismiss(*, conflict: StatusConflict, reason: str, by: AnyUser | None) -> None:
    """Dismiss with a reason; it holds until either case says something new. Who may
    (status_conflict_actions, below) is the caller's check."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": gettext("Say why this conflict is dismissed.")})
    status_conflict_close(
        conflict=conflict, outcome=StatusConflict.Outcome.DISMISSED, by=by, reason=reason
    )


# --- Who sees what -------------------------------------------------------------------------


def status_conflicts_shown(*, user: AnyUser, person_id: int) -> list[StatusConflict]:
    """A person's conflicts the user may see, open ones first, with both cases read."""
    # Most people have no conflict, and compiling the query that reads both cases with
    # their relations costs the case and person pages more than running it: ask for the
    # ids first (who may see what is decided here), and read the rows only if there are.
    ids = list(
        status_conflicts_visible_to(user).filter(person_id=person_id).values_list("pk", flat=True)
    )
    if not ids:
        return []
    return list(
        StatusConflict.objects.filter(pk__in=ids)
        .select_related(
            "closed_by",
            *(
                f"{side}__{relation}"
                for side in ("first_case", "second_case")
                for relation in ("owning_organisation", "status_event")
            ),
        )
        .order_by("-closed_at", "-opened_at", "-pk")
    )


def status_conflict_older_cases(conflict: StatusConflict) -> list[int]:
    """The case(s) whose status is the older one by its date. An undated status cannot be
    placed against a date (it may be older or newer), so then both are; so on a tie."""
    first, second = conflict.first_since, conflict.second_since
    if first is not None and second is not None and first != second:
        return [conflict.first_case_id if first < second else conflict.second_case_id]
    return [conflict.first_case_id, conflict.second_case_id]


# --- Notifications -------------------------------------------------------------------------


def _when(since: date | None) -> str:
    if since is None:
        return gettext("an unknown date")
    return date_format(since, "SHORT_DATE_FORMAT")


def _status_label(status: str) -> str:
    return str(Status(status).label)


def _notification_text(
    *, own: Case, other: Case, sees_other: bool, sees_sources: bool
) -> tuple[str, str] | None:
    """(title, body) for a coordinator of `own`'s organisation, or None: nothing to say."""
    own_says = {
        "reference": own.reference,
        "status": _status_label(own.status),
        "since": _when(own.status_since),
    }
    if not sees_other:
        if other.confidentiality == Confidentiality.RESTRICTED:
            return None
        return (
            gettext("Status conflict on case %(reference)s") % own_says,
            gettext(
                "Another organisation reports a different status for %(person)s. Your case "
                "%(reference)s says “%(status)s” since %(since)s."
            )
            % {**own_says, "person": own.person.full_name},
        )
    body = gettext(
        "%(organisation)s reports “%(other_status)s” since %(other_since)s for %(person)s "
        "(case %(other_reference)s). Your case %(reference)s says “%(status)s” since %(since)s."
    ) % {
        **own_says,
        "organisation": other.owning_organisation.name,
        "other_status": _status_label(other.status),
        "other_since": _when(other.status_since),
        "other_reference": other.reference,
        "person": own.person.full_name,
    }
    if sees_sources and other.status_event is not None and other.status_event.source:
        body += "\n" + gettext("Their source: %(source)s") % {
            "source": other.status_event.source_shown
        }
    return (gettext("Status conflict: %(person)s") % {"person": own.person.full_name}, body)


def _conflicts_notify(*, conflicts: list[StatusConflict]) -> None:
    """Tell the coordinators of each older case's organisation, as the module says; a
    query per recipient, however many conflicts."""
    if not conflicts:
        return
    case_ids = {pk for c in conflicts for pk in (c.first_case_id, c.second_case_id)}
    cases = Case.objects.select_related("person", "owning_organisation", "status_event").in_bulk(
        case_ids
    )
    # (own case, other case) for each older side.
    sides = [
        (cases[own], cases[c.second_case_id if own == c.first_case_id else c.first_case_id])
        for c in conflicts
        for own in status_conflict_older_cases(c)
    ]
    recipients: dict[int, list[User]] = defaultdict(list)
    # Each is told in the language they read the app in, not the writer's (a Kazakh
    # coordinator's notice of a change a Russian-speaking colleague or an import made).
    languages: dict[int, str] = {}
    for membership in Membership.objects.filter(
        organisation_id__in={own.owning_organisation_id for own, _ in sides},
        role__in=(Role.COORDINATOR, Role.ADMIN),
        user__is_active=True,
    ).select_related("user", "organisation"):
        recipients[membership.organisation_id].append(membership.user)
        languages[membership.user_id] = membership.language or settings.LANGUAGE_CODE
    notifications = []
    for user in {user for users in recipients.values() for user in users}:
        others = [
            other.pk for own, other in sides if user in recipients[own.owning_organisation_id]
        ]
        seen = set(
            cases_visible_to(user, include_archived=True)
            .filter(pk__in=others)
            .values_list("pk", flat=True)
        )
        sees_sources = user_sees_sensitive_fields(user)
        for own, other in sides:
            if user not in recipients[own.owning_organisation_id]:
                continue
            with translation.override(languages[user.pk]):
                text = _notification_text(
                    own=own, other=other, sees_other=other.pk in seen, sees_sources=sees_sources
                )
            if text is not None:
                title, body = text
                notifications.append(
                    Notification(
                        user=user,
                        title=title[:200],
                        body=body,
                        url=own.get_absolute_url(),
                        case=own,
                    )
                )
    Notification.objects.bulk_create(notifications)


# --- Who may resolve ---------------------------------------------------------------------


@dataclass(frozen=True)
class StatusConflictActions:
    """What a user may do from a conflict's banner: record the other case's status on
    these cases (the older side, theirs to change), and dismiss."""

    record_on: list[Case]
    may_dismiss: bool


def status_conflict_actions(*, conflict: StatusConflict, user: AnyUser) -> StatusConflictActions:
    """Coordinators and admins who see both cases and may change one of them resolve a
    conflict; the status is recorded on an older side they may change. The conflict's
    cases must have been read with it (status_conflicts_shown)."""
    membership = user_membership(user)
    if membership is None or membership.role not in MANAGER_ROLES:
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
