"""A case's change history, read from django-simple-history: who changed what, when."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model

from casework.models import Case, Charge, DetentionPlace, Organisation, Person

# Bookkeeping columns that change on every save and say nothing to a reader.
_IGNORED_FIELDS = {"created_at", "updated_at", "created_by", "charges"}

_FOREIGN_KEY_MODELS = {
    "person": Person,
    "owning_organisation": Organisation,
    "assigned_caseworker": get_user_model(),
    "detention_place": DetentionPlace,
}


@dataclass
class FieldChange:
    label: str
    old: Any
    new: Any


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    kind: str
    changes: list[FieldChange] = field(default_factory=list)


def _display(value: Any, *, model_field, names: dict[tuple[str, Any], str]) -> Any:
    if value in (None, ""):
        return "—"
    if model_field.name in _FOREIGN_KEY_MODELS:
        return names.get((model_field.name, value), f"#{value}")
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return f"{value.day} {value:%b %Y}"
    return value


def case_change_history(*, case: Case, show_sensitive: bool, limit: int = 25) -> list[HistoryEntry]:
    """The latest `limit` saves of the case, newest first, each with its field-by-field
    changes; without `show_sensitive`, the sensitive fields are never shown and a save
    that changed only them is left out. A fixed number of queries, however long the
    history."""
    records = list(
        case.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    hidden = set() if show_sensitive else set(Case.SENSITIVE_FIELDS)

    # Charges are a many-to-many: read every shown record's charge set in one query,
    # instead of simple-history's query per record.
    through = case.history.model._meta.get_field("historicalcase_charges").related_model
    charge_sets: dict[int, set[int]] = {record.history_id: set() for record in records}
    for history_id, charge_id in through.objects.filter(
        history_id__in=list(charge_sets)
    ).values_list("history_id", "charge_id"):
        charge_sets[history_id].add(charge_id)

    pairs = [
        (record, records[index + 1] if index + 1 < len(records) else None)
        for index, record in enumerate(records[:limit])
    ]
    raw_changes: list[tuple[Any, list]] = []
    foreign_ids: dict[str, set] = {name: set() for name in _FOREIGN_KEY_MODELS}
    charge_ids: set[int] = set()
    for record, previous in pairs:
        if previous is None:
            raw_changes.append((record, []))
            continue
        # Hidden fields are compared too, only to leave out whole a save that changed
        # nothing else: "no visible field changed" would tell that a hidden one did.
        delta = record.diff_against(previous, excluded_fields=sorted(_IGNORED_FIELDS))
        changes = [change for change in delta.changes if change.field not in hidden]
        charges_changed = charge_sets[record.history_id] != charge_sets[previous.history_id]
        if delta.changes and not changes and not charges_changed:
            continue
        for change in changes:
            if change.field in foreign_ids:
                foreign_ids[change.field].update(v for v in (change.old, change.new) if v)
        if charges_changed:
            charge_ids |= charge_sets[record.history_id] | charge_sets[previous.history_id]
            changes.append(("charges", previous.history_id, record.history_id))
        raw_changes.append((record, changes))

    names: dict[tuple[str, Any], str] = {}
    for name, ids in foreign_ids.items():
        if ids:
            for obj in _FOREIGN_KEY_MODELS[name].objects.filter(pk__in=ids):
                names[(name, obj.pk)] = (
                    (obj.get_full_name() or obj.username)
                    if name == "assigned_caseworker"
                    else str(obj)
                )
    charge_names = (
        {
            charge.pk: f"art. {charge.article}{' part ' + charge.part if charge.part else ''}"
            for charge in Charge.objects.filter(pk__in=charge_ids)
        }
        if charge_ids
        else {}
    )

    entries = []
    for record, changes in raw_changes:
        user = record.history_user
        entry = HistoryEntry(
            when=record.history_date,
            who=(user.get_full_name() or user.username) if user else "system",
            kind=record.get_history_type_display(),
        )
        for change in changes:
            if isinstance(change, tuple):
                _, old_id, new_id = change
                entry.changes.append(
                    FieldChange(
                        label="charges",
                        old=", ".join(sorted(charge_names[i] for i in charge_sets[old_id])) or "—",
                        new=", ".join(sorted(charge_names[i] for i in charge_sets[new_id])) or "—",
                    )
                )
                continue
            model_field = Case._meta.get_field(change.field)
            entry.changes.append(
                FieldChange(
                    label=str(model_field.verbose_name),
                    old=_display(change.old, model_field=model_field, names=names),
                    new=_display(change.new, model_field=model_field, names=names),
                )
            )
        entries.append(entry)
    return entries
