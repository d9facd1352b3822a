"""The reminder plan of follow-ups and its exactly-once delivery.

Each reminder is a Reminder row (who, what, when, state). The plan functions keep the rows
in step with the follow-ups; a beat task every minute claims due rows and enqueues one
sending task per batch of ids (a task per reminder tops out near 1,200 tasks/s here);
the sender is idempotent, so a message delivered twice, or a batch re-dispatched after a
worker died, sends nothing twice.

A reminder's `sequence` is the day it is about, as YYYYMMDD (the due date, the overdue day,
the digest's Monday), so moving a due date plans new rows instead of reusing ones already
sent, and planning the same day twice hits the unique constraint.

A sender holds the rows it claimed with a claim token (the `queued_at` it wrote), renews it
as its batch progresses and requires it in every update it makes (Lease): rows of a sender
that died go back to pending after REMINDER_QUEUED_TIMEOUT_MINUTES, while a sender that is
merely slow keeps its rows, and one that comes back after losing them cannot touch them.

Emails leave the NGO's hands, so they say only that a task is due and link to it; the
task's title, note and case stay in the in-app notification.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from time import monotonic
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import Case, DateTimeField, F, Max, Q, TextField, Value, When
from django.urls import reverse
from django.utils import timezone

from casework.models import FollowUp, Membership, Notification, Reminder, Role
from casework.visibility import user_membership
from casework.visibility_pairs import case_pairs_visible

logger = logging.getLogger(__name__)

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


def reminders_plan_for(
    follow_up: FollowUp, *, timezones: dict[int, ZoneInfo] | None = None
) -> list[PlannedReminder]:
    """The reminders an open follow-up should have, whatever has been sent already."""
    if follow_up.status != FollowUp.State.OPEN:
        return []
    if timezones is None:
        timezones = user_timezones([follow_up.assignee_id, follow_up.assigned_by_id])
    utc = ZoneInfo("UTC")
    assignee_zone = timezones.get(follow_up.assignee_id, utc)
    hour = settings.REMINDER_HOUR_LOCAL
    due_on = follow_up.due_on
    plan: list[PlannedReminder] = []

    def add(recipient_id: int, kind: str, day: date, zone: ZoneInfo) -> None:
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
        for planned in reminders_plan_for(follow_up, timezones=timezones):
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
        for key, row in rows.items():
            if row.state != Reminder.State.PENDING:
                continue
            closed = follow_up.status != FollowUp.State.OPEN
            # A "new task for you" notice is for whoever holds the task now: after a
            # reassignment, the previous assignee's unsent one is withdrawn.
            former_assignee = (
                row.kind == Reminder.Kind.REASSIGNED and row.recipient_id != follow_up.assignee_id
            )
            if closed or former_assignee or (row.kind in PLANNED_KINDS and key not in planned_keys):
                to_cancel.append(row.pk)

    if to_create:
        Reminder.objects.bulk_create(to_create, ignore_conflicts=True)
    if to_change:
        Reminder.objects.bulk_update(to_change, ["due_at", "state", "attempts"])
    if to_cancel:
        Reminder.objects.filter(pk__in=to_cancel, state=Reminder.State.PENDING).update(
            state=Reminder.State.CANCELLED
        )


def reminders_sync_for(*, follow_up: FollowUp, now: datetime | None = None) -> None:
    reminders_sync_for_many(follow_ups=[follow_up], now=now)


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


# --- Dispatch -------------------------------------------------------------------------


def reminders_reap_stale(*, now: datetime) -> int:
    """Rows claimed but never sent (the worker died or hung, the message was lost) go back
    to pending after a visibility timeout. A live sender renews its claim as its batch
    progresses (Lease), so only the rows of a sender that stopped come back; and every
    update a sender makes requires its own claim token, so a sender that comes back to
    life after its rows were handed to another cannot send or mark them."""
    stale_before = now - timedelta(minutes=settings.REMINDER_QUEUED_TIMEOUT_MINUTES)
    return Reminder.objects.filter(
        state__in=(Reminder.State.QUEUED, Reminder.State.SENDING), queued_at__lt=stale_before
    ).update(state=Reminder.State.PENDING, queued_at=None)


def reminders_dispatch_due(*, now: datetime | None = None, batch: int | None = None) -> int:
    """Claim due rows in batches and enqueue one sending task per batch; returns how many
    were claimed. Safe to run in several processes at once."""
    from casework.tasks import reminders_send_task

    now = now or timezone.now()
    batch = batch or settings.REMINDER_DISPATCH_BATCH
    reminders_reap_stale(now=now)
    skip_locked = connection.features.has_select_for_update_skip_locked
    claimed_total = 0
    while True:
        with transaction.atomic():
            # Oldest first, along the (state, due_at) index, so a batch stops after `batch`
            # rows instead of sorting every pending row.
            due = Reminder.objects.filter(state=Reminder.State.PENDING, due_at__lte=now).order_by(
                "due_at"
            )
            if skip_locked:
                due = due.select_for_update(skip_locked=True)
            if connection.vendor == "postgresql":
                # Right after many rows fall due (a bulk import, a backlog), the statistics
                # still say few are pending, and the planner sorts every pending row to
                # return `batch` of them: 60 ms a batch at 100,000 pending instead of
                # 0.5 ms along the index. For this transaction only.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL enable_sort TO off")
            # On SQLite the transaction is IMMEDIATE: it holds the write lock from its
            # first statement, so two dispatchers take turns and the conditional UPDATE
            # below never finds a row the other already claimed.
            ids = list(due.values_list("pk", flat=True)[:batch])
            if not ids:
                break
            claimed = Reminder.objects.filter(pk__in=ids, state=Reminder.State.PENDING).update(
                state=Reminder.State.QUEUED, queued_at=now
            )
            reminders_send_task.delay_on_commit(reminder_ids=ids)
        claimed_total += claimed
        if len(ids) < batch:
            break
    return claimed_total


# --- Claims ---------------------------------------------------------------------------


def lease_renew_seconds() -> float:
    """How often a sender renews its claim: well inside the visibility timeout, so a
    sender that is alive is never reaped."""
    return min(60.0, settings.REMINDER_QUEUED_TIMEOUT_MINUTES * 60 / 4)


def email_timeout_seconds() -> float:
    """No single SMTP exchange may outlast a claim: a server that stops answering fails
    that email (it is retried later) instead of holding the batch until it is reaped."""
    return getattr(settings, "EMAIL_TIMEOUT", None) or 30.0


@dataclass
class Lease:
    """A sender's hold on the rows it claimed.

    `token` is the `queued_at` the sender wrote when it claimed them (and rewrote at each
    renewal). Every update the sender makes to its rows requires state SENDING *and* its
    token, so once the reaper has handed a row to another sender (which writes its own
    token), this sender can neither send it nor mark it sent, failed or cancelled.
    `ids` are the rows still held and not yet finished."""

    ids: set[int]
    token: datetime
    started_at: datetime
    _monotonic_start: float = field(default_factory=monotonic)
    _wall_start: datetime = field(default_factory=timezone.now)
    _renewed_after: float = 0.0

    def elapsed(self) -> float:
        # Either clock saying time has passed is reason enough to renew: the monotonic
        # one never jumps back, the wall clock is the one the reaper compares with.
        return max(
            monotonic() - self._monotonic_start,
            (timezone.now() - self._wall_start).total_seconds(),
        )

    def mine(self, ids: Iterable[int]):
        """The rows among `ids` this sender still holds, for a conditional update."""
        return Reminder.objects.filter(
            pk__in=list(ids), state=Reminder.State.SENDING, queued_at=self.token
        )

    def release(self, ids: Iterable[int]) -> None:
        self.ids.difference_update(ids)

    def held(self) -> set[int]:
        """The rows still held, after renewing the claim if a renewal is due: two short
        queries a minute at most, whatever the batch size."""
        elapsed = self.elapsed()
        if not self.ids or elapsed - self._renewed_after < lease_renew_seconds():
            return self.ids
        token = max(self.started_at + timedelta(seconds=elapsed), self.token + timedelta(0, 0, 1))
        self.mine(self.ids).update(queued_at=token)
        self.token = token
        still = set(self.mine(self.ids).values_list("pk", flat=True))
        if len(still) < len(self.ids):
            logger.warning(
                "%s reminder(s) of this batch were reaped and handed to another sender; "
                "this sender leaves them alone.",
                len(self.ids) - len(still),
            )
        self.ids = still
        self._renewed_after = elapsed
        return self.ids


def reminders_claim(*, reminder_ids: list[int], now: datetime) -> Lease | None:
    """Take the rows of a batch that are still to send, for this sender alone: a copy of
    the message, or a re-dispatched batch, finds them claimed or sent and does nothing."""
    with transaction.atomic():
        candidates = Reminder.objects.filter(pk__in=reminder_ids).filter(
            Q(state=Reminder.State.QUEUED) | Q(state=Reminder.State.PENDING, due_at__lte=now)
        )
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        claimed = list(candidates.values_list("pk", flat=True))
        if claimed:
            Reminder.objects.filter(pk__in=claimed).update(
                state=Reminder.State.SENDING, queued_at=now
            )
    if not claimed:
        return None
    return Lease(ids=set(claimed), token=now, started_at=now)


# --- Sending --------------------------------------------------------------------------

# Reminders meant for whoever holds the task now; the escalation goes to the coordinator.
ASSIGNEE_KINDS = (
    Reminder.Kind.BEFORE_DUE,
    Reminder.Kind.DUE,
    Reminder.Kind.OVERDUE,
    Reminder.Kind.REASSIGNED,
)


@dataclass
class Message:
    """What a reminder says: in full in the app (`title`, `body`, `url`), and by email
    only a neutral line and a link (`email_subject`, `email_url`). Emails pass through
    mail providers the NGO does not control, so they never carry a task title (staff
    write names into titles), a note, a person or a case reference."""

    title: str
    body: str
    url: str
    case_id: int | None
    email_subject: str
    email_url: str


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A claimed reminder as the sender needs it: plain values, not a model instance, since
    building hundreds of joined model instances per batch was most of the sender's time."""

    pk: int
    kind: str
    recipient_id: int
    follow_up_id: int | None
    due_at: datetime


