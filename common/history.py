"""Change history on django-simple-history: the one way an update service changes a row
(`model_update`), the one place that names the acting user (`history_save`, and
`history_delete` for a deletion's history row), and the one
differ that reads a record's history field by field (`record_change_history`) for the
History sections of case, person and document pages.

Pages and the admin get their actor from simple-history's HistoryRequestMiddleware;
imports, tasks and commands have no request, so every write service passes `by` here.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy
from simple_history.manager import HistoryDescriptor
from simple_history.models import HistoricalRecords
from simple_history.signals import (
    post_create_historical_m2m_records,
    pre_create_historical_m2m_records,
)
from simple_history.utils import get_m2m_reverse_field_name

from common.text import grouped

ModelT = TypeVar("ModelT", bound=models.Model)
Actor = AbstractBaseUser | AnonymousUser | None

# Bookkeeping that changes on every save, or is derived from other fields, and says
# nothing to a reader.
IGNORED_FIELDS = frozenset({"created_at", "updated_at", "created_by", "match_keys"})

# A long text (a document's full text) is summarised by its length: thirty pages side by
# side say nothing a reader can take in, and the page stays small.
LONG_TEXT_CHARS = 300


@functools.cache
def _history_manager_class(manager: type[Any], queryset: type[Any]) -> type[Any]:
    return manager.from_queryset(queryset)  # type: ignore[no-any-return]


def _history_manager(descriptor: HistoryDescriptor, instance: Any, owner: Any) -> Any:
    return _history_manager_class(descriptor.manager_class, descriptor.queryset_class)(
        descriptor.model, instance
    )


def history_managers_built_once() -> None:
    """Build the manager class behind `record.history` once per model rather than on
    every read.

    simple-history's descriptor makes a new class (type() over every method of the
    queryset, some 80 µs) each time `record.history` is read, and simple-history reads it
    itself on every save of a tracked model to write the history row. The class depends
    only on the manager and queryset classes, as a model's own manager class does;
    each read still gets a manager of its own for its record. Installed at start-up
    (casework.apps)."""
    HistoryDescriptor.__get__ = _history_manager  # type: ignore[method-assign,assignment]


_copy_related_rows = HistoricalRecords.create_historical_record_m2ms


def _related_rows_copied(records: HistoricalRecords, history_instance: Any, instance: Any) -> None:
    if history_instance.history_type != "+":
        _copy_related_rows(records, history_instance, instance)
        return
    # A record's creation row: its related rows are added after its INSERT (each addition
    # writes a history row of its own), so there is nothing to copy yet; the signals are
    # sent as simple-history sends them, with no rows.
    for field_name in history_instance._history_m2m_fields:
        m2m_history_model = records.m2m_models[field_name]
        signal_arguments = {
            "history_instance": history_instance,
            "instance": instance,
            "field": field_name,
        }
        pre_create_historical_m2m_records.send(
            sender=m2m_history_model, rows=[], **signal_arguments
        )
        post_create_historical_m2m_records.send(
            sender=m2m_history_model, created_rows=[], **signal_arguments
        )


def history_creation_copies_no_related_rows() -> None:
    """A tracked model with many-to-many history (a case's charges, a person's
    affiliations) had simple-history read the join table on every save, its creation
    included, where the record has no related rows yet: queries that find nothing,
    each time. Without them a new person costs 7 queries rather than 9, a new case with its
    person 10 rather than 14. Updates, deletions and the related sets' own changes copy the
    rows as before. Installed at start-up (casework.apps)."""
    HistoricalRecords.create_historical_record_m2ms = _related_rows_copied  # type: ignore[method-assign]


def history_save(*, instance: models.Model, by: Actor, **save_options: Any) -> None:
    """Save `instance` with `by` as the actor of its history row."""
    _actor_set(instance=instance, by=by)
    instance.save(**save_options)


def history_delete(*, instance: models.Model, by: Actor) -> None:
    """Delete `instance` with `by` as the actor of its deletion's history row."""
    _actor_set(instance=instance, by=by)
    instance.delete()


