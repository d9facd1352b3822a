"""Mentions found automatically: propose them, confirm or reject them.

A proposed mention is a Mention row (origin=detected, state=proposed). Rejecting keeps the
row, and the unique constraint on (document, case) means detection can never propose that
case for that document again.
"""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from advocacy.detection import DetectedName, document_text_find_people
from advocacy.models import Document, Mention
from casework.models import Case

# Longer texts are detected by a Celery task rather than during the request.
DETECTION_INLINE_MAX_CHARS = 20_000
MATCHED_TEXT_MAX_CHARS = 300


def document_detect_mentions(
    *, document: Document, cases: QuerySet[Case], by=None
) -> list[Mention]:
    """Propose a mention of each person the document's text names, for the most recent of
    their cases among `cases` (pass cases_visible_to(user)), unless the document already has
    a mention (proposed, confirmed or rejected) of any of that person's cases.
    Returns the mentions proposed now."""
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
