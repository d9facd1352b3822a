"""A sender's claim: rows it never sent go back, a slow sender keeps its rows by renewing,
and one whose rows were handed on cannot send them."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.followups import follow_up_create
from casework.models import Notification, Reminder
from casework.reminders import reminders_dispatch_due, reminders_reap_stale, reminders_send
from tests.support.reminders import emails_per_reminder, overdue_batch, plan_of_the_update, utc


def test_it_puts_back_queued_rows_that_were_never_sent(case, caseworker, coordinator):
    with time_machine.travel(utc(2026, 10, 1, 12), tick=False):
        follow_up_create(
            case=case,
            title="Visit",
            assignee=caseworker,
            by=coordinator,
            due_on=dt.date(2026, 10, 27),
        )
    moment = utc(2026, 10, 1, 12, 1)
    assert reminders_dispatch_due(now=moment) == 1
    assert reminders_dispatch_due(now=moment + dt.timedelta(minutes=5)) == 0
    assert reminders_dispatch_due(now=moment + dt.timedelta(minutes=11)) == 1


def test_it_never_sends_a_row_that_was_reaped_and_handed_to_another_sender(
    case, caseworker, coordinator, hooked_mail
):
    ids = overdue_batch(case=case, caseworker=caseworker, coordinator=coordinator)
    moment = utc(2026, 12, 31, 12)
    second_sender = {}
    with time_machine.travel(moment, tick=False) as traveller:

        def hang_then_refuse(messages):
            hooked_mail.before_send = None
            # The mail server hangs on the first message for longer than the visibility
            # timeout; meanwhile the reaper hands the batch to another sender, which
            # delivers all of it. Then the first server gives up.
            traveller.shift(dt.timedelta(minutes=11))
            second_sender["reaped"] = reminders_reap_stale(now=timezone.now())
            second_sender["sent"] = reminders_send(reminder_ids=ids, now=timezone.now())
            raise TimeoutError("The SMTP server did not answer")

        hooked_mail.before_send = hang_then_refuse
        first_sent = reminders_send(reminder_ids=ids, now=moment)

    assert second_sender == {"reaped": len(ids), "sent": len(ids)}
    assert first_sent == 0
    per_reminder = emails_per_reminder()
    assert len(per_reminder) == len(ids)
    assert set(per_reminder.values()) == {1}, "the first sender sent nothing it had lost"
    sent = Reminder.objects.filter(pk__in=ids, state=Reminder.State.SENT)
    assert sent.count() == len(ids)
    # Its late failure did not put the second sender's rows back to pending either.
    assert not Reminder.objects.filter(pk__in=ids, last_error__contains="did not answer").exists()
    assert Notification.objects.filter(reminder_id__in=ids).count() == len(ids)


def test_it_renews_its_claim_so_a_slow_batch_is_not_reaped_under_it(
    case, caseworker, coordinator, hooked_mail
):
    ids = overdue_batch(case=case, caseworker=caseworker, coordinator=coordinator, tasks=1)
    moment = utc(2026, 12, 31, 12)
    reaped = []
    with time_machine.travel(moment, tick=False) as traveller:

        def slow_server(messages):
            # Three minutes a message: the batch outlasts the ten-minute visibility
            # timeout several times over, while the dispatcher's reaper runs meanwhile.
            traveller.shift(dt.timedelta(minutes=3))
            reaped.append(reminders_reap_stale(now=timezone.now()))

        hooked_mail.before_send = slow_server
        assert reminders_send(reminder_ids=ids, now=moment) == len(ids)
    assert len(reaped) == len(ids) > 4
    assert sum(reaped) == 0
    assert set(emails_per_reminder().values()) == {1}


def test_it_finds_stale_claims_along_the_partial_index_on_rows_in_flight(db):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's choice depends on its statistics; SQLite's on the terms")
    with CaptureQueriesContext(connection) as queries:
        reminders_reap_stale(now=utc(2026, 10, 27, 9))
    assert "USING INDEX reminder_in_flight_queued" in plan_of_the_update(queries=queries)
