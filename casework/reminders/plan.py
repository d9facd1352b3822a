"""Which reminders a follow-up gets, and keeping its Reminder rows in step with that plan.

A reminder's `sequence` is the day it is about, as YYYYMMDD (the due date, the overdue day,
the digest's Monday), so moving a due date plans new rows instead of reusing ones already
sent, and planning the same day twice hits the unique constraint.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone

from casework.models import FollowUp, Membership, Reminder

PLANNED_KINDS = (
    Reminder.Kind.BEFORE_DUE,
    Reminder.Kind.DUE,
    Reminder.Kind.OVERDUE,
    Reminder.Kind.ESCALATION,
)


@dataclass(frozen=True)
class PlannedReminder:
    recipient_id: int
    kind: str
    sequence: int
    due_at: datetime


def zone_named(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_moment(*, day: date, hour: int, zone: ZoneInfo) -> datetime:
    """`hour`:00 on `day` on the recipient's wall clock (so 09:00 stays 09:00 across a
    daylight-saving change, and the UTC instant moves instead)."""
    return datetime.combine(day, time(hour), tzinfo=zone)


def day_sequence(day: date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def user_timezones(user_ids: Iterable[int]) -> dict[int, ZoneInfo]:
    rows = Membership.objects.filter(user_id__in=set(user_ids)).values_list("user_id", "timezone")
    return {user_id: zone_named(name) for user_id, name in rows}


def user_organisations(user_ids: Iterable[int]) -> dict[int, int]:
    rows = Membership.objects.filter(user_id__in=set(user_ids)).values_list(
        "user_id", "organisation_id"
    )
    return dict(rows)


def reminders_plan_for(
    follow_up: FollowUp,
    *,
    timezones: dict[int, ZoneInfo] | None = None,
    organisations: dict[int, int] | None = None,
) -> list[PlannedReminder]:
    """The reminders an open follow-up should have, whatever has been sent already. A task
    someone left behind in another organisation reminds only those still members of it."""
    if follow_up.status != FollowUp.State.OPEN:
        return []
    people = [follow_up.assignee_id, follow_up.assigned_by_id]
    if timezones is None:
        timezones = user_timezones(people)
    left = follow_up.left_organisation_id
    if left is not None and organisations is None:
        organisations = user_organisations(people)
    utc = ZoneInfo("UTC")
    assignee_zone = timezones.get(follow_up.assignee_id, utc)
    hour = settings.REMINDER_HOUR_LOCAL
    due_on = follow_up.due_on
    plan: list[PlannedReminder] = []

    def add(recipient_id: int, kind: str, day: date, zone: ZoneInfo) -> None:
        if left is not None and (organisations or {}).get(recipient_id) != left:
            return
        moment = local_moment(day=day, hour=hour, zone=zone)
        plan.append(PlannedReminder(recipient_id, kind, day_sequence(day), moment))

    if settings.REMINDER_DAYS_BEFORE > 0:
        add(
            follow_up.assignee_id,
            Reminder.Kind.BEFORE_DUE,
            due_on - timedelta(days=settings.REMINDER_DAYS_BEFORE),
            assignee_zone,
        )
    add(follow_up.assignee_id, Reminder.Kind.DUE, due_on, assignee_zone)
    for late_days in range(1, settings.REMINDER_MAX_OVERDUE + 1):
        add(
            follow_up.assignee_id,
            Reminder.Kind.OVERDUE,
            due_on + timedelta(days=late_days),
            assignee_zone,
        )
    escalate_after = settings.REMINDER_ESCALATE_AFTER_DAYS
    if escalate_after > 0 and follow_up.assigned_by_id != follow_up.assignee_id:
        add(
            follow_up.assigned_by_id,
            Reminder.Kind.ESCALATION,
            due_on + timedelta(days=escalate_after),
            timezones.get(follow_up.assigned_by_id, utc),
        )
    return plan


def reminders_sync_for_many(*, follow_ups: list[FollowUp], now: datetime | None = None) -> None:
    """Bring the pending reminder rows of these follow-ups in line with their plans, in a
    bounded number of queries. Rows already sent or claimed are history and stay; rows no
    longer in a plan (completed, cancelled, reassigned, moved) are cancelled."""
    if not follow_ups:
        return
    now = now or timezone.now()
    user_ids = {f.assignee_id for f in follow_ups} | {f.assigned_by_id for f in follow_ups}
    timezones = user_timezones(user_ids)
    organisations = (
        user_organisations(user_ids)
        if any(f.left_organisation_id is not None for f in follow_ups)
        else {}
    )
    by_follow_up = {f.pk: f for f in follow_ups}
    existing = defaultdict(dict)
    for reminder in Reminder.objects.filter(follow_up_id__in=by_follow_up):
        key = (reminder.recipient_id, reminder.kind, reminder.sequence)
        existing[reminder.follow_up_id][key] = reminder

    to_create: list[Reminder] = []
    to_change: list[Reminder] = []
    to_cancel: list[int] = []
    for follow_up in follow_ups:
        rows = existing[follow_up.pk]
        planned_keys = set()
        for planned in reminders_plan_for(
            follow_up, timezones=timezones, organisations=organisations
        ):
            key = (planned.recipient_id, planned.kind, planned.sequence)
            planned_keys.add(key)
            row = rows.get(key)
            if row is None:
                # A moment already past when the task is planned (a task due tomorrow has
                # no "in 3 days" reminder) is skipped rather than sent late.
                if planned.due_at >= now:
                    to_create.append(
                        Reminder(
                            follow_up_id=follow_up.pk,
                            recipient_id=planned.recipient_id,
                            kind=planned.kind,
                            sequence=planned.sequence,
                            due_at=planned.due_at,
                        )
                    )
            elif (
                row.state == Reminder.State.PENDING
                and row.due_at != planned.due_at
                and row.attempts == 0
            ):
                # The recipient changed timezone. A row that already failed once waits for
                # its retry moment (the backoff), whatever edit the task gets meanwhile.
                row.due_at = planned.due_at
                to_change.append(row)
            elif row.state == Reminder.State.CANCELLED and planned.due_at >= now:
                row.state, row.due_at, row.attempts = Reminder.State.PENDING, planned.due_at, 0
                to_change.append(row)
        to_cancel.extend(
            row.pk
            for key, row in rows.items()
            if row.state == Reminder.State.PENDING
            and reminder_withdrawn(
                follow_up=follow_up,
                row=row,
                planned=key in planned_keys,
                organisations=organisations,
            )
        )

    if to_create:
        Reminder.objects.bulk_create(to_create, ignore_conflicts=True)
    if to_change:
        Reminder.objects.bulk_update(to_change, ["due_at", "state", "attempts"])
    if to_cancel:
        Reminder.objects.filter(pk__in=to_cancel, state=Reminder.State.PENDING).update(
            state=Reminder.State.CANCELLED
        )


def reminder_withdrawn(
    *, follow_up: FollowUp, row: Reminder, planned: bool, organisations: dict[int, int]
) -> bool:
    """Whether a pending row no longer in its task's plan is cancelled."""
    if follow_up.status != FollowUp.State.OPEN:
        return True
    # A "new task for you" notice is for whoever holds the task now: after a
    # reassignment, the previous assignee's unsent one is withdrawn.
    if row.kind == Reminder.Kind.REASSIGNED and row.recipient_id != follow_up.assignee_id:
        return True
    # Whoever moved to another organisation is told nothing more of the tasks left
    # behind, not even the notice of one just given to them.
    left = follow_up.left_organisation_id
    if left is not None and organisations.get(row.recipient_id) != left:
        return True
    return row.kind in PLANNED_KINDS and not planned


