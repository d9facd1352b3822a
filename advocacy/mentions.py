"""Mentions found automatically: propose them, confirm or reject them.

A proposed mention is a Mention row (origin=detected, state=proposed). Rejecting keeps the
row, and the unique constraint on (document, case) means detection can never propose that
case for that document again.

Each run records itself on the document (Document.detection_state and its times): a short
text is read during the request, a long one by a Celery task, and the document page shows
whether that task is waiting, running, finished or failed.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.db.models import F, QuerySet
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from advocacy.detection import DetectedName, document_text_find_people
from advocacy.models import Document, Mention
from advocacy.visibility import documents_visible_to
from casework.models import Case
from casework.visibility import cases_visible_to

logger = logging.getLogger(__name__)

# Longer texts are detected by a Celery task rather than during the request.
DETECTION_INLINE_MAX_CHARS = 20_000
MATCHED_TEXT_MAX_CHARS = 300


def document_detect_mentions(
    *, document: Document, cases: QuerySet[Case], by=None
) -> list[Mention]:
    """Propose a mention of each person the document's text names, for the most recent of
    their cases among `cases` (pass cases_visible_to(user)), unless the document already has
    a mention (proposed, confirmed or rejected) of any of that person's cases.
    Returns the mentions proposed now, and records on the document that detection finished."""
    proposed = _propose_mentions(document=document, cases=cases, by=by)
    _detection_record(
        document=document,
        detection_state=Document.DetectionState.FINISHED,
        detection_finished_at=timezone.now(),
        detection_proposed=len(proposed),
    )
    return proposed


def _propose_mentions(*, document: Document, cases: QuerySet[Case], by) -> list[Mention]:
    # Detect among everyone, not only the people of `cases`: a relative the user may not
    # see still makes a family name ambiguous, and must not be mistaken for a visible one.
    detected = document_text_find_people(text=document.full_text)
    visible_people = set(
        cases.filter(person_id__in={name.person_id for name in detected}).values_list(
            "person_id", flat=True
        )
    )
    first_by_person: dict[int, DetectedName] = {}
    for name in detected:
        if name.person_id in visible_people:
            first_by_person.setdefault(name.person_id, name)
    if not first_by_person:
        return []
    already = set(
        Mention.objects.filter(document=document, case__person_id__in=first_by_person).values_list(
            "case__person_id", flat=True
        )
    )
    newest_case: dict[int, Case] = {}
    candidates = cases.filter(person_id__in=set(first_by_person) - already).order_by(
        "person_id", F("detained_on").desc(nulls_last=True), "-created_at", "-pk"
    )
    for case in candidates:
        newest_case.setdefault(case.person_id, case)
    proposals = [
        Mention(
            document=document,
            case=case,
            passage=first_by_person[person_id].sentence,
            matched_text=first_by_person[person_id].matched_text[:MATCHED_TEXT_MAX_CHARS],
            start=first_by_person[person_id].start,
            end=first_by_person[person_id].end,
            origin=Mention.Origin.DETECTED,
            state=Mention.State.PROPOSED,
        )
        for person_id, case in newest_case.items()
    ]
    if not proposals:
        return []
    # A concurrent run may have proposed the same case; the constraint keeps one row.
    bulk_create_with_history(proposals, Mention, ignore_conflicts=True, default_user=by)
    return list(
        Mention.objects.filter(
            document=document,
            case__in=[proposal.case for proposal in proposals],
            origin=Mention.Origin.DETECTED,
            state=Mention.State.PROPOSED,
        )
        .select_related("case__person")
        .order_by("start")
    )


def document_detection_runs_in_background(*, document: Document) -> bool:
    return len(document.full_text) > DETECTION_INLINE_MAX_CHARS


def document_detection_start(*, document: Document, user) -> list[Mention] | None:
    """Detect mentions in the document's text for `user`: a short text now (the mentions
    proposed), a long one by a Celery task once the transaction commits (None; the
    document's detection_state says where it is)."""
    if not document_detection_runs_in_background(document=document):
        return document_detect_mentions(document=document, cases=cases_visible_to(user), by=user)
    from advocacy.tasks import detect_mentions_task  # the task module imports this one

    _detection_record(
        document=document,
        detection_state=Document.DetectionState.QUEUED,
        detection_requested_at=timezone.now(),
        detection_started_at=None,
        detection_finished_at=None,
        detection_proposed=None,
    )
    detect_mentions_task.delay_on_commit(document.pk, user.pk)
    return None


def document_detection_run(*, document_id: int, user_id: int) -> int:
    """What the Celery task does: detect for the user, recording on the document that the
    run started, and then that it finished or failed. Returns the number proposed."""
    document = Document.objects.filter(pk=document_id, archived_at__isnull=True).first()
    if document is None:
        return 0  # archived (or gone) meanwhile: nothing to show it on
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        logger.warning(
            "Detection for document %s dropped: user %s is inactive", document_id, user_id
        )
        _detection_record(
            document=document,
            detection_state=Document.DetectionState.FAILED,
            detection_finished_at=timezone.now(),
        )
        return 0
    if not documents_visible_to(user).filter(pk=document.pk).exists():
        # The user lost access (left the organisation) between the click and the task.
        _detection_record(
            document=document,
            detection_state=Document.DetectionState.FAILED,
            detection_finished_at=timezone.now(),
        )
        return 0
    _detection_record(
        document=document,
        detection_state=Document.DetectionState.RUNNING,
        detection_started_at=timezone.now(),
    )
    try:
        return len(
            document_detect_mentions(document=document, cases=cases_visible_to(user), by=user)
        )
    except Exception:
        _detection_record(
            document=document,
            detection_state=Document.DetectionState.FAILED,
            detection_finished_at=timezone.now(),
        )
        raise


def _detection_record(*, document: Document, **fields) -> None:
    """Write the detection bookkeeping at once (not as an edit: no history row, the
    document's updated_at unchanged), also on the instance the caller holds."""
    Document.objects.filter(pk=document.pk).update(**fields)
    for name, value in fields.items():
        setattr(document, name, value)


def mention_confirm(*, mention: Mention, by) -> Mention:
    mention.state = Mention.State.CONFIRMED
    mention.confirmed_by = by
    mention.confirmed_at = timezone.now()
    mention._history_user = by
    mention.save(update_fields=["state", "confirmed_by", "confirmed_at", "updated_at"])
    return mention


def mention_reject(*, mention: Mention, by) -> Mention:
    """Keep the row, so the same suggestion never comes back."""
    mention.state = Mention.State.REJECTED
    mention.confirmed_by = by
    mention.confirmed_at = timezone.now()
    mention._history_user = by
    mention.save(update_fields=["state", "confirmed_by", "confirmed_at", "updated_at"])
    return mention
