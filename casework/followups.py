"""Follow-up tasks: the one place they are created, edited, completed, cancelled and
reassigned. Every function keeps the task's reminder rows in step (casework/reminders/)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework.models import Case, FollowUp, Membership, Reminder, Role
from casework.partial_dates import MAXIMUM_YEAR, MINIMUM_YEAR
from casework.permissions import (
    FOLLOW_UP_COMPLETION_REFUSED,
    FOLLOW_UP_FOR_OTHERS_REFUSED,
    MANAGER_ROLES,
    follow_up_creation_allowed,
    refuse_unless,
    require_follow_up_creator,
    require_follow_up_manager,
    user_may_complete_follow_up,
)
from casework.reminders import (
    reminder_plan_assignment_notice,
    reminders_sync_for,
    reminders_sync_for_many,
    zone_named,
)
from casework.visibility import case_is_visible_to, follow_ups_visible_to, user_membership
from casework.visibility_pairs import case_pairs_visible
from common.edit_stamps import edit_stamp_check
from common.history import history_save, model_update
from common.resubmission import RESUBMISSION_WINDOW

EDITABLE_FIELDS = ("title", "note", "due_on", "priority", "recurrence_days")
NOT_A_MEMBER = _("Assign the task to a member of your organisation.")


def user_today(user, *, now: datetime | None = None) -> date:
    """The day it is where the user works (their account's time zone): what "overdue"
    is measured against on the Tasks page, the case page and the case list alike."""
    membership = user_membership(user)
    zone = zone_named(membership.timezone if membership is not None else None)
    return timezone.localdate(now or timezone.now(), zone)


def case_follow_ups_for(*, case: Case, user) -> QuerySet[FollowUp]:
    """The tasks a case page lists: those of the user's own organisation (assigned to or by
    one of its members). A case shared with another organisation does not show that
    organisation's tasks, whose titles and notes may name a source."""
    return follow_ups_of_own_organisation(user=user).filter(case=case)


def follow_ups_of_own_organisation(*, user) -> QuerySet[FollowUp]:
    """The tasks of the user's organisation (assigned to or by one of its members): those
    case pages list, and the case list's "Has an overdue follow-up" counts."""
    membership = user_membership(user)
    if membership is None:
        return FollowUp.objects.none()
    organisation_id = membership.organisation_id
    return FollowUp.objects.filter(
        Q(assignee__membership__organisation_id=organisation_id)
        | Q(assigned_by__membership__organisation_id=organisation_id)
    )


def reminder_failures_visible_to(user) -> QuerySet[Reminder]:
    """Failed reminders a coordinator hears about and may send again: those of tasks they
    see, and the weekly digests (which belong to no task) of people in their organisation."""
    membership = user_membership(user)
    if membership is None or membership.role not in MANAGER_ROLES:
        return Reminder.objects.none()
    of_tasks = Q(follow_up__in=follow_ups_visible_to(user).values("pk"))
    digests = Q(
        follow_up__isnull=True,
        recipient__membership__organisation_id=membership.organisation_id,
    )
    return Reminder.objects.filter(of_tasks | digests, state=Reminder.State.FAILED)


def follow_up_assignable_users(*, by) -> QuerySet:
    """Members of the coordinator's organisation, except partner users."""
    membership = user_membership(by)
    if membership is None:
        return Membership.objects.none()
    return (
        Membership.objects.filter(organisation_id=membership.organisation_id, user__is_active=True)
        .exclude(role=Role.PARTNER)
        .select_related("user")
        .order_by("user__username")
    )


def follow_up_assignment_problems(*, assignments: list[tuple[Case, Any]], by) -> dict[int, str]:
    """Why `by` may not give each case's task to its assignee, by case id (absent: fine).

    The one check behind every way a task gets an assignee (a coordinator's form, a
    reassignment, the follow-ups created from a document): the assignee is an active
    member of `by`'s organisation and may see the case. A fixed number of queries for
    any number of tasks, when the assignees come with `membership__organisation`."""
    by_membership = user_membership(by)
    problems: dict[int, str] = {}
    users: dict[int, Any] = {}
    asked: dict[int, set[int]] = defaultdict(set)
    for case, assignee in assignments:
        membership = user_membership(assignee)
        if (
            by_membership is None
            or membership is None
            or membership.organisation_id != by_membership.organisation_id
        ):
            problems[case.pk] = str(NOT_A_MEMBER)
        else:
            users[assignee.pk] = assignee
            asked[assignee.pk].add(case.pk)
    visible = case_pairs_visible(users=users, case_ids_by_user=asked)
    for case, assignee in assignments:
        if case.pk not in problems and (assignee.pk, case.pk) not in visible:
            problems[case.pk] = gettext("%(assignee)s cannot see case %(reference)s.") % {
                "assignee": assignee,
                "reference": case.reference,
            }
    return problems