def _actor_set(*, instance: models.Model, by: Actor) -> None:
    # simple-history reads the actor from this attribute before it asks the middleware.
    instance._history_user = by  # type: ignore[attr-defined]


def model_update(
    *, instance: ModelT, data: dict[str, Any], fields: Iterable[str], by: Actor
) -> ModelT:
    """Change `instance`'s fields named in `data`, validate, save, and record `by`.

    Only the names in `fields` may be changed (a ValueError otherwise: a programming
    error, not bad input); a field left out of `data` keeps its value, so a form without
    the sensitive fields cannot blank them. Many-to-many values are set before the save,
    without their own history rows, so the one row the save writes holds every change."""
    unknown = set(data) - set(fields)
    if unknown:
        name = type(instance).__name__
        raise ValueError(f"{name} update cannot change {', '.join(sorted(unknown))}")
    many_to_many = {item.name for item in instance._meta.many_to_many}
    related_sets = {name: value for name, value in data.items() if name in many_to_many}
    for name, value in data.items():
        if name not in related_sets:
            setattr(instance, name, value)
    instance.full_clean(exclude=list(related_sets))
    changed_sets = {
        name: wanted
        for name, wanted in (
            (name, {item.pk for item in items}) for name, items in related_sets.items()
        )
        if wanted != set(getattr(instance, name).values_list("pk", flat=True))
    }
    if changed_sets:
        # Each set() would write a history row of its own; the save below records the new
        # sets with the other fields.
        instance.skip_history_when_saving = True  # type: ignore[attr-defined]
        try:
            for name, wanted in changed_sets.items():
                getattr(instance, name).set(wanted)
        finally:
            del instance.skip_history_when_saving  # type: ignore[attr-defined]
    history_save(instance=instance, by=by)
    return instance


@dataclass
class FieldChange:
    label: str
    old: Any
    new: Any


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    kind: str  # "Created", "Changed" or "Deleted" in the reader's language
    changes: list[FieldChange] = field(default_factory=list)
    # Whether the record was made here: what a page tests, since `kind` is translated (a
    # creation said "No visible field changed." under it to Russian and Kazakh readers).
    created: bool = False


# The words for a kind of history row. simple-history has its own ("Changed"), but no
# Kazakh: a Kazakh page read the Russian fallback, "изменено".
_HISTORY_KINDS = {
    "+": pgettext_lazy("a kind of change in a record's history", "Created"),
    "~": pgettext_lazy("a kind of change in a record's history", "Changed"),
    "-": pgettext_lazy("a kind of change in a record's history", "Deleted"),
}


def history_kind_label(*, history_type: str) -> str:
    """The word for a kind of history row ("~": "Changed"), in the reader's language."""
    return str(_HISTORY_KINDS[history_type])


_Change = tuple["models.Field[Any, Any]", Any, Any]


