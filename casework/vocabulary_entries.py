"""The staff pages' side of the shared vocabularies: which kinds there are, how their
lists are searched and filtered, and how an entry is added or changed.

Merging, accepting, renaming and archiving are casework.vocabularies' (one rule, one
place): a change of an entry's name here goes through vocabulary_rename, so the old name
stays an alias that imports and search still find. Every save names its user in the
entry's history (django-simple-history)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from casework.models import Charge
from casework.vocabularies import (
    AFFILIATION,
    CHARGE,
    DETENTION_PLACE,
    REGION,
    VOCABULARY_MODELS,
    Entry,
    aliases_with,
    charge_key,
    vocabulary_key,
    vocabulary_rename,
)
from common.history import Actor, history_save, model_update

CURRENT = "current"
PROPOSED = "proposed"
ARCHIVED = "archived"
LIST_STATES = (CURRENT, PROPOSED, ARCHIVED)


@dataclass(frozen=True)
class VocabularyKind:
    kind: str
    slug: str
    label: Promise
    label_one: Promise
    add_label: Promise  # whole, as English writes "a" or "an" and other languages their own
    fields: tuple[str, ...]  # what the add and edit forms ask
    search_fields: tuple[str, ...]
    uses: str | None  # the relation counted as "used by", if any
    model: Any = None  # None: casework.vocabularies' model of `kind`
    proposals: bool = True  # whether imports propose entries of this kind
    # What merges an entry into another (entry=, into=, by=): casework.vocabularies'
    # vocabulary_merge unless the kind's own app gives another.
    merge: Callable[..., Any] | None = None

    @property
    def entries(self) -> Any:
        return self.model if self.model is not None else VOCABULARY_MODELS[self.kind]


KINDS: dict[str, VocabularyKind] = {
    kind.slug: kind
    for kind in (
        VocabularyKind(
            kind=DETENTION_PLACE,
            slug="detention-places",
            label=_("Detention places"),
            label_one=_("detention place"),
            add_label=_("Add a detention place"),
            fields=("name", "region", "kind"),
            search_fields=("name", "region", "kind"),
            uses="cases",
        ),
        VocabularyKind(
            kind=CHARGE,
            slug="charges",
            label=_("Charges"),
            label_one=_("charge"),
            add_label=_("Add a charge"),
            fields=("jurisdiction", "code", "article", "part", "title", "title_ru"),
            search_fields=("code", "article", "title", "title_ru"),
            uses="cases",
        ),
        VocabularyKind(
            kind=AFFILIATION,
            slug="affiliations",
            label=_("Affiliations"),
            label_one=_("affiliation"),
            add_label=_("Add an affiliation"),
            fields=("name", "short_name", "slug", "kind", "banned_as_extremist", "description"),
            search_fields=("name", "short_name"),
            uses="people",
        ),
        VocabularyKind(
            kind=REGION,
            slug="regions",
            label=_("Regions"),
            label_one=_("region"),
            add_label=_("Add a region"),
            fields=("name",),
            search_fields=("name",),
            uses=None,
        ),
    )
}


def vocabulary_kind_for(slug: str) -> VocabularyKind | None:
    return KINDS.get(slug)


def vocabulary_kind_register(kind: VocabularyKind) -> None:
    """Add a vocabulary of another app (advocacy's issuing bodies, from its AppConfig):
    casework never imports advocacy, so advocacy brings its kind here."""
    KINDS[kind.slug] = kind


def vocabulary_entries_list(
    *, kind: VocabularyKind, query: str = "", state: str = CURRENT
) -> QuerySet:
    """The entries of a list page: shared entries in use (CURRENT), every organisation's
    proposals (PROPOSED) or archived ones (ARCHIVED); `query` finds a word of any searched
    field, an alias, or (for charges) "174", "174-1" or "174 ч.1" by article and part. Each
    entry carries `use_count` (cases or people using it; None for regions)."""
    model = kind.entries
    entries = model.objects.all()
    if state == PROPOSED and not kind.proposals:
        entries = entries.none()
    elif state == PROPOSED:
        entries = entries.filter(proposed_by__isnull=False, archived_at__isnull=True)
    elif state == ARCHIVED:
        entries = entries.filter(archived_at__isnull=False)
    else:
        entries = entries.filter(archived_at__isnull=True)
        if kind.proposals:
            entries = entries.filter(proposed_by__isnull=True)
    query = " ".join(query.split())
    if query:
        entries = entries.filter(_search_condition(kind=kind, query=query, entries=entries))
    if kind.uses:
        entries = entries.annotate(use_count=Count(kind.uses, distinct=True))
    if state == PROPOSED and kind.proposals:
        entries = entries.select_related("proposed_by")
    return entries.order_by(*model._meta.ordering, "pk")


def _search_condition(*, kind: VocabularyKind, query: str, entries: QuerySet) -> Q:
    """The entries whose searched fields or aliases hold the query, as written (any case,
    any script's capitals: compared in Python, since SQLite folds only ASCII) or as
    imports match it (vocabulary_key: "ИК 158/2" finds "ИК-158/2"). A vocabulary holds
    hundreds of entries, not a hundred thousand: one query reads their texts."""
    folded = query.casefold()
    keyed = kind.kind in VOCABULARY_MODELS and kind.kind != CHARGE
    key = vocabulary_key(kind=kind.kind, text=query) if keyed else ""
    matched = []
    for row in entries.values("pk", "aliases", *kind.search_fields):
        texts = [str(row[field] or "") for field in kind.search_fields]
        texts += [str(alias) for alias in row["aliases"] or ()]
        if any(folded in text.casefold() for text in texts) or (
            key and any(key in vocabulary_key(kind=kind.kind, text=text) for text in texts)
        ):
            matched.append(row["pk"])
    condition = Q(pk__in=matched)
    if kind.kind == CHARGE:
        numbers = [word for word in re.split(r"\D+", query) if word]
        if numbers:
            article = Q(article=numbers[0]) | Q(article__startswith=f"{numbers[0]}-")
            if len(numbers) > 1:
                # The article recorded without a part is what a case charged under
                # "174 ч.1" is filed under (imports resolve it so): offer it too, rather
                # than an empty list that invites adding a second article 174.
                article = (
                    Q(article=f"{numbers[0]}-{numbers[1]}")
                    | Q(article=numbers[0], part=numbers[1])
                    | Q(article=numbers[0], part="")
                )
            condition |= article
    return condition


def vocabulary_entry_new(*, kind: VocabularyKind) -> Entry:
    return kind.entries()


CHARGE_NUMBER = ("code", "article", "part")


def vocabulary_entry_save(
    *, kind: VocabularyKind, entry: Entry, data: dict[str, Any], by: Actor
) -> Entry:
    """Add a shared entry, or change one: a new name goes through vocabulary_rename (the
    old one stays an alias), the other fields through model_update; one transaction, a
    history row for each save."""
    fields = [field for field in kind.fields if field in data]
    with transaction.atomic():
        if entry.pk is None:
            for field in fields:
                setattr(entry, field, data[field])
            entry.full_clean()
            history_save(instance=entry, by=by)
            return entry
        if "name" in data and data["name"] != entry.name:
            vocabulary_rename(entry=entry, name=data["name"], by=by)
        rest = {field: data[field] for field in fields if field != "name"}
        changed = {field: value for field, value in rest.items() if getattr(entry, field) != value}
        if isinstance(entry, Charge) and changed.keys() & {"code", "article", "part"}:
            # A charge's code, article and part are its name: the old ones stay an alias,
            # as a renamed entry's old name does, so the next file that writes them (and
            # the search) still finds the charge instead of proposing a new one.
            numbered = {name: changed.get(name, getattr(entry, name)) for name in CHARGE_NUMBER}
            changed["aliases"] = aliases_with(
                entry.aliases,
                [charge_key(**{name: getattr(entry, name) for name in CHARGE_NUMBER})],
                keep_out=charge_key(**numbered),
            )
        if changed:
            model_update(instance=entry, data=changed, fields=list(changed), by=by)
    return entry


def vocabulary_merge_targets(*, kind: VocabularyKind, entry: Entry) -> QuerySet:
    """What an entry may merge into: the shared entries of its kind in use, itself
    excluded."""
    targets = kind.entries.objects.filter(archived_at__isnull=True).exclude(pk=entry.pk)
    return targets.filter(proposed_by__isnull=True) if kind.proposals else targets