def day_text(day: date) -> str:
    return f"{day.day} {day:%b %Y}"  # 30 Nov 2026


def task_anchor(*, follow_up: FollowUp, kind: str, url: str) -> str:
    """The task's row on the Tasks page: in "My tasks" for the assignee, in "Who is late"
    for the coordinator told of a late task."""
    section = "late-task" if kind == Reminder.Kind.ESCALATION else "task"
    return f"{url}#{section}-{follow_up.pk}"


def reminder_message(
    *,
    kind: str,
    follow_up: FollowUp | None,
    recipient,
    due_at: datetime,
    digest_tasks: list[FollowUp],
    url: str,
) -> Message | None:
    """What a reminder says; None when there is nothing left to say."""
    if kind == Reminder.Kind.DIGEST:
        if not digest_tasks:
            return None
        today = timezone.localdate(due_at, zone_named(recipient_timezone(recipient)))
        overdue = [task for task in digest_tasks if task.due_on < today]
        lines = [
            f"- {task.title}{f' ({task.case.reference})' if task.case_id else ''}, "
            f"due {day_text(task.due_on)}" + (" — overdue" if task.due_on < today else "")
            for task in digest_tasks
        ]
        summary = f"{len(digest_tasks)} open tasks, {len(overdue)} overdue"
        return Message(
            title=f"Your week: {summary}",
            body="\n".join(lines),
            url=url,
            case_id=None,
            email_subject=f"Your weekly summary: {summary}",
            email_url=url,
        )
    # The app's own way of writing a date (1 Dec 2026), as on every page.
    due = day_text(follow_up.due_on)
    titles = {
        Reminder.Kind.BEFORE_DUE: f"Due on {due}: {follow_up.title}",
        Reminder.Kind.DUE: f"Due today: {follow_up.title}",
        Reminder.Kind.OVERDUE: f"Overdue since {due}: {follow_up.title}",
        Reminder.Kind.ESCALATION: f"Late: {follow_up.assignee} has not done “{follow_up.title}”",
        Reminder.Kind.REASSIGNED: f"New task for you: {follow_up.title}",
    }
    on = due
    subjects = {
        Reminder.Kind.BEFORE_DUE: f"You have a task due on {on}",
        Reminder.Kind.DUE: f"You have a task due today, {on}",
        Reminder.Kind.OVERDUE: f"You have an overdue task, due on {on}",
        Reminder.Kind.ESCALATION: f"A task you assigned is overdue, due on {on}",
        Reminder.Kind.REASSIGNED: f"You have a new task, due on {on}",
    }
    case_line = f"Case: {follow_up.case.reference}\n" if follow_up.case_id else ""
    body = (
        f"Task: {follow_up.title}\n{case_line}Due: {due}\n"
        f"Priority: {follow_up.get_priority_display()}\n"
    )
    if follow_up.note:
        body += f"\n{follow_up.note}\n"
    anchor = task_anchor(follow_up=follow_up, kind=kind, url=url)
    return Message(
        title=titles[kind],
        body=body,
        url=anchor,
        case_id=follow_up.case_id,
        email_subject=subjects[kind],
        email_url=anchor,
    )