def reminders_sync_for(*, follow_up: FollowUp, now: datetime | None = None) -> None:
    reminders_sync_for_many(follow_ups=[follow_up], now=now)


def reminders_sync_for_user(*, user_id: int, now: datetime | None = None) -> None:
    """After a user's time zone changed (their preferences, or an admin's edit of their
    membership): the pending reminders of their open tasks move to 09:00 of the new zone,
    and their weekly digest to its hour there."""
    now = now or timezone.now()
    reminders_sync_for_many(
        follow_ups=list(
            FollowUp.objects.filter(
                Q(assignee_id=user_id) | Q(assigned_by_id=user_id), status=FollowUp.State.OPEN
            )
        ),
        now=now,
    )
    digest_move_for(user_id=user_id, now=now)


def digest_move_for(*, user_id: int, now: datetime) -> None:
    """The user's unsent digest goes to its moment in their current zone. When that falls
    on another day (Monday 08:00 has passed in Almaty but not yet in Warsaw), the old row
    is cancelled and the new day planned, unless a digest already went out that day."""
    pending = Reminder.objects.filter(
        recipient_id=user_id,
        kind=Reminder.Kind.DIGEST,
        follow_up__isnull=True,
        state=Reminder.State.PENDING,
        attempts=0,
    )
    if not pending.exists():
        return
    zone = user_timezones([user_id]).get(user_id, ZoneInfo("UTC"))
    moment = next_digest_moment(now=now, zone=zone)
    sequence = day_sequence(moment.astimezone(zone).date())
    pending.filter(sequence=sequence).update(due_at=moment)
    if pending.exclude(sequence=sequence).update(state=Reminder.State.CANCELLED):
        Reminder.objects.bulk_create(
            [
                Reminder(
                    recipient_id=user_id,
                    kind=Reminder.Kind.DIGEST,
                    sequence=sequence,
                    due_at=moment,
                )
            ],
            ignore_conflicts=True,
        )


