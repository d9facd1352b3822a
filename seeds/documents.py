"""Documents and the mentions that link them to cases: read from documents.yaml and
mentions.yaml, written by natural key."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from simple_history.utils import bulk_create_with_history

from advocacy.models import Document, IssuingBody, Mention
from casework.models import Case, Organisation
from seeds.records import Record, SeedFile, Sourced, text_normalise, unique_check
from seeds.writing import Tally

DEMAND_FIELDS = {
    "release": "demands_release",
    "investigation": "demands_investigation",
    "end_of_harassment": "demands_end_of_harassment",
    "medical_care": "demands_medical_care",
    "fair_trial": "demands_fair_trial",
}


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
class MentionSeed:
    document: str
    case: str
    passage: str
    matched_text: str
    demands: tuple[str, ...]
    demand_quote: str
    origin: Sourced


# --- Reading -----------------------------------------------------------------------------


def documents_read(
    *, directory: Path, texts: dict[str, str], raw_texts: dict[str, str], body_keys: set[str]
) -> list[DocumentSeed]:
    seeds = []
    file = SeedFile(directory=directory, name="documents.yaml", texts=texts)
    references: set[str] = set()
    for record in file:
        key = record.text("key", required=True)
        record.where += f" ({key})"
        file.unique(record, key, "key")
        body = record.text("issuing_body", required=True, choices=body_keys)
        reference = record.text("reference")
        if reference:
            unique_check(file.name, references, reference, record.where, "reference")
        origin = record.origin()
        seeds.append(
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
                full_text=document_full_text(record, raw_texts),
                votes_for=record.integer("votes_for"),
                votes_against=record.integer("votes_against"),
                votes_abstained=record.integer("votes_abstained"),
                date_note=record.text("date_note"),
                origin=origin,
            )
        )
        record.finish()
    return seeds


def document_full_text(record: Record, raw_texts: dict[str, str]) -> str:
    """A seed text cut to the document (`full_text_from`), or the passages the seed texts
    quote from it (`quoted_passages`), or nothing."""
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


def mentions_read(
    *,
    directory: Path,
    texts: dict[str, str],
    documents: dict[str, DocumentSeed],
    names_by_case: dict[str, str],
) -> list[MentionSeed]:
    seeds = []
    seen: set = set()
    file = SeedFile(
        directory=directory, name="mentions.yaml", texts=texts, key="documents", label="document"
    )
    for group in file:
        document_key = group.text("document", required=True, choices=set(documents))
        group.where += f" ({document_key})"
        group_sources = group.strings("source")
        for record in group.records("mentions", label="mention"):
            case_reference = record.text("case", required=True, choices=set(names_by_case))
            record.where += f" ({case_reference})"
            unique_check(file.name, seen, (document_key, case_reference), record.where, "mention")
            seeds.append(
                _mention_seed(
                    record,
                    document=documents[document_key],
                    case_reference=case_reference,
                    full_name=names_by_case[case_reference],
                    inherited=group_sources,
                )
            )
            record.finish()
        group.finish()
    return seeds


def _mention_seed(
    record: Record,
    *,
    document: DocumentSeed,
    case_reference: str,
    full_name: str,
    inherited: tuple[str, ...],
) -> MentionSeed:
    origin = record.origin(inherited=inherited)
    passage = record.text("passage", required=True)
    haystacks = [text_normalise(document.full_text)] + [
        record.texts[source] for source in origin.sources if source in record.texts
    ]
    if not any(text_normalise(passage) in haystack for haystack in haystacks):
        raise record.error(
            "passage", "is neither in the document's full text nor in its source text"
        )
    matched_text = record.text("matched_text") or full_name
    if text_normalise(matched_text) not in text_normalise(passage):
        raise record.error("matched_text", f"{matched_text!r} is not in the passage")
    demand_quote = record.text("demand_quote")
    if demand_quote:
        record.checked_quote("demand_quote", demand_quote, origin.sources)
    return MentionSeed(
        document=document.key,
        case=case_reference,
        passage=text_normalise(passage),
        matched_text=matched_text,
        demands=record.strings("demands", choices=set(DEMAND_FIELDS)),
        demand_quote=demand_quote,
        origin=origin,
    )


# --- Writing -----------------------------------------------------------------------------


def documents_write(
    *,
    seeds: list[DocumentSeed],
    tally: Tally,
    bodies: dict[str, IssuingBody],
    host: Organisation,
) -> dict[str, Document]:
    """The documents by their seed key (mentions.yaml and people.yaml refer to them by it)."""
    references = [seed.reference for seed in seeds if seed.reference]
    titles = [seed.title for seed in seeds if not seed.reference]
    by_reference = {row.reference: row for row in Document.objects.filter(reference__in=references)}
    by_title = {
        (row.issuing_body_id, row.title): row
        for row in Document.objects.filter(title__in=titles, reference="")
    }
    documents = {}
    for seed in seeds:
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


def mentions_write(
    *,
    seeds: list[MentionSeed],
    tally: Tally,
    documents: dict[str, Document],
    cases: dict[str, Case],
) -> None:
    document_ids = [document.pk for document in documents.values()]
    existing = {
        (mention.document_id, mention.case_id): mention
        for mention in Mention.objects.filter(document_id__in=document_ids)
    }
    new_mentions: list[Mention] = []
    for seed in seeds:
        document = documents[seed.document]
        case = cases[seed.case]
        values = _mention_values(seed, document=document, case=case)
        if (document.pk, case.pk) in existing:
            tally.upsert(Mention, existing, (document.pk, case.pk), values)
        else:
            new_mentions.append(Mention(**values))
    # Mentions are the most numerous rows of a first load; one insert for all (and one for
    # their history) keeps `make run` on a fresh database quick.
    bulk_create_with_history(new_mentions, Mention)
    tally.created += len(new_mentions)


def _mention_values(seed: MentionSeed, *, document: Document, case: Case) -> dict:
    # Offsets of the name in the document's own text, when the passage is there
    # verbatim (a passage from a seed text that only describes the document is not).
    start = end = None
    at = document.full_text.find(seed.passage)
    if at >= 0:
        start = document.full_text.find(seed.matched_text, at)
        end = start + len(seed.matched_text)
    return {
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
