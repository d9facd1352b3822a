"""The sanctions tracker: a submission to a jurisdiction, its outcome, and its follow-up
tasks. A follow-up is an ordinary casework task (casework.followups.follow_up_create, with
its reminders), linked to the submission here: casework does not know this app."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accountability.models import ResponsiblePerson, SanctionsSubmission, SubmissionFollowUp
from casework.followups import follow_up_create, follow_ups_visible_to, user_today
from casework.models import FollowUp
from common.history import history_save, model_update

SUBMISSION_FIELDS = ("jurisdiction", "submitted_on", "submitted_by", "note")
OUTCOME_FIELDS = ("outcome", "outcome_on", "note")


def _not_in_future(*, field: str, value: Any, by, message: str) -> None:
    # A typo (2062 for 2026) would leave the submission "pending" in the tracker for years.
    if isinstance(value, datetime.date) and value > user_today(by):
        raise ValidationError({field: message})


def submission_create(*, person: ResponsiblePerson, by, **fields: Any) -> SanctionsSubmission:
    unknown = set(fields) - set(SUBMISSION_FIELDS)
    if unknown:
        raise ValueError(f"submission_create cannot set {', '.join(sorted(unknown))}")
    _not_in_future(
        field="submitted_on",
        value=fields.get("submitted_on"),
        by=by,
        message=_("A submission cannot be dated in the future."),
    )
    submission = SanctionsSubmission(
        person=person,
        created_by=by,
        **{k: v.strip() if isinstance(v, str) else v for k, v in fields.items()},
    )
    submission.full_clean()
    history_save(instance=submission, by=by)
    return submission


def submission_record_outcome(
    *, submission: SanctionsSubmission, by, **fields: Any
) -> SanctionsSubmission:
    """Listed, not listed or still pending, and when it was decided."""
    _not_in_future(
        field="outcome_on",
        value=fields.get("outcome_on"),
        by=by,
        message=_("An outcome cannot be dated in the future."),
    )
    return model_update(instance=submission, data=fields, fields=OUTCOME_FIELDS, by=by)


def submission_add_follow_up(
    *,
    submission: SanctionsSubmission,
    by,
    title: str,
    assignee,
    due_on: datetime.date,
    priority: int = FollowUp.Priority.NORMAL,
    note: str = "",
) -> FollowUp:
    """A task about the submission (check the outcome, answer the authority's questions),
    with the reminders of every task; about no case, since a submission spans cases. The
    rules of tasks (who may assign, to whom) are casework.followups's."""
    with transaction.atomic():
        follow_up = follow_up_create(
            case=None,
            title=title,
            assignee=assignee,
            by=by,
            due_on=due_on,
            priority=priority,
            note=note,
        )
        SubmissionFollowUp.objects.create(submission=submission, follow_up=follow_up)
    return follow_up


def person_submissions(*, person: ResponsiblePerson) -> QuerySet[SanctionsSubmission]:
    return person.submissions.select_related("created_by").order_by("-submitted_on", "pk")


def person_submission_follow_ups(*, person: ResponsiblePerson, user) -> QuerySet[FollowUp]:
    return (
        follow_ups_visible_to(user)
        .filter(submission_link__submission__person=person)
        .select_related("assignee", "submission_link")
        .order_by("due_on", "pk")
    )
