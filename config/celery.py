import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("advocase")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def reminders_dispatch_interval(sender, source, **kwargs) -> None:
    """How often beat wakes the reminder dispatcher: every minute, unless
    REMINDER_DISPATCH_INTERVAL_SECONDS says otherwise (the beat integration test makes it
    one second, so it does not wait a minute for the first tick). The due moments live in
    Reminder rows, so the interval only bounds how late a reminder can be."""
    seconds = float(os.environ.get("REMINDER_DISPATCH_INTERVAL_SECONDS") or 60)
    entry = source.beat_schedule.get("reminders-dispatch-due")
    if entry is None or entry.get("schedule") == seconds:
        return
    # A new dict rather than an edit in place: the entry is Django's settings dict too.
    source.beat_schedule = {
        **source.beat_schedule,
        "reminders-dispatch-due": {**entry, "schedule": seconds},
    }


@app.task(name="advocase.ping", ignore_result=False)
def ping(value: int) -> dict:
    """A round trip through broker, worker and database, for health checks and tests."""
    from casework.models import Organisation

    return {"echo": value, "organisations": Organisation.objects.count()}