def email_text(*, message: Message, site_url: str) -> str:
    return (
        f"{message.email_subject}.\n\n"
        f"Open it in Advocase (you will be asked to sign in):\n{site_url}{message.email_url}\n\n"
        "This email leaves out the task, the person and the case on purpose; "
        "the details are in the app.\n"
    )


def recipient_timezone(recipient) -> str:
    membership = getattr(recipient, "membership", None)
    return membership.timezone if membership is not None else "UTC"


def wants_email(recipient) -> bool:
    membership = getattr(recipient, "membership", None)
    wants = membership.email_notifications if membership is not None else True
    return wants and bool(recipient.email)


def withdrawal_reason(
    *, reminder: Outgoing, follow_up: FollowUp | None, visible: set[tuple[int, int]], recipient
) -> str | None:
    """Why a claimed reminder about a task must not go out any more, if it must not."""
    if follow_up is None:
        return None
    if follow_up.status != FollowUp.State.OPEN:
        return "The task is no longer open."
    if reminder.kind in ASSIGNEE_KINDS and reminder.recipient_id != follow_up.assignee_id:
        return "The task was reassigned."
    if follow_up.case_id is None:
        if not still_in_organisation(recipient=recipient, of=follow_up.assigned_by):
            return "The recipient is no longer a member of the task's organisation."
        return None
    if (reminder.recipient_id, follow_up.case_id) not in visible:
        # The case became restricted, changed organisation, or the recipient left.
        return "The recipient can no longer see this case."
    return None


