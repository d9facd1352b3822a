"""Load the demo data drawn from the seed documents (seeds/*.yaml, seeds/texts/*.txt).

Two steps, so a bad record writes nothing: `seeds_read` parses and checks every file
(every field, every cross-reference, every quote against the seed text it cites) and
raises SeedError naming the file, the record and the field; `seeds_load` then writes
everything in one transaction, matching existing rows by natural key, so running it
again changes nothing and adds no history rows.

What each file holds is read and written by the module named for it: vocabularies
(organisations, issuing bodies, affiliations, charges), documents (and mentions), people
(and cases), events (the cases' timelines).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import IntegrityError, transaction

from seeds.documents import (
    DOCUMENT_FACT_FIELDS,
    DocumentSeed,
    MentionSeed,
    documents_read,
    documents_write,
    mentions_read,
    mentions_write,
)
from seeds.events import EVENT_FACT_FIELDS, case_events_write
from seeds.people import PersonSeed, people_read, people_write
from seeds.provenance import ProvenanceSeed, provenance_write, sources_check_documents
from seeds.records import SeedError, text_normalise
from seeds.vocabularies import (
    HOST_SLUG,
    AffiliationSeed,
    ChargeSeed,
    IssuingBodySeed,
    OrganisationSeed,
    affiliations_read,
    affiliations_write,
    charges_read,
    charges_write,
    issuing_bodies_read,
    issuing_bodies_write,
    organisations_read,
    organisations_write,
)
from seeds.writing import Tally

__all__ = [
    "HOST_SLUG",
    "SEED_DIRECTORY",
    "SeedError",
    "Seeds",
    "seeds_load",
    "seeds_read",
    "text_normalise",
]

SEED_DIRECTORY = Path(__file__).resolve().parent
TEXTS_FOLDER = "texts"


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

    @property
    def documents_by_text(self) -> dict[str, str]:
        """The key of the document that holds each seed text."""
        return {text: seed.key for seed in self.documents for text in seed.held_texts}

    def all_sources(self) -> list[ProvenanceSeed]:
        """Every provenance entry of every record."""
        records = [
            *self.organisations,
            *self.issuing_bodies,
            *self.affiliations,
            *self.charges,
            *self.documents,
            *self.people,
            *(case for person in self.people for case in person.cases),
            *(
                event
                for person in self.people
                for case in person.cases
                for event in (*case.status_events, *case.events)
            ),
            *self.mentions,
        ]
        return [entry for record in records for entry in record.sources]


def seed_texts_read(directory: Path) -> dict[str, str]:
    """The seed texts as written, by file name."""
    texts_directory = directory / TEXTS_FOLDER
    texts = {
        path.name: path.read_text(encoding="utf-8")
        for path in sorted(texts_directory.glob("*.txt"))
    }
    if not texts:
        raise SeedError(f"{TEXTS_FOLDER}/: no seed texts (*.txt) in {texts_directory}")
    return texts


def seeds_read(*, directory: Path | None = None) -> Seeds:
    """Parse and check every seed file; raise SeedError at the first bad record."""
    directory = directory or SEED_DIRECTORY
    raw_texts = seed_texts_read(directory)
    texts = {name: text_normalise(text) for name, text in raw_texts.items()}
    seeds = Seeds(texts=raw_texts)
    seeds.organisations = organisations_read(directory=directory, texts=texts)
    seeds.issuing_bodies = issuing_bodies_read(directory=directory, texts=texts)
    seeds.affiliations = affiliations_read(directory=directory, texts=texts)
    seeds.charges = charges_read(directory=directory, texts=texts)
    seeds.documents = documents_read(
        directory=directory,
        texts=texts,
        raw_texts=raw_texts,
        body_keys={seed.key for seed in seeds.issuing_bodies},
    )
    seeds.people = people_read(
        directory=directory,
        texts=texts,
        affiliation_slugs={seed.slug for seed in seeds.affiliations},
        charge_keys={seed.key for seed in seeds.charges},
        document_keys={seed.key for seed in seeds.documents},
    )
    seeds.mentions = mentions_read(
        directory=directory,
        texts=texts,
        documents={seed.key: seed for seed in seeds.documents},
        names_by_case={
            case.reference: person.full_name for person in seeds.people for case in person.cases
        },
    )
    sources_check_documents(
        seeds.all_sources(),
        documents_by_text=seeds.documents_by_text,
        full_texts={seed.key: seed.full_text for seed in seeds.documents},
    )
    return seeds


def seeds_load(*, directory: Path | None = None) -> dict[str, int]:
    """Check every seed file, then write them all in one transaction. Idempotent: rows are
    matched by natural key, and a second run creates, changes and records nothing."""
    seeds = seeds_read(directory=directory)
    tally = Tally()
    try:
        with transaction.atomic():
            counts = _seeds_write(seeds=seeds, tally=tally)
    except IntegrityError as error:
        raise SeedError(f"the database refused the seed data: {error}") from error
    counts["created"] = tally.created
    counts["updated"] = tally.updated
    return counts


def _seeds_write(*, seeds: Seeds, tally: Tally) -> dict[str, int]:
    organisations = organisations_write(seeds=seeds.organisations, tally=tally)
    host = organisations[HOST_SLUG]
    bodies = issuing_bodies_write(seeds=seeds.issuing_bodies, tally=tally)
    affiliations = affiliations_write(seeds=seeds.affiliations, tally=tally)
    charges = charges_write(seeds=seeds.charges, tally=tally)
    documents = documents_write(seeds=seeds.documents, tally=tally, bodies=bodies, host=host)
    people, cases = people_write(
        seeds=seeds.people, tally=tally, host=host, affiliations=affiliations, charges=charges
    )
    events = case_events_write(people=seeds.people, tally=tally, cases=cases, documents=documents)
    mentions = mentions_write(seeds=seeds.mentions, tally=tally, documents=documents, cases=cases)
    items = [
        *((organisations[seed.slug], seed.sources) for seed in seeds.organisations),
        *((bodies[seed.key], seed.sources) for seed in seeds.issuing_bodies),
        *((affiliations[seed.slug], seed.sources) for seed in seeds.affiliations),
        *((charges[seed.key], seed.sources) for seed in seeds.charges),
        *((documents[seed.key], seed.sources) for seed in seeds.documents),
        *((people[seed.full_name], seed.sources) for seed in seeds.people),
        *(
            (cases[case.reference], case.sources)
            for person in seeds.people
            for case in person.cases
        ),
        *events,
        *((mentions[seed.document, seed.case], seed.sources) for seed in seeds.mentions),
    ]
    provenance_count = provenance_write(
        items=items,
        documents_by_text={text: documents[key] for text, key in seeds.documents_by_text.items()},
        tally=tally,
        fact_names=DOCUMENT_FACT_FIELDS | EVENT_FACT_FIELDS,
    )
    status_events = sum(len(case.status_events) for person in seeds.people for case in person.cases)
    return {
        "organisations": len(seeds.organisations),
        "issuing_bodies": len(seeds.issuing_bodies),
        "affiliations": len(seeds.affiliations),
        "charges": len(seeds.charges),
        "documents": len(seeds.documents),
        "people": len(seeds.people),
        "cases": len(cases),
        "status_events": status_events,
        "events": len(events) - status_events,
        "mentions": len(seeds.mentions),
        "provenance": provenance_count,
    }
