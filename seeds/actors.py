"""The seed actors (seeds/actors.yaml): the people and bodies the seed texts name, their
positions and what they said or did, each with the passage that says so.

`actors_seeds_load` checks the whole file first (every field, every quote against the
seed text it cites, every document key against documents.yaml) and raises SeedError
naming the record and field; then writes it in one transaction, matching actors by name
and positions and facts by their seed key, so loading again changes nothing. It runs
after the other seeds (load_seeds), since facts point at the seed documents.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.db import models, transaction

from advocacy.actors import actors_refresh_name_keys
from advocacy.models import Actor, ActorAlias, ActorFact, Document, Position
from advocacy.updates import fields_set
from casework.models import Provenance
from seeds.loader import SEED_DIRECTORY, TEXTS_FOLDER, seeds_read
from seeds.provenance import ProvenanceSeed, provenance_write
from seeds.records import Record, SeedError, record_list, text_normalise
from seeds.writing import Tally

FILE = "actors.yaml"
SEED_KEY_PREFIX = "seed:"
ACTOR_KINDS = (
    "mep",
    "official",
    "ambassador",
    "institution",
    "minister",
    "mp",
    "un_mandate",
    "other",
)


@dataclass(frozen=True)
class PositionSeed:
    kind: str
    role: str
    body: str
    body_code: str
    institution: str
    source: str
    provenance: tuple[ProvenanceSeed, ...] = ()

    def values(self) -> dict[str, str]:
        """The Position row's fields."""
        return {
            name: getattr(self, name)
            for name in ("kind", "role", "body", "body_code", "institution", "source")
        }


@dataclass(frozen=True)
class FactSeed:
    summary: str
    happened_on: datetime.date | None
    document_key: str
    source: str
    provenance: tuple[ProvenanceSeed, ...] = ()


@dataclass
class ActorSeed:
    key: str
    name: str
    family_name: str
    kind: str
    country: str
    country_code: str
    aliases: tuple[str, ...]
    source: str
    provenance: tuple[ProvenanceSeed, ...] = ()
    positions: list[PositionSeed] = field(default_factory=list)
    facts: list[FactSeed] = field(default_factory=list)


@dataclass(frozen=True)
class Sourced:
    """The seed texts a record comes from and its quotes, each checked against its text."""

    sources: tuple[str, ...]
    quotes: tuple[tuple[str, str], ...]  # (source file, quote)

    def provenance(self, where: str) -> tuple[ProvenanceSeed, ...]:
        """The quotes as Provenance entries (each backing the whole record), so the record's
        page links each to its sentence; a source without a quote, to its document."""
        quoted = {name for name, _quote in self.quotes}
        pairs = [*self.quotes, *((name, "") for name in self.sources if name not in quoted)]
        return tuple(
            ProvenanceSeed(
                facts=(),
                basis=Provenance.Basis.STATED,
                text=name,
                quote=quote,
                reference="",
                note="",
                where=where,
            )
            for name, quote in pairs
        )

    def describe(self) -> str:
        lines = [f"Seed document {name}" for name in self.sources]
        lines += [f"{name}: “{quote}”" for name, quote in self.quotes]
        return "\n".join(dict.fromkeys(lines))


def _checked_quote(record: Record, name: str, quote: str, sources: tuple[str, ...]) -> str:
    needle = text_normalise(quote)
    for source in sources:
        if needle in record.texts[source]:
            return source
    raise record.error(name, f"the quote is not in {', '.join(sources)}: {quote[:80]!r}")


def _origin(record: Record, *, inherited: tuple[str, ...] = ()) -> Sourced:
    """The record's `source` (seed texts) and its quotes, each found verbatim in its text:
    a quote that is not in its source is a seed error."""
    sources = record.strings("source") or inherited
    if not sources:
        raise record.error("source", "is required: name the seed text this comes from")
    for source in sources:
        if source not in record.texts:
            known = ", ".join(sorted(record.texts))
            raise record.error("source", f"{source!r} is not a seed text ({known})")
    quotes: list[tuple[str, str]] = []
    single = record.text("quote")
    if single:
        quotes.append((_checked_quote(record, "quote", single, sources), single))
    for item in record.records("quotes", label="quote"):
        item_sources = item.strings("source") or sources
        quote = item.text("quote", required=True)
        quotes.append((_checked_quote(item, "quote", quote, item_sources), quote))
        item.finish()
    return Sourced(sources=tuple(sources), quotes=tuple(quotes))


def _document_keys(directory: Path) -> dict[str, dict]:
    """documents.yaml's records by key, to find the Document each fact is about."""
    return {
        record["key"]: record
        for record in record_list(directory, "documents.yaml", key="documents")
        if isinstance(record, dict) and "key" in record
    }