def still_in_organisation(*, recipient, of) -> bool:
    """Whether `recipient` is still an active member of the organisation `of` belongs to:
    what a reminder of a task about no case checks instead of the case's visibility."""
    membership = user_membership(recipient)
    other = getattr(of, "membership", None)
    return (
        membership is not None
        and other is not None
        and (membership.organisation_id == other.organisation_id)
    )


def reminders_send(*, reminder_ids: list[int], now: datetime | None = None) -> int:
    """Deliver these reminders, each at most once, and return how many this call sent.

    The in-app notification is unique per reminder (OneToOne), so creating it twice is a
    no-op. Each email is followed at once by the one-row update that marks it sent, so a
    sender killed in between (the only moment that could repeat an email) is a window of
    one statement, and rows it claimed but never reached go back to pending after the
    visibility timeout (reminders_reap_stale). The sender renews its claim as it goes and
    checks it still holds a row before emailing it (Lease), so a slow batch is neither
    reaped under it nor sent a second time by it.

    A reminder whose task is closed or reassigned, or whose case its recipient may no
    longer see, is cancelled with the reason in `last_error`; a digest lists only the
    tasks on cases its recipient may see.

    Everything else is done once per batch: a query each for the rows, their recipients,
    their follow-ups and who may see which case, one message per (kind, follow-up)
    rather than per row, one insert for the notifications, one mail connection."""
    now = now or timezone.now()
    lease = reminders_claim(reminder_ids=reminder_ids, now=now)
    if lease is None:
        return 0
    outgoing = [
        Outgoing(*row)
        for row in Reminder.objects.filter(pk__in=lease.ids)
        .order_by("pk")
        .values_list("pk", "kind", "recipient_id", "follow_up_id", "due_at")
    ]
    recipients = (
        get_user_model()
        .objects.select_related("membership__organisation")
        .in_bulk({reminder.recipient_id for reminder in outgoing})
    )
    follow_ups = FollowUp.objects.select_related(
        "case", "assignee", "assigned_by__membership"
    ).in_bulk({reminder.follow_up_id for reminder in outgoing if reminder.follow_up_id is not None})
    digest_recipients = [r.recipient_id for r in outgoing if r.kind == Reminder.Kind.DIGEST]
    open_tasks: dict[int, list[FollowUp]] = defaultdict(list)
    if digest_recipients:
        for task in FollowUp.objects.filter(
            assignee_id__in=digest_recipients, status=FollowUp.State.OPEN
        ).select_related("case"):
            open_tasks[task.assignee_id].append(task)
    asked: dict[int, set[int]] = defaultdict(set)
    for reminder in outgoing:
        case_id = follow_ups[reminder.follow_up_id].case_id if reminder.follow_up_id else None
        if case_id is not None:
            asked[reminder.recipient_id].add(case_id)
    for user_id, tasks in open_tasks.items():
        asked[user_id].update(task.case_id for task in tasks if task.case_id is not None)
    visible = case_pairs_visible(users=recipients, case_ids_by_user=asked)

    messages: dict[int, Message] = {}
    withdrawn: dict[str, list[int]] = defaultdict(list)
    # Reminders of one kind about one follow-up say the same thing, whoever gets them.
    shared: dict[tuple[str, int], Message | None] = {}
    tasks_url = reverse("followup_list")
    for reminder in outgoing:
        follow_up = follow_ups.get(reminder.follow_up_id)
        reason = withdrawal_reason(
            reminder=reminder,
            follow_up=follow_up,
            visible=visible,
            recipient=recipients[reminder.recipient_id],
        )
        if reason is not None:
            withdrawn[reason].append(reminder.pk)
            continue
        key = (reminder.kind, reminder.follow_up_id)
        if reminder.kind != Reminder.Kind.DIGEST and key in shared:
            message = shared[key]
        else:
            message = reminder_message(
                kind=reminder.kind,
                follow_up=follow_up,
                recipient=recipients[reminder.recipient_id],
                due_at=reminder.due_at,
                digest_tasks=[
                    task
                    for task in open_tasks.get(reminder.recipient_id, [])
                    if task.case_id is None or (reminder.recipient_id, task.case_id) in visible
                ],
                url=tasks_url,
            )
            if reminder.kind != Reminder.Kind.DIGEST:
                shared[key] = message
        if message is None:
            withdrawn["No open task to list."].append(reminder.pk)
        else:
            messages[reminder.pk] = message
    for reason, ids in withdrawn.items():
        lease.mine(ids).update(state=Reminder.State.CANCELLED, last_error=reason, queued_at=None)
        lease.release(ids)

    sendable = [reminder for reminder in outgoing if reminder.pk in messages]
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=reminder.recipient_id,
                title=messages[reminder.pk].title[:200],
                body=messages[reminder.pk].body,
                url=messages[reminder.pk].url,
                case_id=messages[reminder.pk].case_id,
                reminder_id=reminder.pk,
            )
            for reminder in sendable
        ],
        ignore_conflicts=True,
    )
    by_email = [r for r in sendable if wants_email(recipients[r.recipient_id])]
    emailed = {reminder.pk for reminder in by_email}
    in_app_only = [reminder.pk for reminder in sendable if reminder.pk not in emailed]
    sent = 0
    if in_app_only:
        sent += lease.mine(in_app_only).update(
            state=Reminder.State.SENT, sent_at=now, last_error="", attempts=F("attempts") + 1
        )
        lease.release(in_app_only)
    if not by_email:
        return sent
    addresses = {reminder.pk: recipients[reminder.recipient_id].email for reminder in by_email}
    return sent + emails_send(
        reminders=by_email, messages=messages, addresses=addresses, now=now, lease=lease
    )


