"""Sending a claimed batch: the in-app notifications, then the emails, marked sent in small
groups right after the mail server accepted them (the README's duplicate window)."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db import connection
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation

from casework.models import FollowUp, Notification, Reminder
from casework.reminders.failures import reminders_record_failures
from casework.reminders.lease import Lease, Outgoing, ids_condition, quote, reminders_claim
from casework.reminders.messages import (
    EmailTemplate,
    Message,
    ReminderEmail,
    recipient_language,
    reminder_message,
    wants_email,
)
from casework.visibility import follow_ups_of_their_organisation, user_membership
from casework.visibility_pairs import case_pairs_visible

logger = logging.getLogger(__name__)

# Emails accepted by the mail server are marked sent this many at a time, in one statement:
# a worker killed before a group's mark sends that group again (the README's window).
EMAILS_PER_MARK = 10

# Reminders meant for whoever holds the task now; the escalation goes to the coordinator.
ASSIGNEE_KINDS = (
    Reminder.Kind.BEFORE_DUE,
    Reminder.Kind.DUE,
    Reminder.Kind.OVERDUE,
    Reminder.Kind.REASSIGNED,
)


def email_timeout_seconds() -> float:
    """No single SMTP exchange may outlast a claim: a server that stops answering fails
    that email (it is retried later) instead of holding the batch until it is reaped."""
    return getattr(settings, "EMAIL_TIMEOUT", None) or 30.0


def withdrawal_reason(
    *,
    reminder: Outgoing,
    follow_up: FollowUp | None,
    visible: set[tuple[int, int]],
    recipient: Any,
) -> str | None:
    """Why a claimed reminder about a task must not go out any more, if it must not."""
    if follow_up is None:
        return None
    if follow_up.status != FollowUp.State.OPEN:
        return "The task is no longer open."
    if reminder.kind in ASSIGNEE_KINDS and reminder.recipient_id != follow_up.assignee_id:
        return "The task was reassigned."
    if follow_up.left_organisation_id is not None and not member_of(
        recipient=recipient, organisation_id=follow_up.left_organisation_id
    ):
        return "The recipient is no longer a member of the task's organisation."
    if follow_up.case_id is None:
        if not still_in_organisation(recipient=recipient, of=follow_up.assigned_by):
            return "The recipient is no longer a member of the task's organisation."
        return None
    if (reminder.recipient_id, follow_up.case_id) not in visible:
        # The case became restricted, changed organisation, or the recipient left.
        return "The recipient can no longer see this case."
    return None


def still_in_organisation(*, recipient: Any, of: Any) -> bool:
    """Whether `recipient` is still an active member of the organisation `of` belongs to:
    what a reminder of a task about no case checks instead of the case's visibility."""
    membership = user_membership(recipient)
    other = getattr(of, "membership", None)
    return (
        membership is not None
        and other is not None
        and (membership.organisation_id == other.organisation_id)
    )


def member_of(*, recipient: Any, organisation_id: int) -> bool:
    membership = user_membership(recipient)
    return membership is not None and membership.organisation_id == organisation_id


FOLLOW_UP_FIELDS = (
    "title",
    "note",
    "due_on",
    "priority",
    "status",
    "case__reference",
    "assignee__username",
    "assigned_by__membership__organisation_id",
    "left_organisation_id",
)


@dataclass
class Batch:
    """A claimed batch as the sender needs it, loaded in a fixed number of queries."""

    outgoing: list[Outgoing]
    recipients: dict[int, Any]
    follow_ups: dict[int, FollowUp]
    # The open tasks each digest recipient holds, and which (user, case) pairs are visible.
    open_tasks: dict[int, list[FollowUp]]
    visible: set[tuple[int, int]]


