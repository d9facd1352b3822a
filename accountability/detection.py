"""Responsible persons a document's text names, found as victims are found
(advocacy.detection: the same tokens, readings and scores of casework.names), over an index
of the responsible persons the user may see; proposals wait for staff to confirm or reject.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accountability.models import NamedInDocument, ResponsibleAlias, ResponsiblePerson
from accountability.visibility import (
    named_in_documents_visible_to,
    responsible_persons_visible_to,
)
from advocacy.detection import DetectedName, name_index_find, name_index_from_names
from advocacy.mentions import decision_taken_since_check, document_detection_runs_in_background
from advocacy.models import Document
from advocacy.visibility import documents_visible_to
from common.history import history_save

PASSAGE_MAX_LENGTH = 1000


def responsible_persons_find_in_text(
    *, text: str, persons: QuerySet[ResponsiblePerson]
) -> list[DetectedName]:
    """Every mention of one of `persons` in the text (two queries, however many persons)."""
    names: dict[int, list[str]] = defaultdict(list)
    for pk, name, native in persons.values_list("pk", "name", "native_name"):
        names[pk] += [written for written in (name, native) if written]
    for person_id, alias in ResponsibleAlias.objects.filter(
        person__in=persons.values("pk")
    ).values_list("person_id", "name"):
        if person_id in names:
            names[person_id].append(alias)
    if not names or not text:
        return []
    return name_index_find(index=name_index_from_names(dict(names)), text=text)


def document_detect_responsible_persons(*, document: Document, by) -> int:
    """Propose the responsible persons (those `by` may see) the document's text names;
    one proposal per person, never over a decision already taken. Returns how many new."""
    found = responsible_persons_find_in_text(
        text=document.full_text, persons=responsible_persons_visible_to(by)
    )
    first: dict[int, DetectedName] = {}
    for detected in found:
        first.setdefault(detected.person_id, detected)
    with transaction.atomic():
        existing = set(
            NamedInDocument.objects.filter(document=document, person_id__in=first).values_list(
                "person_id", flat=True
            )
        )
        new = [
            NamedInDocument(
                document=document,
                person_id=person_id,
                matched_text=detected.matched_text[:300],
                passage=detected.sentence[:PASSAGE_MAX_LENGTH],
            )
            for person_id, detected in first.items()
            if person_id not in existing
        ]
        NamedInDocument.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def document_responsible_detection_start(*, document: Document, by) -> int | None:
    """Propose the responsible persons the document's text names, as victims are found: a
    short text now (how many were proposed), a long one by a Celery task once the
    transaction commits (None), by advocacy.mentions' one rule of what is long. A 2 MB text
    took 6.5 s, which a web request must not wait for."""
    if not document_detection_runs_in_background(document=document):
        return document_detect_responsible_persons(document=document, by=by)
    from accountability.tasks import detect_responsible_persons_task  # it imports this module

    detect_responsible_persons_task.delay_on_commit(document.pk, by.pk)
    return None


def document_responsible_detection_run(*, document_id: int, user_id: int) -> int:
    """What the Celery task does: the detection for the user who asked, if they are still
    active and still see the document (the persons are those they see). How many new."""
    document = Document.objects.filter(pk=document_id, archived_at__isnull=True).first()
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if document is None or user is None:
        return 0
    if not documents_visible_to(user).filter(pk=document.pk).exists():
        return 0
    return document_detect_responsible_persons(document=document, by=user)


def named_in_document_review(
    *, named: NamedInDocument, by, confirmed: bool, shown_state: str | None = None
) -> NamedInDocument:
    """Confirm or reject, a first decision or a change of mind (each kept in the history).
    `shown_state`: the state the page showed; advocacy.mentions.DecidedSince if someone
    took the opposite decision since (their decision is kept)."""
    state = NamedInDocument.State.CONFIRMED if confirmed else NamedInDocument.State.REJECTED
    with transaction.atomic():
        current = (
            NamedInDocument.objects.select_for_update(of=("self",))
            .select_related("reviewed_by")
            .get(pk=named.pk)
        )
        if decision_taken_since_check(
            shown_state=shown_state,
            state=current.state,
            wanted=state,
            who=current.reviewed_by,
            when=current.reviewed_at,
            person=named.person.name,
        ):
            return named
        named.state = state
        named.reviewed_by = by
        named.reviewed_at = timezone.now()
        history_save(
            instance=named,
            by=by,
            update_fields=["state", "reviewed_by", "reviewed_at", "updated_at"],
        )
    return named


def document_responsible_named(*, document: Document, user) -> QuerySet[NamedInDocument]:
    return (
        named_in_documents_visible_to(user)
        .filter(document=document)
        .select_related("person", "reviewed_by")
        .order_by("state", "person__name")
    )


def person_named_in_documents(*, person: ResponsiblePerson, user) -> QuerySet[NamedInDocument]:
    """The documents the user may see that name the person, confirmed or still proposed
    (a rejection is not a naming), newest first: the person's page lists them, so a
    confirmation made on a document's page shows where the dossier's author looks."""
    return (
        NamedInDocument.objects.filter(
            person=person, document__in=documents_visible_to(user).values("pk")
        )
        .exclude(state=NamedInDocument.State.REJECTED)
        .select_related("document")
        .order_by("state", "-document__issued_on", "pk")
    )
