"""Celery tasks of accountability. Each takes ids, loads rows and calls one function."""

from __future__ import annotations

from celery import shared_task

from accountability.detection import document_responsible_detection_run


@shared_task(acks_late=True, reject_on_worker_lost=True)
def detect_responsible_persons_task(document_id: int, user_id: int) -> int:
    """Propose the responsible persons a long document names; idempotent, as a person
    already proposed for the document (or decided on) is skipped."""
    return document_responsible_detection_run(document_id=document_id, user_id=user_id)