def reminder_plan_assignment_notice(*, follow_up: FollowUp, now: datetime | None = None) -> None:
    """Tell the assignee at once that a task is theirs, through the same exactly-once rows."""
    if follow_up.assignee_id == follow_up.assigned_by_id:
        return
    last = Reminder.objects.filter(
        follow_up=follow_up, recipient_id=follow_up.assignee_id, kind=Reminder.Kind.REASSIGNED
    ).aggregate(last=Max("sequence"))["last"]
    Reminder.objects.create(
        follow_up=follow_up,
        recipient_id=follow_up.assignee_id,
        kind=Reminder.Kind.REASSIGNED,
        sequence=(last or 0) + 1,
        due_at=now or timezone.now(),
    )


def reminders_plan_first_assignment_notices(
    *, follow_ups: list[FollowUp], now: datetime | None = None
) -> None:
    """Tell each assignee of these new follow-ups that the task is theirs, in one insert;
    the unique constraint keeps a second call from telling anyone twice."""
    Reminder.objects.bulk_create(
        [
            Reminder(
                follow_up=follow_up,
                recipient_id=follow_up.assignee_id,
                kind=Reminder.Kind.REASSIGNED,
                sequence=1,
                due_at=now or timezone.now(),
            )
            for follow_up in follow_ups
            if follow_up.assignee_id != follow_up.assigned_by_id
        ],
        ignore_conflicts=True,
    )


def next_digest_moment(*, now: datetime, zone: ZoneInfo) -> datetime:
    local_today = now.astimezone(zone).date()
    days_back = (local_today.weekday() - settings.REMINDER_DIGEST_WEEKDAY) % 7
    day = local_today - timedelta(days=days_back)
    moment = local_moment(day=day, hour=settings.REMINDER_DIGEST_HOUR_LOCAL, zone=zone)
    if moment <= now:
        moment = local_moment(
            day=day + timedelta(days=7), hour=settings.REMINDER_DIGEST_HOUR_LOCAL, zone=zone
        )
    return moment


def reminders_plan_digests(*, now: datetime | None = None) -> int:
    """Plan next week's digest for every user with an open task (run hourly by beat);
    the unique constraint makes re-planning a no-op. Returns the number of users."""
    now = now or timezone.now()
    rows = (
        Membership.objects.filter(
            user__is_active=True, user__follow_ups__status=FollowUp.State.OPEN
        )
        .values_list("user_id", "timezone")
        .distinct()
    )
    digests = []
    for user_id, zone_name in rows:
        moment = next_digest_moment(now=now, zone=zone_named(zone_name))
        local_day = moment.astimezone(zone_named(zone_name)).date()
        digests.append(
            Reminder(
                recipient_id=user_id,
                kind=Reminder.Kind.DIGEST,
                sequence=day_sequence(local_day),
                due_at=moment,
            )
        )
    Reminder.objects.bulk_create(digests, ignore_conflicts=True)
    return len(digests)
