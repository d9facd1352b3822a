"""Shared vocabularies that imports cannot pollute: detention places, charges, regions and
affiliations.

A value written in a partner's file is matched to an entry after normalisation
(vocabulary_key: case, punctuation, script, spelling variants, noise words such as
"учреждение" or "г."), through the entries' names and the aliases merged entries left
behind. What matches nothing becomes a **proposed** entry of the importing organisation:
its cases use it at once, other organisations never see it in their forms
(vocabulary_visible, vocabulary_choices), and the host's coordinators decide: accept it,
rename it, or merge it into an existing entry (the merged name is kept as an alias, so the
next file finds it; every case and person follows). Placeholders ("—", "-", "нет", "n/a",
"неизвестно") are empty values, never entries.

Every change leaves a history row with the deciding user (django-simple-history).
"""

from __future__ import annotations

import datetime
import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, TypeAlias

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from casework.models import (
    Affiliation,
    Case,
    Charge,
    DetentionPlace,
    Organisation,
    Person,
    Region,
)
from casework.names import fold_diacritics, fold_token, transliterate
from common.bulk import history_rows, ids_reserve, rows_insert
from common.history import Actor, history_delete, history_save

DETENTION_PLACE = "detention_place"
CHARGE = "charge"
REGION = "region"
AFFILIATION = "affiliation"
# An entry of any vocabulary (affiliation, charge, detention place, region): each has its
# own fields, and the functions below look at the ones its kind has.
Entry: TypeAlias = Any

VOCABULARY_MODELS: dict[str, Any] = {
    DETENTION_PLACE: DetentionPlace,
    CHARGE: Charge,
    REGION: Region,
    AFFILIATION: Affiliation,
}

# Cells that say "nothing known", in the languages partners write.
PLACEHOLDERS = frozenset(
    {
        "",
        "нет",
        "нету",
        "не известно",
        "неизвестно",
        "нет данных",
        "н д",
        "нд",
        "n a",
        "na",
        "none",
        "unknown",
        "not known",
        "белгісіз",
        "жоқ",
        "x",
    }
)
_NOT_LETTERS = re.compile(r"[^\w]+")
# Words that say what kind of thing a place is called, not which one.
_NOISE_WORDS = {
    DETENTION_PLACE: frozenset(
        {"uchrezhdenie", "uchr", "institution", "mekeme", "mekemesi", "g", "gor", "gorod"}
    ),
    REGION: frozenset(
        {
            "g",
            "gor",
            "gorod",
            "city",
            "town",
            "kalasy",
            "kala",
            "k",
            "s",
            "selo",
            "p",
            "pos",
            "poselok",
            "village",
        }
    ),
    AFFILIATION: frozenset(),
    CHARGE: frozenset(),
}


def text_is_placeholder(text: str | None) -> bool:
    """Whether a cell says nothing is known ("—", "-", "нет", "n/a", "неизвестно")."""
    if text is None:
        return True
    words = _NOT_LETTERS.sub(" ", str(text).lower().replace("ё", "е")).replace("_", " ")
    return " ".join(words.split()) in PLACEHOLDERS


@functools.lru_cache(maxsize=65_536)
def vocabulary_key(*, kind: str, text: str) -> str:
    """What a written value is matched by: lower-case Latin (Cyrillic transliterated, Latin
    spelling variants folded as the names module folds them), digits kept, punctuation and
    noise words dropped: "ИК-158/2", "ИК 158/2" and "учреждение ИК-158/2" give one key, as
    "г. Уральск", "Уральск" and "Uralsk" do. "" for a placeholder."""
    if text_is_placeholder(text):
        return ""
    latin = fold_diacritics(transliterate(str(text).replace("ё", "е")))
    words = _NOT_LETTERS.sub(" ", latin).replace("_", " ").split()
    noise = _NOISE_WORDS[kind]
    kept = [word for word in words if word not in noise] or words
    return " ".join(word if word.isdigit() else fold_token(word) for word in kept)


def charge_key(*, code: str, article: str, part: str) -> str:
    """A charge's key: its code, article and part ("cc 2014|174|1")."""
    return f"{code.strip().lower()}|{article.strip().lower()}|{part.strip().lower()}"


def _entry_keys(kind: str, entry: dict[str, Any]) -> list[str]:
    if kind == CHARGE:
        return [
            charge_key(code=entry["code"], article=entry["article"], part=entry["part"]),
            *entry["aliases"],
        ]
    names = [entry["name"], *entry["aliases"]]
    if kind == AFFILIATION and entry.get("short_name"):
        names.append(entry["short_name"])
    return [key for name in names if (key := vocabulary_key(kind=kind, text=name))]