def emails_send(
    *,
    reminders: list[Outgoing],
    messages: dict[int, Message],
    addresses: dict[int, str],
    now: datetime,
    lease: Lease,
) -> int:
    """Send each reminder's email and mark its row sent right after, one row at a time,
    over one mail connection; a row this sender no longer holds is skipped."""
    sent = 0
    failures: dict[int, Exception] = {}
    site_url = settings.SITE_URL
    mail = get_connection(fail_silently=False, timeout=email_timeout_seconds())
    mark_sent = mark_sent_statement()
    relaxed = connection.vendor == "postgresql"
    adapt = connection.ops.adapt_datetimefield_value
    sent_at = adapt(now)
    with connection.cursor() as django_cursor:
        # On PostgreSQL, psycopg's own cursor with server-side binding, so the one statement
        # run per email is parsed and planned once per connection instead of every time.
        cursor = psycopg_cursor(django_cursor) if relaxed else django_cursor
        if relaxed:
            # Each email is followed by its own one-row commit, to keep the window in
            # which a crash could repeat an email to one statement; waiting for the disk
            # on each of those commits would cap sending at a few hundred a second.
            # Without the wait, only a crash of the database server itself may forget the
            # last fraction of a second of "sent" marks: those reminders would be sent
            # again (a rare duplicate), never lost.
            cursor.execute("SET synchronous_commit TO off")
        try:
            for reminder in reminders:
                if reminder.pk not in lease.held():
                    continue
                message = messages[reminder.pk]
                email = EmailMessage(
                    subject=f"[Advocase] {message.email_subject}",
                    body=email_text(message=message, site_url=site_url),
                    to=[addresses[reminder.pk]],
                    # The same reminder always carries the same Message-ID, so a mail
                    # system can recognise a copy should one ever be sent twice.
                    headers={"Message-ID": f"<reminder-{reminder.pk}@advocase>"},
                )
                try:
                    # The backend opens its connection on the first message and keeps it
                    # for the batch, instead of one connection (one SMTP handshake) each.
                    mail.open()
                    mail.send_messages([email])
                except Exception as error:
                    logger.warning("Reminder %s could not be sent: %s", reminder.pk, error)
                    failures[reminder.pk] = error
                    mail.close()  # a broken connection is reopened for the next email
                    continue
                parameters = [
                    Reminder.State.SENT,
                    sent_at,
                    reminder.pk,
                    Reminder.State.SENDING,
                    adapt(lease.token),
                ]
                if relaxed:
                    cursor.execute(mark_sent, parameters, prepare=True)
                else:
                    cursor.execute(mark_sent, parameters)
                if cursor.rowcount:
                    sent += 1
                    lease.ids.discard(reminder.pk)
        finally:
            mail.close()
            if relaxed:
                cursor.execute("RESET synchronous_commit")
                cursor.close()
    if failures:
        reminders_record_failures(failures=failures, lease=lease, now=now)
    return sent


