"""Celery tasks of casework. Each takes ids, loads rows and calls one function."""

from celery import shared_task
from django.db import close_old_connections
from django.utils import timezone

from casework import reminders

# --- Follow-up reminders. Beat wakes the dispatcher every minute and the digest planner
# hourly; the work itself lives in Reminder rows, so a lost message loses nothing.


@shared_task(name="casework.tasks.reminders_dispatch_task", ignore_result=True)
def reminders_dispatch_task() -> int:
    return reminders.reminders_dispatch_due(now=timezone.now())


@shared_task(name="casework.tasks.reminders_plan_digests_task", ignore_result=True)
def reminders_plan_digests_task() -> int:
    return reminders.reminders_plan_digests(now=timezone.now())


@shared_task(
    name="casework.tasks.reminders_send_task",
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
)
def reminders_send_task(reminder_ids: list[int]) -> int:
    # The worker keeps its database connection across tasks (CELERY_DB_REUSE_MAX): drop it
    # if it broke or outlived CONN_MAX_AGE, as Django does around each request.
    close_old_connections()
    return reminders.reminders_send(reminder_ids=reminder_ids)


# --- Partner spreadsheet imports above IMPORT_ASYNC_ROWS rows. The ImportRun row holds the
# state and progress; executing a run twice is harmless (it is claimed, then locked).


@shared_task(
    name="casework.tasks.import_run_execute_task",
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
)
def import_run_execute_task(import_run_id: int) -> None:
    from casework.importing.runs import import_run_execute

    import_run_execute(import_run_id=import_run_id)


@shared_task(name="casework.tasks.import_uploads_purge_task", ignore_result=True)
def import_uploads_purge_task() -> int:
    """Beat, hourly: uploads nobody confirmed within a day (and stalled runs) lose their files,
    which hold names, so they do not linger on disk."""
    from casework.importing.runs import import_uploads_purge

    return import_uploads_purge(now=timezone.now())
