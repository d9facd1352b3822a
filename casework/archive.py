"""Archive and restore: people and cases are never deleted, only set aside.

Archiving sets archived_at; the save goes through django-simple-history, so the history
row names who archived or restored, whichever path called these functions.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from casework.conflicts import status_conflicts_recompute
from casework.models import Case, Person
from common.history import history_save


def _record_set_archived(*, record, archived: bool, by) -> None:
    with transaction.atomic():
        locked = type(record).objects.select_for_update().get(pk=record.pk)
        if (locked.archived_at is not None) == archived:
            record.archived_at = locked.archived_at
            return  # already in that state: no second history row
        locked.archived_at = timezone.now() if archived else None
        fields = ["archived_at", "updated_at"]
        if by is None:
            locked.save(update_fields=fields)  # the actor is the request's, if there is one
        else:
            history_save(instance=locked, by=by, update_fields=fields)
        record.archived_at = locked.archived_at


def case_archive(*, case: Case, by) -> None:
    with transaction.atomic():
        _record_set_archived(record=case, archived=True, by=by)
        # An archived case is no longer open: its status conflicts close (and reopen with it).
        status_conflicts_recompute(person_ids=[case.person_id], by=by)


def case_restore(*, case: Case, by) -> None:
    with transaction.atomic():
        _record_set_archived(record=case, archived=False, by=by)
        status_conflicts_recompute(person_ids=[case.person_id], by=by)


def person_archive(*, person: Person, by) -> None:
    _record_set_archived(record=person, archived=True, by=by)


def person_restore(*, person: Person, by) -> None:
    _record_set_archived(record=person, archived=False, by=by)


def record_archive(*, record, by) -> None:
    """Archive any model with archived_at and history (used by advocacy.archive)."""
    _record_set_archived(record=record, archived=True, by=by)


def record_restore(*, record, by) -> None:
    _record_set_archived(record=record, archived=False, by=by)