def psycopg_cursor(django_cursor):
    import psycopg

    return psycopg.Cursor(django_cursor.connection)


def mark_sent_statement() -> str:
    # Only quoted identifiers from the model are interpolated; every value is a parameter.
    quote = connection.ops.quote_name
    return (
        f"UPDATE {quote(Reminder._meta.db_table)} SET {quote('state')} = %s, "  # noqa: S608
        f"{quote('sent_at')} = %s, {quote('last_error')} = '', "
        f"{quote('attempts')} = {quote('attempts')} + 1 "
        f"WHERE {quote('id')} = %s AND {quote('state')} = %s AND {quote('queued_at')} = %s"
    )


# --- Failures -------------------------------------------------------------------------


def retry_delay(attempts: int) -> timedelta:
    """Capped exponential backoff: 2, 4, 8 … minutes after the n-th failed attempt."""
    return timedelta(minutes=min(2**attempts, settings.REMINDER_RETRY_BACKOFF_CAP_MINUTES))


def per_row(values: dict[int, str]):
    """One SQL value for every row, or a CASE on the primary key when rows differ."""
    distinct = set(values.values())
    if len(distinct) == 1:
        return Value(distinct.pop())
    by_value: dict[str, list[int]] = defaultdict(list)
    for pk, value in values.items():
        by_value[value].append(pk)
    return Case(
        *[When(pk__in=pks, then=Value(value)) for value, pks in by_value.items()],
        output_field=TextField(),
    )


