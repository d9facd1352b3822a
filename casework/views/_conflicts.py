"""What the case and person pages show of a person's status conflicts (casework.conflicts):
each open one as a banner with the two cases side by side and what the user may do, the
closed ones as history. Only conflicts whose two cases the user may see."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from casework.conflicts import (
    status_conflict_actions,
    status_conflict_older_cases,
    status_conflicts_shown,
)
from casework.models import Case, Status, StatusConflict
from casework.permissions import user_sees_sensitive_fields


@dataclass(frozen=True)
class ConflictSide:
    case: Case
    status_label: str
    since: date | None
    source: str | None  # None: not shown to this user
    is_older: bool


@dataclass
class ConflictBanner:
    conflict: StatusConflict
    sides: list[ConflictSide]
    # (case to record on, the side whose status it would record)
    record: list[tuple[Case, ConflictSide]] = field(default_factory=list)
    may_dismiss: bool = False


def status_conflict_banners(*, user, person_id: int, case_id: int | None = None):
    """The person's conflicts the user may see (both cases), those about `case_id` only
    if given: open ones as banners with what the user may do, closed ones as history."""
    show_sources = user_sees_sensitive_fields(user)
    open_banners, closed = [], []
    for conflict in status_conflicts_shown(user=user, person_id=person_id):
        if case_id is not None and case_id not in (conflict.first_case_id, conflict.second_case_id):
            continue
        if conflict.closed_at is not None:
            closed.append(conflict)
            continue
        older = status_conflict_older_cases(conflict)
        sides = [
            ConflictSide(
                case=case,
                status_label=str(Status(case.status).label),
                since=case.status_since,
                source=(
                    case.status_event.source_shown if show_sources and case.status_event else None
                ),
                is_older=case.pk in older and len(older) == 1,
            )
            for case in (conflict.first_case, conflict.second_case)
        ]
        actions = status_conflict_actions(conflict=conflict, user=user)
        other_of = {sides[0].case.pk: sides[1], sides[1].case.pk: sides[0]}
        open_banners.append(
            ConflictBanner(
                conflict=conflict,
                sides=sides,
                record=[(case, other_of[case.pk]) for case in actions.record_on],
                may_dismiss=actions.may_dismiss,
            )
        )
    return open_banners, closed
