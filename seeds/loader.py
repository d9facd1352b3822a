"""Load the demo data drawn from the seed documents (seeds/*.yaml, seeds/texts/*.txt).

Two steps, so a bad record writes nothing: `seeds_read` parses and checks every file
(every field, every cross-reference, every quote against the seed text it cites) and
raises SeedError naming the file, the record and the field; `seeds_load` then writes
everything in one transaction, matching existing rows by natural key, so running it
again changes nothing and adds no history rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from simple_history.utils import bulk_create_with_history

from advocacy.models import Document, IssuingBody, Mention
from casework.models import (
    Affiliation,
    Case,
    CaseEvent,
    Charge,
    Confidentiality,
    Organisation,
    Person,
    PersonAlias,
    Status,
)
from casework.status import case_change_status

SEED_DIRECTORY = Path(__file__).resolve().parent
TEXTS_FOLDER = "texts"
# Records that come from the project's design rather than a seed text name it instead.
NON_DOCUMENT_SOURCES = frozenset({"DESIGN.md"})
HOST_SLUG = "demo-ngo"

CONCERN_FIELDS = {
    "torture": "concern_torture",
    "health": "concern_health",
    "incommunicado": "concern_incommunicado",
    "family_harassment": "concern_family_harassment",
    "transnational_repression": "concern_transnational_repression",
}
DEMAND_FIELDS = {
    "release": "demands_release",
    "investigation": "demands_investigation",
    "end_of_harassment": "demands_end_of_harassment",
    "medical_care": "demands_medical_care",
    "fair_trial": "demands_fair_trial",
}
CASE_DATE_FIELDS = (
    "detained_on",
    "charged_on",
    "sentenced_on",
    "expected_release_on",
    "released_on",
)


class _SeedYamlLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """libyaml when available (the loader runs on every `make run`); dates stay text, so
    an impossible date is reported with its file, record and field, not as a YAML crash."""


_SeedYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class SeedError(Exception):
    """A seed file is wrong; the message names the file, the record and the field."""


def text_normalise(text: str) -> str:
    """Whitespace-insensitive form, so a quote folded over several YAML lines still matches."""
    return " ".join(text.split())


# --- Parsed seed records -------------------------------------------------------------


@dataclass(frozen=True)
class Sourced:
    sources: tuple[str, ...]
    quotes: tuple[tuple[str, str], ...]  # (source file, quote)

    def describe(self) -> str:
        lines = [f"Seed document {name}" for name in self.sources]
        lines += [f"{name}: “{quote}”" for name, quote in self.quotes]
        return "\n".join(dict.fromkeys(lines))


@dataclass(frozen=True)
class OrganisationSeed:
    slug: str
    name: str
    kind: str
    country: str
    origin: Sourced


@dataclass(frozen=True)
class IssuingBodySeed:
    key: str
    name: str
    short_name: str
    kind: str
    origin: Sourced


@dataclass(frozen=True)
class AffiliationSeed:
    slug: str
    name: str
    short_name: str
    kind: str
    banned_as_extremist: bool
    description: str
    origin: Sourced


@dataclass(frozen=True)
class ChargeSeed:
    jurisdiction: str
    code: str
    article: str
    part: str
    title: str
    origin: Sourced

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.jurisdiction, self.code, self.article, self.part)


@dataclass(frozen=True)
class DocumentSeed:
    key: str
    kind: str
    issuing_body: str
    title: str
    reference: str
    procedure: str
    issued_on: datetime.date
    url: str
    language: str
    full_text: str
    votes_for: int | None
    votes_against: int | None
    votes_abstained: int | None
    date_note: str
    origin: Sourced


@dataclass(frozen=True)
class StatusEventSeed:
    status: str
    on: datetime.date
    document: str
    note: str
    origin: Sourced


@dataclass(frozen=True)
class EventSeed:
    kind: str
    on: datetime.date
    description: str
    origin: Sourced


@dataclass(frozen=True)
class CaseSeed:
    reference: str
    sentence: str
    summary: str
    concerns: tuple[str, ...]
    charges: tuple[tuple[str, str, str, str], ...]
    dates: dict[str, datetime.date | None]
    status_events: tuple[StatusEventSeed, ...]
    events: tuple[EventSeed, ...]
    origin: Sourced


@dataclass(frozen=True)
class PersonSeed:
    full_name: str
    native_name: str
    aliases: tuple[str, ...]
    gender: str
    occupation: str
    region: str
    birth_year: int | None
    affiliations: tuple[str, ...]
    biography: str
    cases: tuple[CaseSeed, ...]
    origin: Sourced


@dataclass(frozen=True)
class MentionSeed:
    document: str
    case: str
    passage: str
    matched_text: str
    demands: tuple[str, ...]
    demand_quote: str
    origin: Sourced


@dataclass
class Seeds:
    organisations: list[OrganisationSeed] = field(default_factory=list)
    issuing_bodies: list[IssuingBodySeed] = field(default_factory=list)
    affiliations: list[AffiliationSeed] = field(default_factory=list)
    charges: list[ChargeSeed] = field(default_factory=list)
    documents: list[DocumentSeed] = field(default_factory=list)
    people: list[PersonSeed] = field(default_factory=list)
    mentions: list[MentionSeed] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)


# --- Reading and checking ----------------------------------------------------------------


class Record:
    """One YAML mapping being read; every error it raises names file, record and field."""

    def __init__(self, *, file: str, where: str, data: Any, texts: dict[str, str]):
        self.file = file
        self.where = where
        self.texts = texts
        if not isinstance(data, dict):
            raise self.error(None, f"expected a mapping, got {type(data).__name__}")
        self.data = data
        self.used: set[str] = set()

    def error(self, name: str | None, message: str) -> SeedError:
        field_part = f", field '{name}'" if name else ""
        return SeedError(f"{self.file}: {self.where}{field_part}: {message}")

    def raw(self, name: str, *, required: bool) -> Any:
        self.used.add(name)
        value = self.data.get(name)
        if value is None and required:
            raise self.error(name, "is required")
        return value

    def text(self, name: str, *, required: bool = False, choices=None) -> str:
        value = self.raw(name, required=required)
        if value is None:
            value = ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise self.error(name, f"expected text, got {type(value).__name__}")
        value = value.strip()
        if required and not value:
            raise self.error(name, "must not be empty")
        if choices is not None and value not in choices:
            raise self.error(name, f"{value!r} is not one of {', '.join(sorted(choices))}")
        return value

    def date(self, name: str, *, required: bool = False) -> datetime.date | None:
        value = self.raw(name, required=required)
        if value is None:
            return None
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                pass
        raise self.error(name, f"{value!r} is not a date (YYYY-MM-DD)")

    def integer(self, name: str, *, minimum: int = 0) -> int | None:
        value = self.raw(name, required=False)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.error(name, f"{value!r} is not a whole number of at least {minimum}")
        return value

    def boolean(self, name: str) -> bool:
        value = self.raw(name, required=False)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.error(name, f"{value!r} is not true or false")
        return value

    def strings(self, name: str, *, choices=None) -> tuple[str, ...]:
        value = self.raw(name, required=False)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.error(name, "expected a list of text")
        items = tuple(item.strip() for item in value)
        if choices is not None:
            for item in items:
                if item not in choices:
                    raise self.error(name, f"{item!r} is not one of {', '.join(sorted(choices))}")
        return items

    def records(self, name: str, *, label: str) -> list[Record]:
        value = self.raw(name, required=False)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(name, "expected a list")
        return [
            Record(
                file=self.file,
                where=f"{self.where} > {label} {index}",
                data=item,
                texts=self.texts,
            )
            for index, item in enumerate(value, start=1)
        ]

    def quote_found(self, quote: str, sources: tuple[str, ...]) -> str | None:
        needle = text_normalise(quote)
        for source in sources:
            if source in self.texts and needle in self.texts[source]:
                return source
        return None

    def origin(self, *, inherited: tuple[str, ...] = (), quote_field: str = "quote") -> Sourced:
        """The record's `source` (one or several seed files) and quotes, each checked
        against the seed texts: a quote that is not in its source is a seed error."""
        sources = self.strings("source") or inherited
        if not sources:
            raise self.error("source", "is required: name the seed document this comes from")
        for source in sources:
            if source not in self.texts and source not in NON_DOCUMENT_SOURCES:
                known = ", ".join(sorted(self.texts))
                raise self.error("source", f"{source!r} is not a seed document ({known})")
        quotes: list[tuple[str, str]] = []
        single = self.text(quote_field)
        if single:
            quotes.append((self.checked_quote(quote_field, single, sources), single))
        for item in self.records("quotes", label="quote"):
            item_sources = item.strings("source") or sources
            quote = item.text("quote", required=True)
            quotes.append((item.checked_quote("quote", quote, item_sources), quote))
            item.finish()
        return Sourced(sources=tuple(sources), quotes=tuple(quotes))

    def checked_quote(self, name: str, quote: str, sources: tuple[str, ...]) -> str:
        text_sources = tuple(source for source in sources if source in self.texts)
        if not text_sources:
            return sources[0]  # design sources are not texts we hold; nothing to check
        found = self.quote_found(quote, text_sources)
        if found is None:
            raise self.error(name, f"the quote is not in {', '.join(text_sources)}: {quote[:80]!r}")
        return found

    def finish(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise self.error(unknown[0], "is not a field this file knows (a typo?)")


def _load_yaml(directory: Path, name: str) -> Any:
    path = directory / name
    if not path.exists():
        raise SeedError(f"{name}: the file is missing from {directory}")
    try:
        with path.open(encoding="utf-8") as stream:
            return yaml.load(stream, Loader=_SeedYamlLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as error:
        raise SeedError(f"{name}: not valid YAML: {error}") from error


def _record_list(directory: Path, name: str, *, key: str | None = None) -> list[Any]:
    data = _load_yaml(directory, name)
    if key is not None:
        if not isinstance(data, dict) or key not in data:
            raise SeedError(f"{name}: expected a mapping with a '{key}' list")
        unknown = sorted(name for name in data if name != key and not str(name).startswith("_"))
        if unknown:
            raise SeedError(f"{name}: top-level key '{unknown[0]}' is not known")
        data = data[key]
    if not isinstance(data, list):
        raise SeedError(f"{name}: expected a list of records")
    return data


def _unique(file: str, seen: set, key, where: str, what: str) -> None:
    if key in seen:
        raise SeedError(f"{file}: {where}: {what} {key!r} appears twice")
    seen.add(key)


def seeds_read(*, directory: Path | None = None) -> Seeds:
    """Parse and check every seed file; raise SeedError at the first bad record."""
    directory = directory or SEED_DIRECTORY
    texts_directory = directory / TEXTS_FOLDER
    raw_texts = {
        path.name: path.read_text(encoding="utf-8")
        for path in sorted(texts_directory.glob("*.txt"))
    }
    if not raw_texts:
        raise SeedError(f"{TEXTS_FOLDER}/: no seed texts (*.txt) in {texts_directory}")
    texts = {name: text_normalise(text) for name, text in raw_texts.items()}
    seeds = Seeds(texts=raw_texts)

    def records(file: str, *, key: str | None = None, label: str = "record"):
        for index, data in enumerate(_record_list(directory, file, key=key), start=1):
            yield Record(file=file, where=f"{label} {index}", data=data, texts=texts)

    seen: set = set()
    for record in records("organisations.yaml"):
        slug = record.text("slug", required=True)
        record.where += f" ({slug})"
        _unique(record.file, seen, slug, record.where, "slug")
        seeds.organisations.append(
            OrganisationSeed(
                slug=slug,
                name=record.text("name", required=True),
                kind=record.text("kind", required=True, choices=Organisation.Kind.values),
                country=record.text("country"),
                origin=record.origin(),
            )
        )
        record.finish()
    if HOST_SLUG not in {seed.slug for seed in seeds.organisations}:
        raise SeedError(f"organisations.yaml: the host organisation '{HOST_SLUG}' is missing")

    seen = set()
    for record in records("issuing_bodies.yaml"):
        key = record.text("key", required=True)
        record.where += f" ({key})"
        _unique(record.file, seen, key, record.where, "key")
        seeds.issuing_bodies.append(
            IssuingBodySeed(
                key=key,
                name=record.text("name", required=True),
                short_name=record.text("short_name"),
                kind=record.text("kind", required=True, choices=IssuingBody.Kind.values),
                origin=record.origin(),
            )
        )
        record.finish()
    body_keys = {seed.key for seed in seeds.issuing_bodies}

    seen = set()
    for record in records("affiliations.yaml"):
        slug = record.text("slug", required=True)
        record.where += f" ({slug})"
        _unique(record.file, seen, slug, record.where, "slug")
        seeds.affiliations.append(
            AffiliationSeed(
                slug=slug,
                name=record.text("name", required=True),
                short_name=record.text("short_name"),
                kind=record.text("kind", required=True, choices=Affiliation.Kind.values),
                banned_as_extremist=record.boolean("banned_as_extremist"),
                description=record.text("description"),
                origin=record.origin(),
            )
        )
        record.finish()
    affiliation_slugs = {seed.slug for seed in seeds.affiliations}

    seen = set()
    for record in records("charges.yaml"):
        charge = ChargeSeed(
            jurisdiction=record.text("jurisdiction", required=True),
            code=record.text("code", required=True),
            article=record.text("article", required=True),
            part=record.text("part"),
            title=record.text("title", required=True),
            origin=record.origin(),
        )
        record.where += f" (art. {charge.article})"
        _unique(record.file, seen, charge.key, record.where, "charge")
        seeds.charges.append(charge)
        record.finish()
    charge_keys = {seed.key for seed in seeds.charges}

    seen = set()
    references: set[str] = set()
    for record in records("documents.yaml"):
        key = record.text("key", required=True)
        record.where += f" ({key})"
        _unique(record.file, seen, key, record.where, "key")
        body = record.text("issuing_body", required=True, choices=body_keys)
        reference = record.text("reference")
        if reference:
            _unique(record.file, references, reference, record.where, "reference")
        origin = record.origin()
        seeds.documents.append(
            DocumentSeed(
                key=key,
                kind=record.text("kind", required=True, choices=Document.Kind.values),
                issuing_body=body,
                title=record.text("title", required=True),
                reference=reference,
                procedure=record.text("procedure"),
                issued_on=record.date("issued_on", required=True),
                url=record.text("url"),
                language=record.text("language") or "en",
                full_text=_document_full_text(record, raw_texts),
                votes_for=record.integer("votes_for"),
                votes_against=record.integer("votes_against"),
                votes_abstained=record.integer("votes_abstained"),
                date_note=record.text("date_note"),
                origin=origin,
            )
        )
        record.finish()
    documents_by_key = {seed.key: seed for seed in seeds.documents}

    names: set[str] = set()
    case_references: set[str] = set()
    for record in records("people.yaml", key="people", label="person"):
        full_name = record.text("full_name", required=True)
        record.where += f" ({full_name})"
        _unique(record.file, names, full_name, record.where, "full_name")
        origin = record.origin()
        cases = []
        for case_record in record.records("cases", label="case"):
            reference = case_record.text("reference", required=True)
            case_record.where += f" ({reference})"
            _unique(case_record.file, case_references, reference, case_record.where, "reference")
            cases.append(_case_seed(case_record, reference, origin, charge_keys, documents_by_key))
        if not cases:
            raise record.error("cases", "a person needs at least one case")
        affiliations = record.strings("affiliations", choices=affiliation_slugs)
        seeds.people.append(
            PersonSeed(
                full_name=full_name,
                native_name=record.text("native_name"),
                aliases=record.strings("aliases"),
                gender=record.text("gender", choices=Person.Gender.values),
                occupation=record.text("occupation", choices=Person.Occupation.values),
                region=record.text("region"),
                birth_year=record.integer("birth_year", minimum=1900),
                affiliations=affiliations,
                biography=record.text("biography"),
                cases=tuple(cases),
                origin=origin,
            )
        )
        record.finish()
    names_by_case = {
        case.reference: person.full_name for person in seeds.people for case in person.cases
    }

    seen = set()
    for group in records("mentions.yaml", key="documents", label="document"):
        document_key = group.text("document", required=True, choices=set(documents_by_key))
        group.where += f" ({document_key})"
        group_sources = group.strings("source")
        document = documents_by_key[document_key]
        for record in group.records("mentions", label="mention"):
            case_reference = record.text("case", required=True, choices=set(names_by_case))
            record.where += f" ({case_reference})"
            _unique(record.file, seen, (document_key, case_reference), record.where, "mention")
            origin = record.origin(inherited=group_sources)
            passage = record.text("passage", required=True)
            haystacks = [text_normalise(document.full_text)] + [
                texts[source] for source in origin.sources if source in texts
            ]
            if not any(text_normalise(passage) in haystack for haystack in haystacks):
                raise record.error(
                    "passage", "is neither in the document's full text nor in its source text"
                )
            matched_text = record.text("matched_text") or names_by_case[case_reference]
            if text_normalise(matched_text) not in text_normalise(passage):
                raise record.error("matched_text", f"{matched_text!r} is not in the passage")
            demand_quote = record.text("demand_quote")
            if demand_quote:
                record.checked_quote("demand_quote", demand_quote, origin.sources)
            seeds.mentions.append(
                MentionSeed(
                    document=document_key,
                    case=case_reference,
                    passage=text_normalise(passage),
                    matched_text=matched_text,
                    demands=record.strings("demands", choices=set(DEMAND_FIELDS)),
                    demand_quote=demand_quote,
                    origin=origin,
                )
            )
            record.finish()
        group.finish()
    return seeds


def _document_full_text(record: Record, raw_texts: dict[str, str]) -> str:
    passages = record.strings("quoted_passages")
    excerpt = record.raw("full_text_from", required=False)
    if passages and excerpt:
        raise record.error("full_text_from", "give either full_text_from or quoted_passages")
    if passages:
        for passage in passages:
            record.checked_quote("quoted_passages", passage, record.strings("source"))
        return "\n[…]\n".join(text_normalise(passage) for passage in passages)
    if excerpt is None:
        return ""
    part = Record(
        file=record.file,
        where=f"{record.where} > full_text_from",
        data=excerpt,
        texts=record.texts,
    )
    file = part.text("file", required=True, choices=set(raw_texts))
    start = part.text("start", required=True)
    end = part.text("end", required=True)
    part.finish()
    text = raw_texts[file]
    begin = text.find(start)
    if begin < 0:
        raise part.error("start", f"{start!r} is not in {file}")
    finish = text.find(end, begin)
    if finish < 0:
        raise part.error("end", f"{end!r} is not in {file} after the start")
    return text[begin : finish + len(end)].strip()


def _case_seed(
    record: Record,
    reference: str,
    person_origin: Sourced,
    charge_keys: set,
    documents_by_key: dict[str, DocumentSeed],
) -> CaseSeed:
    origin = record.origin(inherited=person_origin.sources)
    status_events = []
    for event in record.records("status_events", label="status event"):
        status_events.append(
            StatusEventSeed(
                status=event.text("status", required=True, choices=Status.values),
                on=event.date("on", required=True),
                document=event.text("document", choices=set(documents_by_key) | {""}),
                note=event.text("note"),
                origin=event.origin(inherited=origin.sources),
            )
        )
        event.finish()
    events = []
    for event in record.records("events", label="event"):
        kind_choices = set(CaseEvent.Kind.values) - {CaseEvent.Kind.STATUS}
        events.append(
            EventSeed(
                kind=event.text("kind", required=True, choices=kind_choices),
                on=event.date("on", required=True),
                description=event.text("description", required=True),
                origin=event.origin(inherited=origin.sources),
            )
        )
        event.finish()
    charges = []
    for charge in record.records("charges", label="charge"):
        key = (
            charge.text("jurisdiction") or "KZ",
            charge.text("code", required=True),
            charge.text("article", required=True),
            charge.text("part"),
        )
        if key not in charge_keys:
            raise charge.error("article", f"{key} is not in charges.yaml")
        charges.append(key)
        charge.finish()
    dates = {name: record.date(name) for name in CASE_DATE_FIELDS}
    for earlier, later in (("detained_on", "released_on"), ("detained_on", "expected_release_on")):
        if dates[earlier] and dates[later] and dates[later] < dates[earlier]:
            raise record.error(later, f"is before {earlier}")
    case = CaseSeed(
        reference=reference,
        sentence=record.text("sentence"),
        summary=record.text("summary"),
        concerns=record.strings("concerns", choices=set(CONCERN_FIELDS)),
        charges=tuple(charges),
        dates=dates,
        status_events=tuple(sorted(status_events, key=lambda event: event.on)),
        events=tuple(events),
        origin=origin,
    )
    record.finish()
    return case


# --- Writing -------------------------------------------------------------------------------


class _Tally:
    def __init__(self) -> None:
        self.created = 0
        self.updated = 0

    def upsert(self, model, existing: dict, key, values: dict):
        """Create the row or change only the fields that differ, saving (and so writing a
        history row) only when something changed."""
        instance = existing.get(key)
        if instance is None:
            instance = model(**values)
            instance.save()
            existing[key] = instance
            self.created += 1
            return instance
        changed = [name for name, value in values.items() if getattr(instance, name) != value]
        if changed:
            for name in changed:
                setattr(instance, name, values[name])
            instance.save()
            self.updated += 1
        return instance


def seeds_load(*, directory: Path | None = None) -> dict[str, int]:
    """Check every seed file, then write them all in one transaction. Idempotent: rows are
    matched by natural key, and a second run creates, changes and records nothing."""
    seeds = seeds_read(directory=directory)
    tally = _Tally()
    try:
        with transaction.atomic():
            counts = _seeds_write(seeds=seeds, tally=tally)
    except IntegrityError as error:
        raise SeedError(f"the database refused the seed data: {error}") from error
    counts["created"] = tally.created
    counts["updated"] = tally.updated
    return counts


def _seeds_write(*, seeds: Seeds, tally: _Tally) -> dict[str, int]:
    organisations = _write_organisations(seeds=seeds, tally=tally)
    host = organisations[HOST_SLUG]

    bodies_by_name = {
        body.name: body
        for body in IssuingBody.objects.filter(
            name__in=[seed.name for seed in seeds.issuing_bodies]
        )
    }
    bodies = {}
    for seed in seeds.issuing_bodies:
        bodies[seed.key] = tally.upsert(
            IssuingBody,
            bodies_by_name,
            seed.name,
            {"name": seed.name, "short_name": seed.short_name, "kind": seed.kind},
        )

    affiliations_by_slug = {
        row.slug: row
        for row in Affiliation.objects.filter(slug__in=[seed.slug for seed in seeds.affiliations])
    }
    for seed in seeds.affiliations:
        tally.upsert(
            Affiliation,
            affiliations_by_slug,
            seed.slug,
            {
                "slug": seed.slug,
                "name": seed.name,
                "short_name": seed.short_name,
                "kind": seed.kind,
                "banned_as_extremist": seed.banned_as_extremist,
                "description": seed.description,
                "source": seed.origin.describe(),
            },
        )

    charges_by_key = {
        (row.jurisdiction, row.code, row.article, row.part): row
        for row in Charge.objects.filter(article__in={seed.article for seed in seeds.charges})
    }
    for seed in seeds.charges:
        tally.upsert(
            Charge,
            charges_by_key,
            seed.key,
            {
                "jurisdiction": seed.jurisdiction,
                "code": seed.code,
                "article": seed.article,
                "part": seed.part,
                "title": seed.title,
            },
        )

    documents = _write_documents(seeds=seeds, tally=tally, bodies=bodies, host=host)
    cases, status_event_count, event_count = _write_people(
        seeds=seeds,
        tally=tally,
        host=host,
        affiliations=affiliations_by_slug,
        charges=charges_by_key,
        documents=documents,
    )
    _write_mentions(seeds=seeds, tally=tally, documents=documents, cases=cases)
    return {
        "organisations": len(seeds.organisations),
        "issuing_bodies": len(seeds.issuing_bodies),
        "affiliations": len(seeds.affiliations),
        "charges": len(seeds.charges),
        "documents": len(seeds.documents),
        "people": len(seeds.people),
        "cases": len(cases),
        "status_events": status_event_count,
        "events": event_count,
        "mentions": len(seeds.mentions),
    }


def _write_organisations(*, seeds: Seeds, tally: _Tally) -> dict[str, Organisation]:
    existing = {
        row.slug: row
        for row in Organisation.objects.filter(slug__in=[seed.slug for seed in seeds.organisations])
    }
    other_host = (
        Organisation.objects.filter(kind=Organisation.Kind.HOST)
        .exclude(slug__in=[seed.slug for seed in seeds.organisations])
        .first()
    )
    for seed in seeds.organisations:
        if seed.kind == Organisation.Kind.HOST and other_host is not None:
            raise SeedError(
                f"organisations.yaml: record ({seed.slug}), field 'kind': another host "
                f"organisation ({other_host.slug!r}) already exists; there can be only one"
            )
        tally.upsert(
            Organisation,
            existing,
            seed.slug,
            {"slug": seed.slug, "name": seed.name, "kind": seed.kind, "country": seed.country},
        )
    return existing


def _write_documents(*, seeds: Seeds, tally: _Tally, bodies: dict, host: Organisation) -> dict:
    references = [seed.reference for seed in seeds.documents if seed.reference]
    titles = [seed.title for seed in seeds.documents if not seed.reference]
    by_reference = {row.reference: row for row in Document.objects.filter(reference__in=references)}
    by_title = {
        (row.issuing_body_id, row.title): row
        for row in Document.objects.filter(title__in=titles, reference="")
    }
    documents = {}
    for seed in seeds.documents:
        body = bodies[seed.issuing_body]
        source = seed.origin.describe()
        if seed.date_note:
            source = f"{source}\nDate: {seed.date_note}"
        values = {
            "kind": seed.kind,
            "issuing_body_id": body.pk,
            "title": seed.title,
            "reference": seed.reference,
            "procedure": seed.procedure,
            "issued_on": seed.issued_on,
            "url": seed.url,
            "language": seed.language,
            "full_text": seed.full_text,
            "votes_for": seed.votes_for,
            "votes_against": seed.votes_against,
            "votes_abstained": seed.votes_abstained,
            "source": source,
            "owning_organisation_id": host.pk,
        }
        if seed.reference:
            documents[seed.key] = tally.upsert(Document, by_reference, seed.reference, values)
        else:
            documents[seed.key] = tally.upsert(Document, by_title, (body.pk, seed.title), values)
    return documents


def _write_people(
    *,
    seeds: Seeds,
    tally: _Tally,
    host: Organisation,
    affiliations: dict[str, Affiliation],
    charges: dict,
    documents: dict[str, Document],
) -> tuple[dict[str, Case], int, int]:
    people_by_name: dict[str, Person] = {}
    # Only the host's own records: a partner's person of the same name stays theirs. A name
    # entered twice by hand must not make the loader pick a different row each run.
    for person in Person.objects.filter(
        owning_organisation=host, full_name__in=[seed.full_name for seed in seeds.people]
    ).order_by("-pk"):
        people_by_name[person.full_name] = person
    references = [case.reference for seed in seeds.people for case in seed.cases]
    cases_by_reference = {
        case.reference: case for case in Case.objects.filter(reference__in=references)
    }
    aliases = {
        (alias.person_id, alias.name)
        for alias in PersonAlias.objects.filter(person__in=list(people_by_name.values()))
    }
    current_affiliations: dict[int, set[int]] = {}
    for person_id, affiliation_id in Person.affiliations.through.objects.filter(
        person__in=list(people_by_name.values())
    ).values_list("person_id", "affiliation_id"):
        current_affiliations.setdefault(person_id, set()).add(affiliation_id)
    current_charges: dict[int, set[int]] = {}
    for case_id, charge_id in Case.charges.through.objects.filter(
        case__reference__in=references
    ).values_list("case_id", "charge_id"):
        current_charges.setdefault(case_id, set()).add(charge_id)

    for seed in seeds.people:
        created_before = tally.created
        person = tally.upsert(
            Person,
            people_by_name,
            seed.full_name,
            {
                "full_name": seed.full_name,
                "native_name": seed.native_name,
                "gender": seed.gender,
                "occupation": seed.occupation,
                "region": seed.region,
                "birth_year": seed.birth_year,
                "biography": seed.biography,
                "owning_organisation_id": host.pk,
            },
        )
        for alias in seed.aliases:
            if (person.pk, alias) not in aliases:
                PersonAlias.objects.create(person=person, name=alias)
                aliases.add((person.pk, alias))
                tally.created += 1
        wanted = {affiliations[slug].pk for slug in seed.affiliations}
        if current_affiliations.get(person.pk, set()) != wanted:
            person.affiliations.set(wanted)
            # Linking a person created a moment ago is part of creating them.
            tally.updated += tally.created == created_before
        for case_seed in seed.cases:
            values = {
                "person_id": person.pk,
                "owning_organisation_id": host.pk,
                "confidentiality": Confidentiality.PUBLIC,
                "reference": case_seed.reference,
                "sentence": case_seed.sentence,
                "summary": case_seed.summary,
                "sources": _case_sources(seed, case_seed),
                **case_seed.dates,
                **{
                    model_field: name in case_seed.concerns
                    for name, model_field in CONCERN_FIELDS.items()
                },
            }
            created_before = tally.created
            case = tally.upsert(Case, cases_by_reference, case_seed.reference, values)
            wanted = {charges[key].pk for key in case_seed.charges}
            if current_charges.get(case.pk, set()) != wanted:
                case.charges.set(wanted)
                tally.updated += tally.created == created_before

    status_event_count, event_count = _write_case_events(
        seeds=seeds, tally=tally, cases=cases_by_reference, documents=documents
    )
    return cases_by_reference, status_event_count, event_count


def _case_sources(person: PersonSeed, case: CaseSeed) -> str:
    quotes = person.origin.quotes + case.origin.quotes
    for event in case.status_events:
        quotes += event.origin.quotes
    return Sourced(sources=case.origin.sources, quotes=quotes).describe()


def _event_source(origin: Sourced, document: Document | None) -> str:
    described = origin.describe()
    if document is None:
        return described
    reference = f" ({document.reference})" if document.reference else ""
    return f"{document.title}{reference}, {document.issued_on:%d %B %Y}\n{described}"


def _write_case_events(
    *, seeds: Seeds, tally: _Tally, cases: dict[str, Case], documents: dict[str, Document]
) -> tuple[int, int]:
    case_ids = [case.pk for case in cases.values()]
    existing_status = set(
        CaseEvent.objects.filter(case_id__in=case_ids, kind=CaseEvent.Kind.STATUS).values_list(
            "case_id", "happened_on", "status"
        )
    )
    existing_other = set(
        CaseEvent.objects.filter(case_id__in=case_ids)
        .exclude(kind=CaseEvent.Kind.STATUS)
        .values_list("case_id", "kind", "happened_on", "description")
    )
    status_count = event_count = 0
    for person in seeds.people:
        for case_seed in person.cases:
            case = cases[case_seed.reference]
            # Oldest first: case_change_status moves the current status only forward.
            for event in case_seed.status_events:
                status_count += 1
                if (case.pk, event.on, event.status) in existing_status:
                    continue
                try:
                    case_change_status(
                        case=case,
                        status=event.status,
                        on=event.on,
                        source=_event_source(event.origin, documents.get(event.document)),
                        note=event.note,
                    )
                except ValidationError as error:
                    raise SeedError(
                        f"people.yaml: person ({person.full_name}) > case ({case.reference}) > "
                        f"status event {event.on}, field 'on': {' '.join(error.messages)}"
                    ) from error
                existing_status.add((case.pk, event.on, event.status))
                tally.created += 1
            for event in case_seed.events:
                event_count += 1
                if (case.pk, event.kind, event.on, event.description) in existing_other:
                    continue
                CaseEvent.objects.create(
                    case=case,
                    kind=event.kind,
                    happened_on=event.on,
                    description=event.description,
                    source=_event_source(event.origin, None),
                )
                existing_other.add((case.pk, event.kind, event.on, event.description))
                tally.created += 1
    return status_count, event_count


def _write_mentions(
    *, seeds: Seeds, tally: _Tally, documents: dict[str, Document], cases: dict[str, Case]
) -> None:
    document_ids = [document.pk for document in documents.values()]
    existing = {
        (mention.document_id, mention.case_id): mention
        for mention in Mention.objects.filter(document_id__in=document_ids)
    }
    new_mentions: list[Mention] = []
    for seed in seeds.mentions:
        document = documents[seed.document]
        case = cases[seed.case]
        # Offsets of the name in the document's own text, when the passage is there
        # verbatim (a passage from a seed text that only describes the document is not).
        start = end = None
        at = document.full_text.find(seed.passage)
        if at >= 0:
            start = document.full_text.find(seed.matched_text, at)
            end = start + len(seed.matched_text)
        values = {
            "document_id": document.pk,
            "case_id": case.pk,
            "passage": seed.passage,
            "matched_text": seed.matched_text,
            "start": start,
            "end": end,
            "origin": Mention.Origin.SEED,
            "state": Mention.State.CONFIRMED,
            **{model_field: name in seed.demands for name, model_field in DEMAND_FIELDS.items()},
        }
        if (document.pk, case.pk) in existing:
            tally.upsert(Mention, existing, (document.pk, case.pk), values)
        else:
            new_mentions.append(Mention(**values))
    # Mentions are the most numerous rows of a first load; one insert for all (and one for
    # their history) keeps `make run` on a fresh database quick.
    bulk_create_with_history(new_mentions, Mention)
    tally.created += len(new_mentions)
