"""A sender's hold on the rows it claimed: the claim token, its renewals, and the requeue
of rows whose sender stopped.

A sender holds the rows it claimed with a claim token (the `queued_at` it wrote), renews it
as its batch progresses and requires it in every update it makes (Lease): rows of a sender
that died go back to pending after REMINDER_QUEUED_TIMEOUT_MINUTES, while a sender that is
merely slow keeps its rows, and one that comes back after losing them cannot touch them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from time import monotonic
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from casework.models import Reminder

logger = logging.getLogger(__name__)


def reminders_reap_stale(*, now: datetime) -> int:
    """Rows claimed but never sent (the worker died or hung, the message was lost) go back
    to pending after a visibility timeout. A live sender renews its claim as its batch
    progresses (Lease), so only the rows of a sender that stopped come back; and every
    update a sender makes requires its own claim token, so a sender that comes back to
    life after its rows were handed to another cannot send or mark them."""
    stale_before = now - timedelta(minutes=settings.REMINDER_QUEUED_TIMEOUT_MINUTES)
    # The states are written as literals, the partial index's very condition: SQLite uses
    # a partial index only for a condition it can match term by term, not a parameter list.
    in_flight = ", ".join(f"'{state}'" for state in (Reminder.State.QUEUED, Reminder.State.SENDING))
    adapt = connection.ops.adapt_datetimefield_value
    # Only quoted identifiers and the model's own state names are interpolated.
    statement = (
        f"UPDATE {quote(Reminder._meta.db_table)} "  # noqa: S608
        f"SET {quote('state')} = %s, {quote('queued_at')} = NULL "
        f"WHERE {quote('state')} IN ({in_flight}) AND {quote('queued_at')} < %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [Reminder.State.PENDING, adapt(stale_before)])
        return cursor.rowcount


def lease_renew_seconds() -> float:
    """How often a sender renews its claim: well inside the visibility timeout, so a
    sender that is alive is never reaped."""
    return min(60.0, settings.REMINDER_QUEUED_TIMEOUT_MINUTES * 60 / 4)


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


def ids_condition(ids: list[int]) -> tuple[str, list[Any]]:
    """`id` among `ids`, as SQL: one array parameter on PostgreSQL (one prepared statement
    whatever the number of ids), a list of placeholders elsewhere."""
    if connection.vendor == "postgresql":
        return f"{quote('id')} = ANY(%s)", [list(ids)]
    return f"{quote('id')} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def datetime_from_row(value: datetime | str) -> datetime:
    """A datetime RETURNING gave back: SQLite gives it naive (or as text), in UTC."""
    parsed = value if isinstance(value, datetime) else parse_datetime(value)
    assert parsed is not None, value
    return parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A claimed reminder as the sender needs it: plain values, not a model instance, since
    building hundreds of joined model instances per batch was most of the sender's time."""

    pk: int
    kind: str
    recipient_id: int
    follow_up_id: int | None
    due_at: datetime


def reminders_claim(
    *, reminder_ids: list[int], now: datetime
) -> tuple[Lease, list[Outgoing]] | None:
    """Take the rows of a batch that are still to send, for this sender alone, and read
    them, in one statement: a copy of the message, or a re-dispatched batch, finds them
    claimed or sent and does nothing. (On PostgreSQL a row another sender is claiming at
    the same moment is waited for, then seen as SENDING and left alone.)"""
    if not reminder_ids:
        return None
    among, among_parameters = ids_condition(reminder_ids)
    adapt = connection.ops.adapt_datetimefield_value
    # Only quoted identifiers from the model are interpolated; every value is a parameter.
    statement = (
        f"UPDATE {quote(Reminder._meta.db_table)} "  # noqa: S608
        f"SET {quote('state')} = %s, {quote('queued_at')} = %s "
        f"WHERE {among} AND ({quote('state')} = %s "
        f"OR ({quote('state')} = %s AND {quote('due_at')} <= %s)) "
        f"RETURNING {quote('id')}, {quote('kind')}, {quote('recipient_id')}, "
        f"{quote('follow_up_id')}, {quote('due_at')}"
    )
    parameters = [
        Reminder.State.SENDING,
        adapt(now),
        *among_parameters,
        Reminder.State.QUEUED,
        Reminder.State.PENDING,
        adapt(now),
    ]
    # One statement, committed on its own: no transaction around it to begin and end.
    with connection.cursor() as cursor:
        cursor.execute(statement, parameters)
        rows = cursor.fetchall()
    if not rows:
        return None
    outgoing = sorted(
        (
            Outgoing(pk, kind, recipient_id, follow_up_id, datetime_from_row(due_at))
            for pk, kind, recipient_id, follow_up_id, due_at in rows
        ),
        key=lambda reminder: reminder.pk,
    )
    lease = Lease(ids={reminder.pk for reminder in outgoing}, token=now, started_at=now)
    return lease, outgoing