def _check_assignee(*, case: Case | None, assignee, by) -> None:
    if case is None:
        # No case to be able to see: a member of `by`'s organisation, as for any task.
        by_membership, membership = user_membership(by), user_membership(assignee)
        problem: str | None = None
        if (
            by_membership is None
            or membership is None
            or (membership.organisation_id != by_membership.organisation_id)
        ):
            problem = str(NOT_A_MEMBER)
    else:
        problem = follow_up_assignment_problems(assignments=[(case, assignee)], by=by).get(case.pk)
    if problem:
        raise ValidationError({"assignee": problem})


def _due_check(due_on: date) -> None:
    """A due date within the years any date of a case may have (casework.partial_dates):
    the reminders are planned on days around it, and a year typed long (9999) left no
    day after it to plan them on."""
    if not MINIMUM_YEAR <= due_on.year <= MAXIMUM_YEAR:
        raise ValidationError(
            {
                "due_on": _("Enter a due date between %(minimum)s and %(maximum)s.")
                % {"minimum": MINIMUM_YEAR, "maximum": MAXIMUM_YEAR}
            }
        )


def _check_manager(*, by) -> None:
    require_follow_up_manager(by)


def follow_up_create(
    *,
    case: Case | None,
    title: str,
    assignee,
    by,
    due_on: date,
    priority: int = FollowUp.Priority.NORMAL,
    note: str = "",
    recurrence_days: int | None = None,
) -> FollowUp:
    """Coordinators and admins assign a task to a member of their organisation; a
    caseworker records one for themselves on a case they may change."""
    require_follow_up_creator(by)
    if not title.strip():
        raise ValidationError({"title": _("A task needs a title.")})
    if case is not None and not case_is_visible_to(case=case, user=by):
        raise ValidationError({"case": _("Unknown case.")})
    _due_check(due_on)
    refuse_unless(
        follow_up_creation_allowed(user=by, case=case, assignee=assignee),
        FOLLOW_UP_FOR_OTHERS_REFUSED,
    )
    _check_assignee(case=case, assignee=assignee, by=by)
    facts = {
        "case": case,
        "title": title.strip(),
        "note": note,
        "assignee": assignee,
        "assigned_by": by,
        "due_on": due_on,
        "priority": priority,
        "recurrence_days": recurrence_days or None,
    }
    # casework.status reads casework.followups (through casework.timeline_dates).

    with transaction.atomic():
        # The same form sent twice (a double click, a reload after posting) assigns one
        # task, and tells the assignee once: the open one `by` assigned just now.
        get_user_model().objects.select_for_update().filter(pk=by.pk).exists()
        same = (
            FollowUp.objects.filter(
                status=FollowUp.State.OPEN,
                created_at__gte=timezone.now() - RESUBMISSION_WINDOW,
                **facts,
            )
            .order_by("-pk")
            .first()
        )
        if same is not None:
            return same
        follow_up = FollowUp.objects.create(**facts)
        reminders_sync_for(follow_up=follow_up)
        reminder_plan_assignment_notice(follow_up=follow_up)
    return follow_up


def follow_up_update(*, follow_up: FollowUp, by, stamp: str | None = None, **changes) -> FollowUp:
    """Edit title, note, due date, priority or recurrence; pending reminders move with it.
    Given the edit stamp (common.edit_stamps) its form was opened with, refuses an edit
    over someone else's since (EditedMeanwhile, naming the fields)."""
    _check_manager(by=by)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be edited here.") for name in unknown})
    if follow_up.status != FollowUp.State.OPEN:
        raise ValidationError(_("Only an open task can be edited."))
    if changes.get("due_on") is not None:
        _due_check(changes["due_on"])
    with transaction.atomic():
        if stamp is not None:
            edit_stamp_check(instance=follow_up, stamp=stamp, allowed=EDITABLE_FIELDS)
        locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if "recurrence_days" in changes:
            changes["recurrence_days"] = changes["recurrence_days"] or None
        model_update(instance=locked, data=changes, fields=EDITABLE_FIELDS, by=by)
        reminders_sync_for(follow_up=locked)
    return locked


