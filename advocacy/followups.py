"""After a resolution: a follow-up task for each named person who is still detained."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from advocacy.mentions import case_document_preference
from advocacy.models import Document, Mention
from casework.followups import follow_up_assignment_problems
from casework.models import Case, FollowUp, liberty_deprived_condition
from casework.partial_dates import partial_date_of
from casework.permissions import user_manages_follow_ups
from casework.reminders import (
    reminders_plan_first_assignment_notices,
    reminders_sync_for_many,
)
from casework.visibility import cases_visible_to, user_membership

# A document's follow-ups are due this many days after the day they are created.
DOCUMENT_FOLLOW_UP_DAYS = 14


@dataclass
class FollowUpsCreated:
    created: int = 0
    already_there: int = 0
    without_caseworker: list[str] = field(default_factory=list)
    # "reference: why", for cases whose caseworker may not be given the task by `by`
    # (another organisation's member, or someone who cannot see the case).
    not_assignable: list[str] = field(default_factory=list)


# Written in the language of the coordinator who creates the tasks.
FOLLOW_UP_NOTE = gettext_lazy(
    "%(kind)s of %(date)s names %(name)s. Check whether the demands were met."
)


def document_create_follow_ups(
    *, document: Document, by, due_in_days: int = DOCUMENT_FOLLOW_UP_DAYS
) -> int:
    """One task per named person still detained (through a confirmed mention of a case
    visible to `by`), for the caseworker of their case, due in `due_in_days`. Clicking
    twice creates nothing new: the origin is unique per case (follow_up_unique_origin),
    and a person who already has the task on any of their cases gets no second one.
    Returns how many were created."""
    return document_plan_follow_ups(document=document, by=by, due_in_days=due_in_days).created


def document_plan_follow_ups(
    *, document: Document, by, due_in_days: int = DOCUMENT_FOLLOW_UP_DAYS
) -> FollowUpsCreated:
    if not user_manages_follow_ups(by):
        raise PermissionDenied(_("Only coordinators create follow-up tasks."))
    origin = f"document:{document.pk}"
    cases = list(
        cases_visible_to(by)
        .filter(
            liberty_deprived_condition(),
            mentions__document=document,
            mentions__state=Mention.State.CONFIRMED,
        )
        .select_related("person", "assigned_caseworker__membership__organisation")
        .distinct()
        .order_by("reference")
    )
    # The same check as a task assigned by hand (follow_up_create), for all cases at once.
    problems = follow_up_assignment_problems(
        assignments=[
            (case, case.assigned_caseworker) for case in cases if case.assigned_caseworker
        ],
        by=by,
    )
    membership = user_membership(by)
    organisation_id = membership.organisation_id if membership is not None else None
    # A person named through two cases (the host's and a partner's record of the same
    # imprisonment) is one person to check on: one task, on the case `by`'s organisation
    # owns where it can be given, and no warning about the other case.
    cases_by_person: dict[int, list[Case]] = defaultdict(list)
    for case in sorted(
        cases,
        key=lambda case: case_document_preference(
            case=case, issued_on=document.issued_on, organisation_id=organisation_id
        ),
    ):
        cases_by_person[case.person_id].append(case)
    due_on = timezone.localdate() + timedelta(days=due_in_days)
    # The title says the date the check is due by (counted from today, not from the
    # document's date), in the app's one date format.
    title = (
        _("Check status by %(date)s — “%(title)s”")
        % {"date": date_format(due_on, "SHORT_DATE_FORMAT"), "title": document.title}
    )[:200]
    result = FollowUpsCreated()
    with transaction.atomic():
        existing = set(
            FollowUp.objects.filter(origin=origin, case__in=cases).values_list("case_id", flat=True)
        )
        candidates, unassigned = _follow_ups_to_create(
            cases_by_person=cases_by_person,
            existing=existing,
            problems=problems,
            result=result,
            template=FollowUp(title=title, assigned_by=by, due_on=due_on, origin=origin),
            document=document,
        )
        # The unique constraint is the rule; ignore_conflicts makes a concurrent second
        # click a no-op instead of an error.
        FollowUp.objects.bulk_create(candidates, ignore_conflicts=True)
        created = list(
            FollowUp.objects.filter(origin=origin)
            .exclude(case_id__in=existing)
            .filter(case_id__in=[f.case_id for f in candidates])
        )
        reminders_sync_for_many(follow_ups=created)
        reminders_plan_first_assignment_notices(follow_ups=created)
    unassigned.sort(key=lambda case: case.reference)
    result.without_caseworker = [
        case.reference for case in unassigned if case.assigned_caseworker_id is None
    ]
    result.not_assignable = [
        f"{case.reference}: {problems[case.pk]}" for case in unassigned if case.pk in problems
    ]
    result.created = len(created)
    result.already_there += len(candidates) - len(created)
    return result


def _follow_ups_to_create(
    *,
    cases_by_person: dict[int, list[Case]],
    existing: set[int],
    problems: dict[int, str],
    result: FollowUpsCreated,
    template: FollowUp,
    document: Document,
) -> tuple[list[FollowUp], list[Case]]:
    """One task per person without one, on the first case it can be given on; the cases of
    people for whom none can be given."""
    candidates: list[FollowUp] = []
    unassigned: list[Case] = []
    for person_cases in cases_by_person.values():
        if any(case.pk in existing for case in person_cases):
            result.already_there += 1
            continue
        assignable = [
            case
            for case in person_cases
            if case.assigned_caseworker_id is not None and case.pk not in problems
        ]
        if not assignable:
            unassigned.extend(person_cases)
            continue
        case = assignable[0]
        candidates.append(
            FollowUp(
                case=case,
                title=template.title,
                note=FOLLOW_UP_NOTE
                % {
                    "kind": document.get_kind_display(),
                    "date": partial_date_of(document, "issued_on"),
                    "name": case.person.full_name,
                },
                assignee_id=case.assigned_caseworker_id,
                assigned_by=template.assigned_by,
                due_on=template.due_on,
                origin=template.origin,
            )
        )
    return candidates, unassigned