def actors_seeds_read(*, directory: Path | None = None) -> list[ActorSeed]:
    directory = directory or SEED_DIRECTORY
    texts = {
        path.name: text_normalise(path.read_text(encoding="utf-8"))
        for path in sorted((directory / TEXTS_FOLDER).glob("*.txt"))
    }
    documents = _document_keys(directory)
    seeds: list[ActorSeed] = []
    seen: set[str] = set()
    for index, data in enumerate(record_list(directory, FILE), start=1):
        record = Record(file=FILE, where=f"actor {index}", data=data, texts=texts)
        key = record.text("key", required=True)
        record.where += f" ({key})"
        if key in seen:
            raise record.error("key", f"{key!r} appears twice")
        seen.add(key)
        origin = _origin(record)
        seed = ActorSeed(
            key=key,
            name=record.text("name", required=True),
            family_name=record.text("family_name"),
            kind=record.text("kind", required=True, choices=ACTOR_KINDS),
            country=record.text("country"),
            country_code=record.text("country_code"),
            aliases=record.strings("aliases"),
            source=origin.describe(),
            provenance=origin.provenance(record.where),
        )
        for item in record.records("positions", label="position"):
            item_origin = _origin(item, inherited=origin.sources)
            seed.positions.append(
                PositionSeed(
                    kind=item.text("kind", required=True, choices=Position.Kind.values),
                    role=item.text("role") or Position.Role.MEMBER,
                    body=item.text("body", required=True),
                    body_code=item.text("body_code"),
                    institution=item.text("institution"),
                    source=item_origin.describe(),
                    provenance=item_origin.provenance(item.where),
                )
            )
            if seed.positions[-1].role not in Position.Role.values:
                raise item.error("role", f"{seed.positions[-1].role!r} is not a role")
            item.finish()
        for item in record.records("facts", label="fact"):
            item_origin = _origin(item, inherited=origin.sources)
            document_key = item.text("document")
            if document_key and document_key not in documents:
                raise item.error("document", f"{document_key!r} is not a key of documents.yaml")
            note = item.text("date_note")
            seed.facts.append(
                FactSeed(
                    summary=item.text("summary", required=True),
                    happened_on=item.date("date"),
                    document_key=document_key,
                    source="\n".join(part for part in (item_origin.describe(), note) if part),
                    provenance=item_origin.provenance(item.where),
                )
            )
            item.finish()
        record.finish()
        seeds.append(seed)
    return seeds


def _documents_by_key(directory: Path, keys: set[str]) -> dict[str, Document | None]:
    records = _document_keys(directory)
    found: dict[str, Document | None] = {}
    for key in keys:
        record = records[key]
        documents = Document.objects.all()
        if record.get("reference"):
            documents = documents.filter(reference=record["reference"])
        else:
            documents = documents.filter(title=str(record.get("title", "")).strip())
        found[key] = documents.first()
    return found


def _upsert(model, stored: dict, key: str, values: dict):
    """Create the row of this seed key, or change it if the seed changed; else nothing
    (no save, so no history row). Returns the row."""
    row = stored.get(key)
    if row is None:
        row = model.objects.create(source_key=key, **values)
    elif fields_set(row, values):
        row.save()
    return row


def _documents_by_text(directory: Path) -> dict[str, models.Model]:
    """The Document holding each seed text, for the Provenance rows' links."""
    seeds = seeds_read(directory=directory)
    found = _documents_by_key(directory, set(seeds.documents_by_text.values()))
    return {
        text: document
        for text, key in seeds.documents_by_text.items()
        if (document := found.get(key)) is not None
    }


def actors_seeds_load(*, directory: Path | None = None) -> dict[str, int]:
    """Check seeds/actors.yaml, then write it in one transaction (idempotent)."""
    directory = directory or SEED_DIRECTORY
    seeds = actors_seeds_read(directory=directory)
    if not seeds:
        raise SeedError(f"{FILE}: no actors")
    documents = _documents_by_key(
        directory, {fact.document_key for seed in seeds for fact in seed.facts if fact.document_key}
    )
    with transaction.atomic():
        existing = {
            actor.name: actor
            for actor in Actor.objects.filter(name__in=[seed.name for seed in seeds])
        }
        stored = {
            row.source_key: row
            for model in (Position, ActorFact)
            for row in model.objects.filter(source_key__startswith=SEED_KEY_PREFIX)
        }
        refreshed: list[int] = []
        sourced: list[tuple[models.Model, tuple[ProvenanceSeed, ...]]] = []
        positions = facts = 0
        for seed in seeds:
            wanted = {
                "kind": seed.kind,
                "family_name": seed.family_name,
                "country": seed.country,
                "country_code": seed.country_code,
                "source": seed.source,
            }
            actor = existing.get(seed.name)
            if actor is None:
                actor = Actor(name=seed.name, origin=Actor.Origin.SEED, **wanted)
                actor.save()
                refreshed.append(actor.pk)
            elif actor.origin == Actor.Origin.SEED and fields_set(actor, wanted):
                actor.save()
            before = ActorAlias.objects.filter(actor=actor).count()
            ActorAlias.objects.bulk_create(
                [ActorAlias(actor=actor, name=alias) for alias in seed.aliases],
                ignore_conflicts=True,
            )
            if ActorAlias.objects.filter(actor=actor).count() != before:
                refreshed.append(actor.pk)
            sourced.append((actor, seed.provenance))
            for number, position in enumerate(seed.positions, start=1):
                row = _upsert(
                    Position,
                    stored,
                    f"{SEED_KEY_PREFIX}{seed.key}:position:{number}",
                    {"actor_id": actor.pk, **position.values()},
                )
                sourced.append((row, position.provenance))
                positions += 1
            for number, fact in enumerate(seed.facts, start=1):
                document = documents.get(fact.document_key)
                row = _upsert(
                    ActorFact,
                    stored,
                    f"{SEED_KEY_PREFIX}{seed.key}:fact:{number}",
                    {
                        "actor_id": actor.pk,
                        "summary": fact.summary,
                        "happened_on": fact.happened_on,
                        "document_id": document.pk if document else None,
                        "source": fact.source,
                    },
                )
                sourced.append((row, fact.provenance))
                facts += 1
        actors_refresh_name_keys(actor_ids=refreshed)
        provenance_write(
            items=sourced, documents_by_text=_documents_by_text(directory), tally=Tally()
        )
    return {"actors": len(seeds), "actor_positions": positions, "actor_facts": facts}