def vocabulary_visible(*, kind: str, organisation: Organisation | None) -> QuerySet:
    """The entries an organisation's forms and lists offer: every accepted entry, and the
    organisation's own proposals; never another organisation's proposals, never archived
    entries."""
    model = VOCABULARY_MODELS[kind]
    mine = Q(proposed_by=organisation) if organisation is not None else Q(pk__in=[])
    return model.objects.filter(Q(proposed_by__isnull=True) | mine, archived_at__isnull=True)


def vocabulary_choices(
    *, kind: str, organisation: Organisation | None, keep: Iterable[int | None] | QuerySet = ()
) -> QuerySet:
    """vocabulary_visible, and the entries a record already uses (`keep`: ids, or a query
    of them), so that editing a record another organisation filled in never drops its
    value."""
    model = VOCABULARY_MODELS[kind]
    visible = vocabulary_visible(kind=kind, organisation=organisation).values("pk")
    kept = keep if isinstance(keep, QuerySet) else [pk for pk in keep if pk]
    return model.objects.filter(Q(pk__in=visible) | Q(pk__in=kept))


def vocabulary_index(*, kind: str, organisation: Organisation, value: str = "pk") -> dict[str, Any]:
    """Key -> entry id (or another field of the entry: `value`) over the entries the
    organisation may use (names and aliases), in one query: accepted entries before
    proposals, older before newer, when keys clash."""
    fields = ["pk", "aliases", "proposed_by_id"]
    fields += ["code", "article", "part"] if kind == CHARGE else ["name"]
    if kind == AFFILIATION:
        fields.append("short_name")
    index: dict[str, Any] = {}
    entries = vocabulary_visible(kind=kind, organisation=organisation).values(*fields)
    for entry in sorted(
        entries, key=lambda entry: (entry["proposed_by_id"] is not None, entry["pk"])
    ):
        for key in _entry_keys(kind, entry):
            index.setdefault(key, entry[value])
    return index


def vocabulary_resolve(*, kind: str, text: str, organisation: Organisation) -> models.Model | None:
    """The entry a written value means for this organisation, or None (a placeholder, or a
    value no entry the organisation may use has: see vocabulary_propose). Not for charges,
    which charges_resolve matches by code, article and part."""
    key = vocabulary_key(kind=kind, text=text)
    if not key:
        return None
    entry_id = vocabulary_index(kind=kind, organisation=organisation).get(key)
    return VOCABULARY_MODELS[kind].objects.get(pk=entry_id) if entry_id else None


def vocabulary_propose(
    *,
    kind: str,
    names: list[str],
    organisation: Organisation,
    by,
    now: datetime.datetime | None = None,
    known: dict[str, Any] | None = None,
) -> dict[str, int]:
    """Create a proposed entry of the organisation for each name (detention places,
    regions, affiliations); returns key -> id. Names whose key an entry the organisation
    may use already has (`known`: vocabulary_index, when the caller has it) are not
    created again."""
    if not names:
        return {}
    now = now or timezone.now()
    index = known if known is not None else vocabulary_index(kind=kind, organisation=organisation)
    wanted: dict[str, str] = {}
    for name in names:
        key = vocabulary_key(kind=kind, text=name)
        if key and key not in index:
            wanted.setdefault(key, " ".join(str(name).split())[:200])
    if not wanted:
        return {}
    model = VOCABULARY_MODELS[kind]
    # A name another organisation proposed (invisible here) is unique in the table: this
    # organisation's proposal is told apart by a suffix nobody else can see.
    taken = set(model.objects.filter(name__in=list(wanted.values())).values_list("name", flat=True))
    entries = []
    for name in wanted.values():
        if name in taken:
            name = f"{name[:180]} ({organisation.slug[:17]})"
        entries.append(_entry_new(kind=kind, name=name, organisation=organisation))
    created = bulk_create_with_history(
        entries, model, batch_size=500, default_user=by, default_date=now
    )
    return {key: entry.pk for key, entry in zip(wanted, created, strict=True)}


def _entry_new(*, kind: str, name: str, organisation: Organisation) -> Entry:
    if kind == AFFILIATION:
        from django.utils.text import slugify

        slug = f"{slugify(transliterate(name))[:60] or 'affiliation'}-{organisation.pk}"
        return Affiliation(
            name=name,
            slug=slug[:80],
            kind=Affiliation.Kind.MOVEMENT,
            proposed_by=organisation,
        )
    return VOCABULARY_MODELS[kind](name=name, proposed_by=organisation)