def batch_load(*, outgoing: list[Outgoing]) -> Batch:
    """A query each for the recipients of the claimed rows, their follow-ups, the digests'
    open tasks and who may see which case."""
    recipients = (
        get_user_model()
        .objects.select_related("membership__organisation")
        .in_bulk({reminder.recipient_id for reminder in outgoing})
    )
    follow_ups = (
        FollowUp.objects.select_related("case", "assignee", "assigned_by__membership")
        # What the messages and the withdrawal rules read, and nothing else: compiling and
        # reading every column of four joined tables was most of a batch's fixed cost.
        .only(*FOLLOW_UP_FIELDS)
        .in_bulk({r.follow_up_id for r in outgoing if r.follow_up_id is not None})
    )
    digest_recipients = [r.recipient_id for r in outgoing if r.kind == Reminder.Kind.DIGEST]
    open_tasks: dict[int, list[FollowUp]] = defaultdict(list)
    if digest_recipients:
        for task in (
            FollowUp.objects.filter(assignee_id__in=digest_recipients, status=FollowUp.State.OPEN)
            .filter(follow_ups_of_their_organisation())
            .select_related("case")
        ):
            open_tasks[task.assignee_id].append(task)
    asked: dict[int, set[int]] = defaultdict(set)
    for reminder in outgoing:
        case_id = follow_ups[reminder.follow_up_id].case_id if reminder.follow_up_id else None
        if case_id is not None:
            asked[reminder.recipient_id].add(case_id)
    for user_id, tasks in open_tasks.items():
        asked[user_id].update(task.case_id for task in tasks if task.case_id is not None)
    visible = case_pairs_visible(users=recipients, case_ids_by_user=asked)
    return Batch(outgoing, recipients, follow_ups, open_tasks, visible)


def batch_messages(*, batch: Batch) -> tuple[dict[int, Message], dict[str, list[int]]]:
    """What each reminder of the batch says, and the reminders withdrawn, by reason."""
    messages: dict[int, Message] = {}
    withdrawn: dict[str, list[int]] = defaultdict(list)
    # Reminders of one kind about one follow-up say the same thing, whoever gets them.
    shared: dict[tuple[str, int, str], Message | None] = {}
    # The rules and the language read only the kind, the task and the recipient, which
    # many rows of a batch share: each answer once, not once per row (model attribute
    # reads were most of this loop's cost).
    reasons: dict[tuple[bool, int | None, int], str | None] = {}
    languages: dict[int, str] = {}
    tasks_url = reverse("followup_list")
    for reminder in batch.outgoing:
        follow_up = batch.follow_ups.get(reminder.follow_up_id)
        recipient = batch.recipients[reminder.recipient_id]
        asked = (reminder.kind in ASSIGNEE_KINDS, reminder.follow_up_id, reminder.recipient_id)
        if asked not in reasons:
            reasons[asked] = withdrawal_reason(
                reminder=reminder, follow_up=follow_up, visible=batch.visible, recipient=recipient
            )
        reason = reasons[asked]
        if reason is not None:
            withdrawn[reason].append(reminder.pk)
            continue
        if reminder.recipient_id not in languages:
            languages[reminder.recipient_id] = recipient_language(recipient)
        language = languages[reminder.recipient_id]
        key = (reminder.kind, reminder.follow_up_id, language)
        if reminder.kind != Reminder.Kind.DIGEST and key in shared:
            message = shared[key]
        else:
            with translation.override(language):
                message = reminder_message(
                    kind=reminder.kind,
                    follow_up=follow_up,
                    recipient=recipient,
                    due_at=reminder.due_at,
                    digest_tasks=[
                        task
                        for task in batch.open_tasks.get(reminder.recipient_id, [])
                        if task.case_id is None
                        or (reminder.recipient_id, task.case_id) in batch.visible
                    ],
                    url=tasks_url,
                )
            if message is not None:
                message.language = language
            if reminder.kind != Reminder.Kind.DIGEST:
                shared[key] = message
        if message is None:
            withdrawn["No open task to list."].append(reminder.pk)
        else:
            messages[reminder.pk] = message
    return messages, withdrawn


