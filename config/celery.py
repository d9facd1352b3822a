import gc
import os
from typing import Any

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Celery's Django fixup runs Django's system checks as a worker starts and ignores what they
# find (celery/fixups/django.py, validate_models): 1.6 s of CPU for nothing but loading the
# admin and every URL module. `manage.py check` (and the web process) still runs them.
os.environ.setdefault("CELERY_SKIP_CHECKS", "1")

app = Celery("advocase")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="advocase.ping", ignore_result=False)  # type: ignore[untyped-decorator]
def ping(value: int) -> dict[str, int]:
    """A round trip through broker, worker and database, for health checks and tests."""
    from casework.models import Organisation

    return {"echo": value, "organisations": Organisation.objects.count()}


@worker_init.connect  # type: ignore[untyped-decorator]
def url_resolver_warm(**kwargs: Any) -> None:
    """Load every URL module once in the worker's main process, before it forks its pool: the
    first reverse() of a reminder email otherwise does it in each child, seconds under load.
    Then freeze what is loaded, for the collector to leave alone in the children."""
    from django.urls import reverse

    reverse("followup_list")
    # What is loaded by now (Django, the apps, the URL modules) lives as long as the worker:
    # moved out of the collector's reach, so the children's collections stop walking it
    # again and again (a reminder batch's CPU -25%, bench_reminders in one process), and
    # stop writing to the pages they share with this process.
    gc.freeze()
