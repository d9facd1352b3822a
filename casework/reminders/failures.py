"""Failed sends: retries with backoff, failed marks, telling coordinators, sending again."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Case, DateTimeField, F, TextField, Value, When
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from casework.models import Membership, Notification, Reminder, Role
from casework.reminders.lease import Lease


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
            "follow_up__assigned_by__membership__language",
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
    are in-app alerts, so they may name the recipient and the error; each is written in
    its reader's language, as reminders are."""
    digest_organisations = {
        row["recipient__membership__organisation_id"] for row in rows if row["follow_up_id"] is None
    }
    coordinators: dict[int, list[tuple[int, str]]] = defaultdict(list)
    if digest_organisations:
        for organisation_id, user_id, language in Membership.objects.filter(
            organisation_id__in=digest_organisations,
            role__in=(Role.COORDINATOR, Role.ADMIN),
            user__is_active=True,
        ).values_list("organisation_id", "user_id", "language"):
            coordinators[organisation_id].append((user_id, language))
    url = reverse("reminder_failures")
    alerts = []
    for row in rows:
        if row["follow_up_id"] is not None:
            told = [
                (
                    row["follow_up__assigned_by_id"],
                    row["follow_up__assigned_by__membership__language"],
                )
            ]
        else:
            told = coordinators.get(row["recipient__membership__organisation_id"], [])
        for user_id, language in told:
            with translation.override(language or settings.LANGUAGE_CODE):
                title = gettext("A reminder to %(username)s could not be sent") % {
                    "username": row["recipient__username"]
                }
                kind = str(Reminder.Kind(row["kind"]).label)
            alerts.append(
                Notification(
                    user_id=user_id,
                    title=title[:200],
                    body=f"{kind} — {texts[row['pk']]}",
                    url=url,
                    case_id=row["follow_up__case_id"],
                )
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