def record_change_history(
    *, record: models.Model, hidden_fields: Iterable[str] = (), limit: int = 25
) -> list[HistoryEntry]:
    """The latest `limit` saves of `record`, newest first, each with its changes.

    Fields in `hidden_fields` (sensitive ones, for a partner user) are never shown, not
    even as "changed": a save that changed nothing but hidden fields is left out whole,
    since a row saying "no visible field changed" would tell that a hidden one did. A
    fixed number of queries, however long the history."""
    concrete = {item.name: item for item in type(record)._meta.concrete_fields}
    records = list(
        record.history.select_related("history_user").order_by(  # type: ignore[attr-defined]
            "-history_date", "-history_id"
        )[: limit + 1]
    )
    if not records:
        return []
    hidden = set(hidden_fields)
    m2m_fields = [
        item for item in records[0]._history_m2m_fields if item.name not in IGNORED_FIELDS
    ]
    # Many-to-many sets of every shown record in one query per field, instead of
    # simple-history's two queries per pair of records.
    m2m_sets = {
        item.name: _m2m_sets(history_model=type(records[0]), field=item, records=records)
        for item in m2m_fields
    }
    excluded = sorted(IGNORED_FIELDS | {item.name for item in m2m_fields})

    raw: list[tuple[Any, list[_Change]]] = []
    for index, entry in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes: list[_Change] = []
        if previous is not None:
            # Hidden fields are compared too, only to tell a save that changed nothing
            # from one that changed only what this reader may not see.
            delta = entry.diff_against(previous, excluded_fields=excluded)
            changes = [(concrete[change.field], change.old, change.new) for change in delta.changes]
            for item in m2m_fields:
                old = m2m_sets[item.name][previous.history_id]
                new = m2m_sets[item.name][entry.history_id]
                if old != new:
                    changes.append((item, old, new))
            visible = [change for change in changes if change[0].name not in hidden]
            if changes and not visible:
                continue
            changes = visible
        raw.append((entry, changes))

    names = _related_names(changes for _, changes in raw)
    return [
        HistoryEntry(
            when=entry.history_date,
            who=history_actor_name(entry.history_user),
            kind=history_kind_label(history_type=entry.history_type),
            created=entry.history_type == "+",
            changes=[
                FieldChange(
                    label=str(item.verbose_name),
                    old=_display(old, field=item, names=names),
                    new=_display(new, field=item, names=names),
                )
                for item, old, new in changes
            ],
        )
        for entry, changes in raw
    ]


def history_actor_name(user: Any) -> str:
    """Who made a change, as a History section shows it ("system" for no one)."""
    if user is None:
        return gettext("system")
    return str(user.get_full_name() or user.username)


def _m2m_sets(
    *, history_model: type[models.Model], field: models.Field[Any, Any], records: list[Any]
) -> dict[int, frozenset[int]]:
    through = getattr(history_model, field.name).model
    target = f"{get_m2m_reverse_field_name(field)}_id"
    sets: dict[int, set[int]] = {entry.history_id: set() for entry in records}
    for history_id, target_id in through.objects.filter(history_id__in=list(sets)).values_list(
        "history_id", target
    ):
        sets[history_id].add(target_id)
    return {history_id: frozenset(ids) for history_id, ids in sets.items()}


_Names = dict[tuple[type[models.Model], Any], str]


def _related_names(all_changes: Iterable[list[_Change]]) -> _Names:
    """Names of the related rows the changes point at, one query per related model."""
    wanted: dict[type[models.Model], set[Any]] = {}
    for changes in all_changes:
        for item, old, new in changes:
            if not item.is_relation or item.related_model is None:
                continue
            values = set(old | new) if item.many_to_many else {old, new}
            wanted.setdefault(item.related_model, set()).update(v for v in values if v)
    user_model = get_user_model()
    names: _Names = {}
    for related_model, ids in wanted.items():
        for obj in related_model._base_manager.filter(pk__in=ids):
            label = history_actor_name(obj) if related_model is user_model else str(obj)
            names[(related_model, obj.pk)] = label
    return names


def _display(value: Any, *, field: models.Field[Any, Any], names: _Names) -> str:
    related_model = field.related_model
    if field.many_to_many and related_model is not None:
        labels = sorted(names.get((related_model, pk), f"#{pk}") for pk in value)
        return ", ".join(labels) or "—"
    if isinstance(value, list):  # a JSON list of names (a vocabulary's aliases)
        return ", ".join(str(item) for item in value) or "—"
    if value in (None, ""):
        return "—"
    if related_model is not None:
        return names.get((related_model, value), f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, datetime):
        local = timezone.localtime(value)
        return date_format(local, "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(field, models.TextField) and len(value) > LONG_TEXT_CHARS:
        return gettext("a text of %(count)s characters") % {"count": grouped(len(value))}
    return str(value)