def follow_up_complete(*, follow_up: FollowUp, by, note: str = "") -> FollowUp | None:
    """Mark a task done; a recurring task creates its next occurrence, once (the
    OneToOne recurrence_of refuses a second). Returns the next occurrence, if any."""
    refuse_unless(
        user_may_complete_follow_up(user=by, follow_up=follow_up), FOLLOW_UP_COMPLETION_REFUSED
    )
    now = timezone.now()
    with transaction.atomic():
        done = FollowUp.objects.filter(pk=follow_up.pk, status=FollowUp.State.OPEN).update(
            status=FollowUp.State.DONE, completed_at=now, completion_note=note, updated_at=now
        )
        if not done:
            raise ValidationError(_("This task is no longer open."))
        follow_up.refresh_from_db()
        reminders_sync_for(follow_up=follow_up, now=now)
        if not follow_up.recurrence_days:
            return None
        successor = FollowUp(
            case_id=follow_up.case_id,
            title=follow_up.title,
            note=follow_up.note,
            assignee_id=follow_up.assignee_id,
            assigned_by_id=follow_up.assigned_by_id,
            # "30 days after this one is done": the day it was done where whoever marked
            # it done works, not in UTC (at 02:00 in Almaty it is still yesterday there).
            due_on=user_today(by, now=now) + timedelta(days=follow_up.recurrence_days),
            priority=follow_up.priority,
            recurrence_days=follow_up.recurrence_days,
            recurrence_of=follow_up,
        )
        try:
            with transaction.atomic():
                successor.save()
        except IntegrityError:
            return FollowUp.objects.get(recurrence_of=follow_up)
        reminders_sync_for(follow_up=successor, now=now)
    return successor


def follow_up_cancel(*, follow_up: FollowUp, by, reason: str = "") -> None:
    _check_manager(by=by)
    now = timezone.now()
    with transaction.atomic():
        cancelled = FollowUp.objects.filter(pk=follow_up.pk, status=FollowUp.State.OPEN).update(
            status=FollowUp.State.CANCELLED,
            completion_note=reason,
            completed_at=now,
            updated_at=now,
        )
        if not cancelled:
            raise ValidationError(_("This task is no longer open."))
        follow_up.refresh_from_db()
        reminders_sync_for(follow_up=follow_up, now=now)


def follow_up_reassign(*, follow_up: FollowUp, assignee, by) -> FollowUp:
    """Give the task to someone else: the old assignee's pending reminders are cancelled,
    the new assignee gets the plan and is told at once."""
    _check_manager(by=by)
    if follow_up.status != FollowUp.State.OPEN:
        raise ValidationError(_("Only an open task can be reassigned."))
    if assignee.pk == follow_up.assignee_id:
        raise ValidationError(
            {
                "assignee": _("The task is already assigned to %(assignee)s.")
                % {"assignee": assignee}
            }
        )
    _check_assignee(case=follow_up.case, assignee=assignee, by=by)
    with transaction.atomic():
        locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        # Done or cancelled by someone else since the page was read: nobody is told of it.
        if locked.status != FollowUp.State.OPEN:
            raise ValidationError(_("Only an open task can be reassigned."))
        locked.assignee = assignee
        history_save(instance=locked, by=by, update_fields=["assignee", "updated_at"])
        reminders_sync_for(follow_up=locked)
        reminder_plan_assignment_notice(follow_up=locked)
    return locked


def follow_ups_left_behind(*, user_id: int, organisation_id: int) -> int:
    """A member moved from the organisation `organisation_id` to another: their open tasks
    there, and those they assigned there (whose escalations came to them), stay that
    organisation's. Its coordinators see them under Tasks of members who left, and the
    reminders and escalations meant for the member who moved are cancelled. How many."""
    left_behind = FollowUp.objects.filter(
        Q(assignee_id=user_id) | Q(assigned_by_id=user_id),
        status=FollowUp.State.OPEN,
        left_organisation__isnull=True,
    )
    follow_ups = list(left_behind)
    if not follow_ups:
        return 0
    FollowUp.objects.filter(pk__in=[f.pk for f in follow_ups]).update(
        left_organisation_id=organisation_id
    )
    for follow_up in follow_ups:
        follow_up.left_organisation_id = organisation_id
    reminders_sync_for_many(follow_ups=follow_ups)
    return sum(1 for f in follow_ups if f.assignee_id == user_id)
