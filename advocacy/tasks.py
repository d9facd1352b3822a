"""Celery tasks of advocacy. Each takes ids, loads rows and calls one function."""

from __future__ import annotations

from celery import shared_task

from advocacy.mentions import document_detection_run


@shared_task(acks_late=True, reject_on_worker_lost=True)
def detect_mentions_task(document_id: int, user_id: int) -> int:
    """Propose mentions for a long document; idempotent, as existing mentions are skipped.
    The document records that the run started, finished or failed."""
    return document_detection_run(document_id=document_id, user_id=user_id)