def reminders_record_failures(
    *, failures: dict[int, Exception], lease: Lease, now: datetime
) -> None:
    """Retry later through the database (capped exponential backoff), never with a long
    countdown on the broker; after the last attempt, fail and tell the coordinator.

    A fixed number of queries for the batch, however many failed: one read, one update
    per new state, one read of coordinators for digests and one insert of alerts."""
    held = lease.held()
    rows = list(
        lease.mine(pk for pk in failures if pk in held).values(
            "pk",
            "kind",
            "attempts",
            "recipient__username",
            "recipient__membership__organisation_id",
            "follow_up_id",
            "follow_up__assigned_by_id",
            "follow_up__case_id",
        )
    )
    if not rows:
        return
    texts = {
        row["pk"]: f"{type(failures[row['pk']]).__name__}: {failures[row['pk']]}"[:2000]
        for row in rows
    }
    last = settings.REMINDER_MAX_ATTEMPTS
    failed = [row for row in rows if row["attempts"] + 1 >= last]
    retried = [row for row in rows if row["attempts"] + 1 < last]
    if retried:
        ids = [row["pk"] for row in retried]
        lease.mine(ids).update(
            state=Reminder.State.PENDING,
            attempts=F("attempts") + 1,
            last_error=per_row({pk: texts[pk] for pk in ids}),
            queued_at=None,
            due_at=Case(
                *[
                    When(attempts=attempts, then=Value(now + retry_delay(attempts + 1)))
                    for attempts in sorted({row["attempts"] for row in retried})
                ],
                output_field=DateTimeField(),
            ),
        )
    if failed:
        ids = [row["pk"] for row in failed]
        lease.mine(ids).update(
            state=Reminder.State.FAILED,
            attempts=F("attempts") + 1,
            last_error=per_row({pk: texts[pk] for pk in ids}),
            queued_at=None,
        )
        reminders_failure_notify(rows=failed, texts=texts)
    lease.release(row["pk"] for row in rows)


def reminders_failure_notify(*, rows: list[dict], texts: dict[int, str]) -> None:
    """The coordinator who assigned the task hears of a reminder that could not be sent;
    for a digest (no task), the coordinators of the recipient's organisation do. These
    are in-app alerts, so they may name the recipient and the error."""
    digest_organisations = {
        row["recipient__membership__organisation_id"] for row in rows if row["follow_up_id"] is None
    }
    coordinators: dict[int, list[int]] = defaultdict(list)
    if digest_organisations:
        for organisation_id, user_id in Membership.objects.filter(
            organisation_id__in=digest_organisations,
            role__in=(Role.COORDINATOR, Role.ADMIN),
            user__is_active=True,
        ).values_list("organisation_id", "user_id"):
            coordinators[organisation_id].append(user_id)
    url = reverse("reminder_failures")
    alerts = []
    for row in rows:
        if row["follow_up_id"] is not None:
            told = [row["follow_up__assigned_by_id"]]
        else:
            told = coordinators.get(row["recipient__membership__organisation_id"], [])
        kind = Reminder.Kind(row["kind"]).label
        alerts.extend(
            Notification(
                user_id=user_id,
                title=f"A reminder to {row['recipient__username']} could not be sent"[:200],
                body=f"{kind} — {texts[row['pk']]}",
                url=url,
                case_id=row["follow_up__case_id"],
            )
            for user_id in told
        )
    Notification.objects.bulk_create(alerts)


def reminders_retry(*, reminder_ids: Iterable[int], now: datetime | None = None) -> int:
    """Put failed reminders back in the queue (admin action, failures page)."""
    return Reminder.objects.filter(pk__in=list(reminder_ids), state=Reminder.State.FAILED).update(
        state=Reminder.State.PENDING,
        attempts=0,
        due_at=now or timezone.now(),
        queued_at=None,
    )
