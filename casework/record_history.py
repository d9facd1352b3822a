"""The change history of a person or a document, field by field, for their History
sections: who changed what, from which value to which, when.

casework.history.case_change_history does this for cases only (it knows the case's
foreign keys and charges by name); this reads any model django-simple-history records,
and returns the same HistoryEntry and FieldChange so the pages render both alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from simple_history.utils import get_m2m_reverse_field_name

from casework.history import FieldChange, HistoryEntry
from casework.models import Person, PersonAlias
from casework.people import PERSON_SENSITIVE_FIELDS

# Bookkeeping that changes on every save, or is derived from other fields, and says
# nothing to a reader.
IGNORED_FIELDS = frozenset({"created_at", "updated_at", "created_by", "match_keys"})

# A long text (a document's full text) is summarised by its length: thirty pages side by
# side say nothing a reader can take in, and the page stays small.
LONG_TEXT_CHARS = 300


def record_change_history(
    *, record: models.Model, hidden_fields: Iterable[str] = (), limit: int = 25
) -> list[HistoryEntry]:
    """The latest `limit` saves of `record`, newest first, each with its changes. Fields
    in `hidden_fields` (sensitive ones, for a partner user) are never shown, not even as
    "changed": a save that changed nothing but hidden fields is left out whole, since a
    row saying "no visible field changed" would tell that a hidden one did. A fixed
    number of queries, however long the history."""
    model = type(record)
    records = list(
        record.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    if not records:
        return []
    hidden = set(hidden_fields)
    m2m_fields = [
        field for field in records[0]._history_m2m_fields if field.name not in IGNORED_FIELDS
    ]
    # Many-to-many sets of every shown record in one query per field, instead of
    # simple-history's two queries per pair of records.
    m2m_sets = {
        field.name: _m2m_sets(history_model=type(records[0]), field=field, records=records)
        for field in m2m_fields
    }

    raw: list[tuple[Any, list[tuple[models.Field, Any, Any]]]] = []
    for index, entry in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes: list[tuple[models.Field, Any, Any]] = []
        if previous is not None:
            # Hidden fields are compared too, only to tell a save that changed nothing
            # from one that changed only what this reader may not see.
            delta = entry.diff_against(
                previous,
                excluded_fields=sorted(IGNORED_FIELDS | {field.name for field in m2m_fields}),
            )
            changes = [
                (model._meta.get_field(change.field), change.old, change.new)
                for change in delta.changes
            ]
            for field in m2m_fields:
                old, new = (
                    m2m_sets[field.name][previous.history_id],
                    m2m_sets[field.name][entry.history_id],
                )
                if old != new:
                    changes.append((field, old, new))
            visible = [change for change in changes if change[0].name not in hidden]
            if changes and not visible:
                continue
            changes = visible
        raw.append((entry, changes))

    names = _related_names(changes for _, changes in raw)
    entries = []
    for entry, changes in raw:
        user = entry.history_user
        entries.append(
            HistoryEntry(
                when=entry.history_date,
                who=(user.get_full_name() or user.username) if user else "system",
                kind=entry.get_history_type_display(),
                changes=[
                    FieldChange(
                        label=str(field.verbose_name),
                        old=_display(old, field=field, names=names),
                        new=_display(new, field=field, names=names),
                    )
                    for field, old, new in changes
                ],
            )
        )
    return entries


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
    earlier: dict[int, list] = {}
    if changed_ids:
        for record in PersonAlias.history.filter(id__in=changed_ids).order_by(
            "-history_date", "-history_id"
        ):
            earlier.setdefault(record.id, []).append(record)

    def described(record) -> str:
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
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.username) if user else "system",
                kind="Changed",
                changes=[FieldChange(label="other names", old=old, new=new)],
            )
        )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]


def _m2m_sets(*, history_model, field, records) -> dict[int, frozenset]:
    through = getattr(history_model, field.name).model
    target = f"{get_m2m_reverse_field_name(field)}_id"
    sets: dict[int, set] = {entry.history_id: set() for entry in records}
    for history_id, target_id in through.objects.filter(history_id__in=list(sets)).values_list(
        "history_id", target
    ):
        sets[history_id].add(target_id)
    return {history_id: frozenset(ids) for history_id, ids in sets.items()}


def _related_names(all_changes) -> dict[tuple[type, Any], str]:
    """Names of the related rows the changes point at, one query per related model."""
    wanted: dict[type, set] = {}
    for changes in all_changes:
        for field, old, new in changes:
            if not field.is_relation:
                continue
            values = set(old | new) if field.many_to_many else {old, new}
            wanted.setdefault(field.related_model, set()).update(v for v in values if v)
    user_model = get_user_model()
    names = {}
    for related_model, ids in wanted.items():
        for obj in related_model._base_manager.filter(pk__in=ids):
            label = (
                (obj.get_full_name() or obj.username) if related_model is user_model else str(obj)
            )
            names[(related_model, obj.pk)] = label
    return names


def _display(value: Any, *, field: models.Field, names: dict) -> str:
    if field.many_to_many:
        labels = sorted(names.get((field.related_model, pk), f"#{pk}") for pk in value)
        return ", ".join(labels) or "—"
    if value in (None, ""):
        return "—"
    if field.is_relation:
        return names.get((field.related_model, value), f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        local = timezone.localtime(value)
        return f"{local.day} {local:%b %Y, %H:%M}"
    if isinstance(value, date):
        return f"{value.day} {value:%b %Y}"
    if isinstance(field, models.TextField) and len(value) > LONG_TEXT_CHARS:
        return f"a text of {len(value):,} characters"
    return str(value)
