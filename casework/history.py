"""The History sections of case and person pages: who changed what, when, read through
common.history's one differ. A partner user never sees the sensitive fields, not even as
"changed"."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from casework.models import Case, Person, PersonAlias
from casework.people import PERSON_SENSITIVE_FIELDS
from common.history import (
    FieldChange,
    HistoryEntry,
    history_actor_name,
    history_kind_label,
    record_change_history,
)

__all__ = ["FieldChange", "HistoryEntry", "case_change_history", "person_change_history"]


def case_change_history(*, case: Case, show_sensitive: bool, limit: int = 25) -> list[HistoryEntry]:
    """The latest `limit` saves of the case, newest first, charges included."""
    return record_change_history(
        record=case, hidden_fields=() if show_sensitive else Case.SENSITIVE_FIELDS, limit=limit
    )


def person_change_history(
    *, person: Person, show_sensitive: bool, limit: int = 25
) -> list[HistoryEntry]:
    """The person's page history: their own saves and every other name added, changed or
    removed (each alias keeps its own history rows), merged newest first."""
    entries = record_change_history(
        record=person,
        hidden_fields=() if show_sensitive else PERSON_SENSITIVE_FIELDS,
        limit=limit,
    )
    alias_records = list(
        PersonAlias.history.filter(person_id=person.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )
    changed_ids = {record.id for record in alias_records if record.history_type == "~"}
    # What a changed alias was before: the rows of those few aliases in one query.
    earlier: dict[int, list[Any]] = {}
    if changed_ids:
        for record in PersonAlias.history.filter(id__in=changed_ids).order_by(
            "-history_date", "-history_id"
        ):
            earlier.setdefault(record.id, []).append(record)

    def described(record: Any) -> str:
        return f"{record.name} ({record.get_kind_display().lower()})"

    for record in alias_records:
        if record.history_type == "+":
            old, new = "—", described(record)
        elif record.history_type == "-":
            old, new = described(record), "—"
        else:
            rows = earlier.get(record.id, [])
            position = next(
                (i for i, row in enumerate(rows) if row.history_id == record.history_id), None
            )
            previous = (
                rows[position + 1] if position is not None and position + 1 < len(rows) else None
            )
            old = described(previous) if previous is not None else "—"
            new = described(record)
            if old == new:
                continue
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=history_actor_name(record.history_user),
                kind=history_kind_label(history_type="~"),
                changes=[FieldChange(label=gettext("other names"), old=old, new=new)],
            )
        )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]
