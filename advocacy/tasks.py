"""Celery tasks of advocacy. Each takes ids, loads rows and calls one function."""

from __future__ import annotations

from celery import shared_task
from django.contrib.auth import get_user_model

from advocacy.mentions import document_detect_mentions
from advocacy.models import Document
from casework.visibility import cases_visible_to


@shared_task(acks_late=True, reject_on_worker_lost=True)
def detect_mentions_task(document_id: int, user_id: int) -> int:
    """Propose mentions for a long document; idempotent, as existing mentions are skipped."""
    document = Document.objects.filter(pk=document_id, archived_at__isnull=True).first()
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if document is None or user is None:
        return 0
    return len(document_detect_mentions(document=document, cases=cases_visible_to(user), by=user))
