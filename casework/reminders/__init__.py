"""The reminder plan of follow-ups and its exactly-once delivery.

Each reminder is a Reminder row (who, what, when, state). The modules, in the order a
reminder meets them:

- plan: which reminders a follow-up gets, kept in step with the follow-up (and the digests);
- dispatch: a beat task every minute claims due rows and enqueues one sending task per
  batch of ids (a task per reminder tops out near 1,200 tasks/s here);
- lease: a sender's hold on the rows it claimed (claim token, renewals), and the requeue of
  rows whose sender died;
- messages: what a reminder says, in the app and (neutrally) by email;
- send: sending a batch, each reminder at most once by notification and by email;
- failures: retries with backoff, failed marks, telling coordinators, sending again.

The sender is idempotent, so a message delivered twice, or a batch re-dispatched after a
worker died, sends nothing twice.
"""

from casework.reminders.dispatch import reminders_dispatch_due
from casework.reminders.failures import reminders_retry
from casework.reminders.lease import reminders_reap_stale
from casework.reminders.plan import (
    next_digest_moment,
    reminder_plan_assignment_notice,
    reminders_plan_digests,
    reminders_plan_first_assignment_notices,
    reminders_plan_for,
    reminders_sync_for,
    reminders_sync_for_many,
    reminders_sync_for_user,
    zone_named,
)
from casework.reminders.send import reminders_send

__all__ = [
    "next_digest_moment",
    "reminder_plan_assignment_notice",
    "reminders_dispatch_due",
    "reminders_plan_digests",
    "reminders_plan_first_assignment_notices",
    "reminders_plan_for",
    "reminders_reap_stale",
    "reminders_retry",
    "reminders_send",
    "reminders_sync_for",
    "reminders_sync_for_many",
    "reminders_sync_for_user",
    "zone_named",
]