def reminders_send(*, reminder_ids: list[int], now: datetime | None = None) -> int:
    """Deliver these reminders, each at most once, and return how many this call sent.

    The in-app notification is unique per reminder (OneToOne), so creating it twice is a
    no-op. Emails are marked sent in groups of up to EMAILS_PER_MARK, one statement right
    after the mail server accepted the group's emails, so a sender killed in between (the
    only moment that could repeat an email) repeats at most that group; rows it claimed
    but never reached go back to pending after the visibility timeout
    (reminders_reap_stale). The sender renews its claim as it goes and checks it still
    holds a row before emailing it (Lease), so a slow batch is neither reaped under it nor
    sent a second time by it.

    A reminder whose task is closed or reassigned, or whose case its recipient may no
    longer see, is cancelled with the reason in `last_error`; a digest lists only the
    tasks on cases its recipient may see.

    Everything else is done once per batch: one statement claims and reads the rows, a
    query each loads their recipients, their follow-ups and who may see which case, one
    message per (kind, follow-up) rather than per row, one insert for the notifications,
    one mail connection."""
    now = now or timezone.now()
    claimed = reminders_claim(reminder_ids=reminder_ids, now=now)
    if claimed is None:
        return 0
    lease, outgoing = claimed
    batch = batch_load(outgoing=outgoing)
    messages, withdrawn = batch_messages(batch=batch)
    for reason, ids in withdrawn.items():
        lease.mine(ids).update(state=Reminder.State.CANCELLED, last_error=reason, queued_at=None)
        lease.release(ids)

    sendable = [reminder for reminder in batch.outgoing if reminder.pk in messages]
    notifications_create(reminders=sendable, messages=messages, now=now)
    recipients = batch.recipients
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


def notifications_create(
    *, reminders: list[Outgoing], messages: dict[int, Message], now: datetime
) -> None:
    """One notification per reminder, in one statement; one that exists already (a batch
    sent again after its sender died) is left as it is."""
    if not reminders:
        return
    if connection.vendor != "postgresql":
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
                for reminder in reminders
            ],
            ignore_conflicts=True,
        )
        return
    # On PostgreSQL, a column of values each instead of a model instance per row: building
    # 500 instances and their parameters was most of this insert's cost. And each distinct
    # message once, which the rows point to by number: reminders of one kind about one task
    # share their Message, and sending its texts once per row was most of what was left.
    columns = ("user_id", "title", "body", "url", "case_id", "reminder_id", "created_at")
    statement = (
        f"INSERT INTO {quote(Notification._meta.db_table)} "  # noqa: S608
        f"({', '.join(quote(column) for column in columns)}) "
        "SELECT r.user_id, m.title, m.body, m.url, m.case_id, r.reminder_id, %s "
        "FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[]) "
        "WITH ORDINALITY AS r(user_id, reminder_id, message, position) "
        "JOIN unnest(%s::text[], %s::text[], %s::text[], %s::bigint[]) "
        "WITH ORDINALITY AS m(title, body, url, case_id, number) ON m.number = r.message "
        "ORDER BY r.position ON CONFLICT DO NOTHING"
    )
    distinct: dict[int, int] = {}
    chosen: list[Message] = []
    numbers = []
    for reminder in reminders:
        message = messages[reminder.pk]
        if id(message) not in distinct:
            chosen.append(message)
            distinct[id(message)] = len(chosen)
        numbers.append(distinct[id(message)])
    with connection.cursor() as cursor:
        cursor.execute(
            statement,
            [
                now,
                [reminder.recipient_id for reminder in reminders],
                [reminder.pk for reminder in reminders],
                numbers,
                [message.title[:200] for message in chosen],
                [message.body for message in chosen],
                [message.url for message in chosen],
                [message.case_id for message in chosen],
            ],
        )