def charges_resolve(
    *, references: Iterable[tuple[str, str, str]], organisation: Organisation
) -> dict[tuple[str, str, str], int]:
    """(code, article, part) -> the charge it means, among those the organisation may use:
    the same code, article and part, or an alias a merge left; without a part, the one
    charge of that article if there is only one; "174-1" written without a part, article
    174 part 1 when no article 174-1 is recorded. References nothing matches are left out
    (see charges_propose)."""
    index = vocabulary_index(kind=CHARGE, organisation=organisation)
    by_article: dict[tuple[str, str], set[int]] = defaultdict(set)
    for key, pk in index.items():
        code, article, _part = key.split("|")
        by_article[(code, article)].add(pk)
    resolved = {}
    for code, article, part in references:
        pk = index.get(charge_key(code=code, article=article, part=part))
        if pk is None and not part:
            only = by_article.get((code.strip().lower(), article.strip().lower()), set())
            if len(only) == 1:
                pk = next(iter(only))
            elif not only and "-" in article:
                base, _, number = article.partition("-")
                pk = index.get(charge_key(code=code, article=base, part=number))
        if pk is not None:
            resolved[(code, article, part)] = pk
    return resolved


def charges_propose(
    *, references: list[tuple[str, str, str, str]], organisation: Organisation, by, now
) -> dict[tuple[str, str, str], int]:
    """Create a proposed charge of the organisation for each (code, article, part, title);
    returns (code, article, part) -> id."""
    if not references:
        return {}
    entries = [
        Charge(
            jurisdiction="KZ",
            code=code,
            article=article,
            part=part,
            title=title,
            proposed_by=organisation,
        )
        for code, article, part, title in references
    ]
    created = bulk_create_with_history(
        entries, Charge, batch_size=500, default_user=by, default_date=now
    )
    return {(charge.code, charge.article, charge.part): charge.pk for charge in created}


# --- Review: accept, rename, merge, archive ---------------------------------------------------


def vocabulary_proposals(*, kind: str) -> QuerySet:
    """Every organisation's proposals, for the host's coordinators to review."""
    return VOCABULARY_MODELS[kind].objects.filter(proposed_by__isnull=False)


def _saved(entry: Entry, *, by: Actor, fields: list[str]) -> Entry:
    history_save(instance=entry, by=by, update_fields=fields)
    return entry


def vocabulary_accept(*, entry: Entry, by) -> Entry:
    """A proposal becomes a shared entry, offered to every organisation."""
    entry.proposed_by = None
    return _saved(entry, by=by, fields=["proposed_by"])


