"""Periodic work of the import area. A large run's preview and its writing go through
casework.tasks.import_run_execute_task (it calls casework.importing.runs.import_run_execute)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task(name="casework.importing.tasks.import_uploads_purge_task", ignore_result=True)
def import_uploads_purge_task() -> int:
    """Delete the files of uploads nobody confirmed within a day (and of stalled runs)."""
    from casework.importing.runs import import_uploads_purge

    return import_uploads_purge(now=timezone.now())
