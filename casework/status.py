"""The one way a case's status changes, and what a case's status was on a given day."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casework.models import Case, CaseEvent, Status


def case_change_status(
    *,
    case: Case,
    status: str,
    on: date,
    source: str = "",
    note: str = "",
    by=None,
) -> CaseEvent:
    """Change the status and record it on the timeline, so the timeline can never miss a change."""
    if status not in Status.values:
        raise ValidationError({"status": f"Unknown status {status!r}."})
    if on > timezone.localdate():
        raise ValidationError({"on": "A status cannot change in the future."})
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        event = CaseEvent.objects.create(
            case=locked,
            kind=CaseEvent.Kind.STATUS,
            status=status,
            previous_status=locked.status,
            happened_on=on,
            source=source,
            description=note,
            created_by=by,
        )
        # Only a change dated on or after the current one moves the case's current status;
        # a backdated entry fills in the timeline without rewriting today.
        if locked.status_since is None or on >= locked.status_since:
            locked.status = status
            locked.status_since = on
            freed = status in (Status.RELEASED, Status.ACQUITTED)
            if (
                freed
                and locked.released_on is None
                and (locked.detained_on is None or on >= locked.detained_on)
            ):
                locked.released_on = on
            if by is not None:
                locked._history_user = by
            locked.save(update_fields=["status", "status_since", "released_on", "updated_at"])
    case.refresh_from_db()
    return event


def cases_status_on(*, case_ids: Iterable[int], on: date) -> dict[int, str]:
    """Each case's status on a day, from its status events (one query for all cases)."""
    ids = list(case_ids)
    result: dict[int, str] = {case_id: Status.UNKNOWN for case_id in ids}
    events = (
        CaseEvent.objects.filter(case_id__in=ids, kind=CaseEvent.Kind.STATUS, happened_on__lte=on)
        .order_by("case_id", "happened_on", "id")
        .values_list("case_id", "status")
    )
    for case_id, status in events:
        result[case_id] = status
    return result
