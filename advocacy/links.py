"""What a campaign or an engagement may link to, checked the same way for both: its
people are members of the owning organisation, its cases are cases the user may see, and
the cases the user cannot see stay linked when they save (they were never offered)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from casework.models import Case
from casework.visibility import cases_visible_to, user_membership


def members_outside(*, members: Iterable, organisation_id: int) -> bool:
    """Whether any of these users is not a member of the organisation."""
    return any(
        getattr(user_membership(member), "organisation_id", None) != organisation_id
        for member in members
    )


def cases_not_all_visible(*, cases: Iterable[Case], by) -> bool:
    case_ids = {case.pk for case in cases}
    return bool(case_ids) and cases_visible_to(by).filter(pk__in=case_ids).count() != len(case_ids)


def unseen_case_ids(*, linked: QuerySet[Case], by) -> set[int]:
    """The linked cases `by` may not see, which a save by `by` keeps."""
    return set(
        linked.exclude(pk__in=cases_visible_to(by).values("pk")).values_list("pk", flat=True)
    )