def emails_send(
    *,
    reminders: list[Outgoing],
    messages: dict[int, Message],
    addresses: dict[int, str],
    now: datetime,
    lease: Lease,
) -> int:
    """Send each reminder's email over one mail connection, and mark the accepted ones
    sent in groups of up to EMAILS_PER_MARK, one statement a group; a row this sender no
    longer holds is skipped."""
    sent = 0
    failures: dict[int, Exception] = {}
    templates: dict[tuple[str, str, str], EmailTemplate] = {}
    accepted: list[int] = []
    mail = get_connection(fail_silently=False, timeout=email_timeout_seconds())
    with sent_marks(lease=lease, now=now) as mark:
        try:
            for reminder in reminders:
                # Checked (and the claim renewed when due) before every email, not every
                # group, so a slow mail server never outlasts the claim.
                if reminder.pk not in lease.held():
                    continue
                message = messages[reminder.pk]
                # One template per thing said, in its recipient's language.
                key = (message.email_subject, message.email_url, message.language)
                if key not in templates:
                    with translation.override(message.language or None):
                        templates[key] = EmailTemplate.build(
                            message=message, site_url=settings.SITE_URL
                        )
                email = ReminderEmail(
                    template=templates[key],
                    to=addresses[reminder.pk],
                    # The same reminder always carries the same Message-ID, so a mail
                    # system can recognise a copy should one ever be sent twice.
                    message_id=f"<reminder-{reminder.pk}@advocase>",
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
                accepted.append(reminder.pk)
                if len(accepted) >= EMAILS_PER_MARK:
                    sent += mark(accepted)
                    accepted = []
        finally:
            mail.close()
            # Also when sending stopped on an error: what the server accepted is marked.
            if accepted:
                sent += mark(accepted)
    if failures:
        reminders_record_failures(failures=failures, lease=lease, now=now)
    return sent


@contextmanager
def sent_marks(*, lease: Lease, now: datetime) -> Iterator[Callable[[list[int]], int]]:
    """A function that marks a group of accepted emails' rows sent in one statement (those
    this sender still holds) and returns how many it marked."""

    adapt = connection.ops.adapt_datetimefield_value
    relaxed = connection.vendor == "postgresql"
    with connection.cursor() as django_cursor:
        # On PostgreSQL, psycopg's own cursor with server-side binding, so the statement
        # run per group is parsed and planned once per connection instead of every time.
        cursor = psycopg_cursor(django_cursor) if relaxed else django_cursor
        if relaxed:
            # Each group is marked in its own commit, to keep the window in which a crash
            # could repeat an email to one group; waiting for the disk on each of those
            # commits would slow sending down for nothing the window needs. Without the
            # wait, only a crash of the database server itself may forget the last
            # fraction of a second of "sent" marks: those reminders would be sent again
            # (a rare duplicate), never lost.
            cursor.execute("SET synchronous_commit TO off")

        statements: dict[str, str] = {}

        def mark(ids: list[int]) -> int:
            among, among_parameters = ids_condition(ids)
            # Written once per batch (once per group size on SQLite), not once per group.
            if among not in statements:
                statements[among] = mark_sent_statement(among=among)
            statement = statements[among]
            parameters = [
                Reminder.State.SENT,
                adapt(now),
                *among_parameters,
                Reminder.State.SENDING,
                adapt(lease.token),
            ]
            if relaxed:
                cursor.execute(statement, parameters, prepare=True)
            else:
                cursor.execute(statement, parameters)
            lease.release(ids)
            return cursor.rowcount

        try:
            yield mark
        finally:
            if relaxed:
                cursor.execute("RESET synchronous_commit")
                cursor.close()


def psycopg_cursor(django_cursor):
    import psycopg

    return psycopg.Cursor(django_cursor.connection)


def mark_sent_statement(*, among: str) -> str:
    # Only quoted identifiers from the model are interpolated; every value is a parameter.
    return (
        f"UPDATE {quote(Reminder._meta.db_table)} SET {quote('state')} = %s, "  # noqa: S608
        f"{quote('sent_at')} = %s, {quote('last_error')} = '', "
        f"{quote('attempts')} = {quote('attempts')} + 1 "
        f"WHERE {among} AND {quote('state')} = %s AND {quote('queued_at')} = %s"
    )