def vocabulary_rename(*, entry: Entry, name: str, by) -> Entry:
    """Give an entry another name; the old one is kept as an alias (so files that write it
    still find the entry), and people whose region it was follow."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("The name is empty.")})
    if isinstance(entry, Charge):
        raise ValidationError({"name": _("A charge is named by its code, article and part.")})
    model = type(entry)
    if model.objects.filter(name=name).exclude(pk=entry.pk).exists():
        raise ValidationError(
            {
                "name": _("Another entry is called “%(name)s”: merge into it instead.")
                % {"name": name}
            }
        )
    old = entry.name
    with transaction.atomic():
        entry.aliases = aliases_with(entry.aliases, [old], keep_out=name)
        entry.name = name
        _saved(entry, by=by, fields=["name", "aliases"])
        if isinstance(entry, Region):
            _people_regions_rename(names=[old], to=name, by=by)
    return entry


def vocabulary_merge(*, entry: Entry, into: Entry, by) -> Entry:
    """Merge an entry into another of its kind: every case (or person) that used it uses
    `into` now, with a history row each; its name and aliases become aliases of `into`;
    the merged entry is deleted (its history keeps it)."""
    if type(entry) is not type(into) or entry.pk == into.pk:
        raise ValidationError(_("An entry merges only into another entry of its kind."))
    now = timezone.now()
    with transaction.atomic():
        locked = type(entry).objects.select_for_update().filter(pk__in=[entry.pk, into.pk])
        list(locked)
        if isinstance(entry, DetentionPlace):
            _cases_place_move(entry=entry, into=into, by=by, now=now)
        elif isinstance(entry, Charge):
            _links_move(model=Case, m2m="charges", entry=entry, into=into, by=by, now=now)
        elif isinstance(entry, Affiliation):
            _links_move(model=Person, m2m="affiliations", entry=entry, into=into, by=by, now=now)
        elif isinstance(entry, Region):
            _people_regions_rename(names=[entry.name, *entry.aliases], to=into.name, by=by)
        merged_names = (
            [charge_key(code=entry.code, article=entry.article, part=entry.part)]
            if isinstance(entry, Charge)
            else [entry.name]
        )
        into.aliases = aliases_with(
            into.aliases, [*merged_names, *entry.aliases], keep_out=getattr(into, "name", "")
        )
        _saved(into, by=by, fields=["aliases"])
        history_delete(instance=entry, by=by)  # the deletion's row names who merged it
    return into


def vocabulary_archive(*, entry: Entry, by) -> Entry:
    """No longer offered in forms nor matched by imports; records that use it keep it."""
    entry.archived_at = timezone.now()
    return _saved(entry, by=by, fields=["archived_at"])


def vocabulary_restore(*, entry: Entry, by) -> Entry:
    entry.archived_at = None
    return _saved(entry, by=by, fields=["archived_at"])


def aliases_with(aliases: list[str], more: Iterable[str], *, keep_out: str) -> list[str]:
    """`aliases` and then `more`, each once, without blanks and without `keep_out` (the
    entry's own name)."""
    merged = list(dict.fromkeys([*aliases, *(name for name in more if name and name != keep_out)]))
    return merged


def _cases_place_move(*, entry, into, by, now) -> None:
    cases = list(Case.objects.filter(detention_place=entry))
    for case in cases:
        case.detention_place = into
        case.updated_at = now
    bulk_update_with_history(
        cases,
        Case,
        ["detention_place", "updated_at"],
        batch_size=500,
        default_user=by,
        default_date=now,
    )


def _links_move(*, model, m2m: str, entry, into, by, now) -> None:
    """Every record linked to `entry` through model.<m2m> (cases to a charge, people to an
    affiliation) is linked to `into` instead, once, with a history row each."""
    manager = getattr(model, m2m)
    through = manager.through
    owner = f"{model._meta.model_name}_id"
    other = f"{manager.field.m2m_reverse_field_name()}_id"
    owner_ids = list(through.objects.filter(**{other: entry.pk}).values_list(owner, flat=True))
    if not owner_ids:
        return
    already = set(
        through.objects.filter(**{other: into.pk, f"{owner}__in": owner_ids}).values_list(
            owner, flat=True
        )
    )
    through.objects.filter(**{other: entry.pk}).delete()
    moved = [owner_id for owner_id in owner_ids if owner_id not in already]
    link_ids = ids_reserve(model=through, count=len(moved))
    rows_insert(
        model=through,
        rows=[
            {"id": link_id, owner: owner_id, other: into.pk}
            for link_id, owner_id in zip(link_ids, moved, strict=True)
        ],
    )
    _m2m_history_record(model=model, m2m=m2m, ids=owner_ids, by=by, now=now)


def _m2m_history_record(*, model, m2m: str, ids: list[int], by, now) -> None:
    """A history row for each record whose many-to-many links changed, listing its links
    as simple_history does (the through rows, their ids included)."""
    history_model = model.history.model
    tracked = [field.attname for field in history_model.tracked_fields]
    records = list(model.objects.filter(pk__in=ids).values(*tracked))
    history = history_rows(
        model=model,
        rows=records,
        user_id=by.pk if by is not None else None,
        when=now,
        history_type="~",
        history_ids=ids_reserve(model=history_model, count=len(records)),
    )
    rows_insert(model=history_model, rows=history)
    through = getattr(model, m2m).through
    owner = f"{model._meta.model_name}_id"
    other = getattr(model, m2m).field.m2m_reverse_field_name()
    links: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for link_id, owner_id, other_id in through.objects.filter(**{f"{owner}__in": ids}).values_list(
        "pk", owner, f"{other}_id"
    ):
        links[owner_id].append((link_id, other_id))
    rows_insert(
        model=getattr(history_model, m2m).model,
        rows=[
            {
                "history_id": record["history_id"],
                "id": link_id,
                owner: record["id"],
                f"{other}_id": other_id,
            }
            for record in history
            for link_id, other_id in links.get(record["id"], ())
        ],
    )


def _people_regions_rename(*, names: list[str], to: str, by) -> None:
    """People whose region is written as one of `names` (as they key) take `to`."""
    keys = {vocabulary_key(kind=REGION, text=name) for name in names} - {""}
    if not keys:
        return
    now = timezone.now()
    written = (
        Person.objects.exclude(region="")
        .exclude(region=to)
        .values_list("region", flat=True)
        .distinct()
    )
    matching = {region for region in written if vocabulary_key(kind=REGION, text=region) in keys}
    people = list(Person.objects.filter(region__in=matching))
    for person in people:
        person.region = to
        person.updated_at = now
    bulk_update_with_history(
        people, Person, ["region", "updated_at"], batch_size=500, default_user=by, default_date=now
    )
