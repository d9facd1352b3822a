"""Helpers of the reminder tests: moments in UTC, timezones, pending rows, a dispatched batch
and how many emails each reminder got."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import time_machine
from django.core import mail
from django.db import connection

from casework.followups import follow_up_create
from casework.models import Membership, Reminder
from casework.reminders import reminders_dispatch_due

MESSAGE_ID = re.compile(r"^Message-ID: <reminder-(\d+)@advocase>$", re.MULTILINE)


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def set_timezone(user, name: str) -> None:
    Membership.objects.filter(user=user).update(timezone=name)
    user.membership.refresh_from_db()


def pending(follow_up) -> list[tuple[str, str, dt.datetime]]:
    rows = Reminder.objects.filter(follow_up=follow_up, state=Reminder.State.PENDING)
    return sorted(
        (row.kind, row.recipient.username, row.due_at) for row in rows.select_related("recipient")
    )


def overdue_batch(*, case, caseworker, coordinator, tasks: int = 2) -> list[int]:
    """Every reminder of a few tasks created on 1 October, dispatched on 31 December."""
    with time_machine.travel(utc(2026, 10, 1, 12), tick=False):
        for number in range(tasks):
            follow_up_create(
                case=case,
                title=f"Visit {number}",
                assignee=caseworker,
                by=coordinator,
                due_on=dt.date(2026, 11, 10 + number),
            )
    reminders_dispatch_due(now=utc(2026, 12, 31, 12))
    return list(Reminder.objects.filter(state="queued").order_by("pk").values_list("pk", flat=True))


def emails_per_reminder(folder: Path | None = None) -> Counter:
    """How many emails each reminder (by id) got: in django.core.mail.outbox, or in the
    files the file email backend wrote into `folder`."""
    if folder is None:
        headers = (message.extra_headers["Message-ID"] for message in mail.outbox)
        return Counter(int(re.fullmatch(r"<reminder-(\d+)@advocase>", h)[1]) for h in headers)
    found: Counter = Counter()
    for path in folder.glob("*.log"):
        found.update(int(number) for number in MESSAGE_ID.findall(path.read_text()))
    return found


def plan_of_the_update(*, queries) -> str:
    """SQLite's plan of the one UPDATE among the captured queries."""
    (statement,) = [query["sql"] for query in queries if query["sql"].startswith("UPDATE")]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {statement}")
        return " ".join(str(row) for row in cursor.fetchall())
