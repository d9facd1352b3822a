"""Documents and the mentions that link them to cases: read from documents.yaml and
mentions.yaml, written by natural key.

A document either holds a seed text (`full_text_from`: the text, web-page furniture cut
off) or is known only from what a seed text quotes of it (`quoted_from` and
`quoted_passages`). A mention's passage comes from the text of the document it names or,
for a document known only through another, from that other document's text: the mention
then records it (`quoted_in`) and says which words of that text attribute the passage to
the document named (`attribution`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from simple_history.utils import bulk_create_with_history

from advocacy.document_languages import CODES as LANGUAGE_CODES
from advocacy.models import Document, IssuingBody, Mention
from casework.models import Case, Organisation, Provenance
from casework.partial_dates import PartialDate, partial_date_parse
from seeds.provenance import ProvenanceSeed, seed_text_name, sources_read
from seeds.records import Record, SeedError, SeedFile, text_normalise, unique_check
from seeds.writing import Tally

DEMAND_FIELDS = {
    "release": "demands_release",
    "investigation": "demands_investigation",
    "end_of_harassment": "demands_end_of_harassment",
    "medical_care": "demands_medical_care",
    "fair_trial": "demands_fair_trial",
}
DOCUMENT_FACTS = (
    "kind",
    "issuing_body",
    "title",
    "reference",
    "procedure",
    "issued_on",
    "url",
    "language",
    "votes",
    "full_text",
)
# The model fields behind a fact name of documents.yaml.
DOCUMENT_FACT_FIELDS = {"votes": "votes_for,votes_against,votes_abstained"}


@dataclass(frozen=True)
class DocumentSeed:
    key: str
    kind: str
    issuing_body: str
    title: str
    reference: str
    procedure: str
    issued_on: PartialDate
    url: str
    language: str
    full_text: str
    held_texts: tuple[str, ...]  # the seed texts this document is (cut to the document)
    quoted_from: str  # the seed text whose quotations make up its full text, or ""
    called: tuple[str, ...]  # how other texts refer to it ("resolution", "the Parliament")
    votes_for: int | None
    votes_against: int | None
    votes_abstained: int | None
    sources: tuple[ProvenanceSeed, ...]


@dataclass(frozen=True)
class MentionSeed:
    document: str
    case: str
    passage: str
    matched_text: str
    quoted_in: str  # the key of the document whose text holds the passage, if another one
    demands: tuple[str, ...]
    sources: tuple[ProvenanceSeed, ...]


# --- Reading -----------------------------------------------------------------------------


def documents_read(
    *, directory: Path, texts: dict[str, str], raw_texts: dict[str, str], body_keys: set[str]
) -> list[DocumentSeed]:
    seeds = []
    file = SeedFile(directory=directory, name="documents.yaml", texts=texts, key="documents")
    references: set[str] = set()
    held: set[str] = set()
    for record, key in file.keyed("key"):
        reference = record.text("reference")
        if reference:
            unique_check(file.name, references, reference, record.where, "reference")
        full_text, held_texts, quoted_from = document_full_text(record, raw_texts)
        for text in held_texts:
            unique_check(file.name, held, text, record.where, "seed text held")
        seeds.append(
            DocumentSeed(
                key=key,
                kind=record.text("kind", required=True, choices=Document.Kind.values),
                issuing_body=record.text("issuing_body", required=True, choices=body_keys),
                title=record.text("title", required=True),
                reference=reference,
                procedure=record.text("procedure"),
                issued_on=_partial_date(record, "issued_on"),
                url=record.text("url"),
                language=record.text("language", choices=("", *LANGUAGE_CODES)) or "en",
                full_text=full_text,
                held_texts=held_texts,
                quoted_from=quoted_from,
                called=record.strings("called"),
                votes_for=record.integer("votes_for"),
                votes_against=record.integer("votes_against"),
                votes_abstained=record.integer("votes_abstained"),
                sources=sources_read(record, facts=DOCUMENT_FACTS),
            )
        )
    return seeds


def _partial_date(record: Record, name: str) -> PartialDate:
    value = record.text(name, required=True)
    try:
        return partial_date_parse(value)
    except ValueError as error:
        raise record.error(name, f"{value!r} is not a date, a month or a year: {error}") from error


def document_full_text(
    record: Record, raw_texts: dict[str, str]
) -> tuple[str, tuple[str, ...], str]:
    """(full text, seed texts it holds, seed text it is quoted from): the excerpts of seed
    texts given in `full_text_from`, or the `quoted_passages` of `quoted_from`."""
    passages = record.strings("quoted_passages")
    quoted_from = record.text("quoted_from")
    excerpts = record.raw("full_text_from", required=False)
    if quoted_from and excerpts:
        raise record.error("full_text_from", "give either full_text_from or quoted_from")
    if passages and not quoted_from:
        raise record.error("quoted_from", "is required with quoted_passages: the text quoting them")
    if quoted_from:
        quoted_from = seed_text_name(record, "quoted_from", quoted_from)
        for passage in passages:
            if text_normalise(passage) not in record.texts[quoted_from]:
                raise record.error("quoted_passages", f"not in {quoted_from}: {passage[:80]!r}")
        return "\n[…]\n".join(text_normalise(passage) for passage in passages), (), quoted_from
    if excerpts is None:
        raise record.error("full_text_from", "is required: the seed text, or quoted_from")
    if isinstance(excerpts, dict):
        excerpts = [excerpts]
    parts, files = [], []
    for index, excerpt in enumerate(excerpts, start=1):
        part = Record(
            file=record.file,
            where=f"{record.where} > full_text_from {index}",
            data=excerpt,
            texts=record.texts,
        )
        file = seed_text_name(part, "file", part.text("file", required=True))
        parts.append(_excerpt(part, raw_texts[file], file))
        files.append(file)
    return "\n\n".join(parts), tuple(dict.fromkeys(files)), ""


def _excerpt(part: Record, text: str, file: str) -> str:
    start = part.text("start", required=True)
    end = part.text("end", required=True)
    part.finish()
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
    by_text = {text: seed.key for seed in documents.values() for text in seed.held_texts}
    file = SeedFile(
        directory=directory, name="mentions.yaml", texts=texts, key="documents", label="document"
    )
    for group in file:
        document_key = group.text("document", required=True, choices=set(documents))
        group.where += f" ({document_key})"
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
                    documents_by_text=by_text,
                )
            )
            record.finish()
        group.finish()
    return seeds


def _passage_text(record: Record, document: DocumentSeed) -> str:
    """The seed text the passage comes from: the document's own, unless `text` names
    another document's."""
    named = record.text("text")
    if named:
        return seed_text_name(record, "text", named)
    if not document.held_texts:
        raise record.error(
            "text", "is required: this document's text is not held, so name the text quoting it"
        )
    return document.held_texts[0]


def _mention_seed(
    record: Record,
    *,
    document: DocumentSeed,
    case_reference: str,
    full_name: str,
    documents_by_text: dict[str, str],
) -> MentionSeed:
    text = _passage_text(record, document)
    holder = documents_by_text.get(text)
    if holder is None:
        raise record.error("text", f"no document in documents.yaml holds {text}")
    passage = record.text("passage", required=True)
    if text_normalise(passage) not in record.texts[text]:
        raise record.error("passage", f"is not in {text}")
    matched_text = record.text("matched_text") or full_name
    if text_normalise(matched_text) not in text_normalise(passage):
        raise record.error("matched_text", f"{matched_text!r} is not in the passage")
    sources = [_stated(record, text=text, quote=passage, facts=())]
    attribution = record.text("attribution")
    if attribution:
        note = "The words that attribute the passage to this document."
        sources.append(
            _stated(record, text=text, quote=attribution, facts=("document",), note=note)
        )
    if holder != document.key:
        _attribution_check(record, document=document, said=attribution or passage)
    demands = record.strings("demands", choices=set(DEMAND_FIELDS))
    demand_quote = record.text("demand_quote")
    if demand_quote:
        sources.append(_stated(record, text=text, quote=demand_quote, facts=("demands",)))
        if holder != document.key:
            # Demands belong to the document that made them, not to the text reporting it.
            _attribution_check(record, document=document, said=demand_quote)
    return MentionSeed(
        document=document.key,
        case=case_reference,
        passage=text_normalise(passage),
        matched_text=matched_text,
        quoted_in=holder if holder != document.key else "",
        demands=demands,
        sources=tuple(sources),
    )


def _stated(
    record: Record, *, text: str, quote: str, facts: tuple[str, ...], note: str = ""
) -> ProvenanceSeed:
    if text_normalise(quote) not in record.texts[text]:
        raise record.error("quote", f"is not in {text}: {quote[:80]!r}")
    return ProvenanceSeed(
        facts=facts,
        basis=Provenance.Basis.STATED,
        text=text,
        quote=quote,
        reference="",
        note=note,
        where=f"{record.file}: {record.where}",
    )


def _attribution_check(record: Record, *, document: DocumentSeed, said: str) -> None:
    """A passage from another document's text names this one only if its words say the
    passage is this document's ("the resolution mentions …"): nothing is "named in the
    resolution" on a reporter's say-so alone."""
    words = text_normalise(said).casefold()
    if not any(phrase.casefold() in words for phrase in document.called):
        called = ", ".join(repr(phrase) for phrase in document.called) or "nothing (add `called`)"
        raise record.error(
            "attribution",
            f"the passage comes from another document's text and nothing in it attributes it "
            f"to {document.key} (called {called})",
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
        values = {
            "kind": seed.kind,
            "issuing_body_id": body.pk,
            "title": seed.title,
            "reference": seed.reference,
            "procedure": seed.procedure,
            "issued_on": seed.issued_on.start,
            "issued_on_precision": seed.issued_on.precision,
            "url": seed.url,
            "language": seed.language,
            "full_text": seed.full_text,
            "votes_for": seed.votes_for,
            "votes_against": seed.votes_against,
            "votes_abstained": seed.votes_abstained,
            "source": _document_source(seed),
            "owning_organisation_id": host.pk,
        }
        if seed.reference:
            documents[seed.key] = tally.upsert(Document, by_reference, seed.reference, values)
        else:
            documents[seed.key] = tally.upsert(Document, by_title, (body.pk, seed.title), values)
    return documents


def _document_source(seed: DocumentSeed) -> str:
    if seed.held_texts:
        files = ", ".join(f"seeds/texts/{text}" for text in seed.held_texts)
        return f"Seed text {files} (web-page furniture cut off). Each fact's source is listed."
    return (
        f"Known only from what seed text seeds/texts/{seed.quoted_from} quotes of it and says "
        "about it. Each fact's source is listed."
    )


def mentions_write(
    *,
    seeds: list[MentionSeed],
    tally: Tally,
    documents: dict[str, Document],
    cases: dict[str, Case],
) -> dict[tuple[str, str], Mention]:
    """The mentions by (document key, case reference)."""
    document_ids = [document.pk for document in documents.values()]
    existing = {
        (mention.document_id, mention.case_id): mention
        for mention in Mention.objects.filter(document_id__in=document_ids)
    }
    written: dict[tuple[str, str], Mention] = {}
    new_mentions: dict[tuple[str, str], Mention] = {}
    for seed in seeds:
        document = documents[seed.document]
        case = cases[seed.case]
        values = _mention_values(seed, document=document, case=case, documents=documents)
        if (document.pk, case.pk) in existing:
            written[seed.document, seed.case] = tally.upsert(
                Mention, existing, (document.pk, case.pk), values
            )
        else:
            new_mentions[seed.document, seed.case] = Mention(**values)
    # Mentions are the most numerous rows of a first load; one insert for all (and one for
    # their history) keeps `make run` on a fresh database quick.
    created = bulk_create_with_history(list(new_mentions.values()), Mention)
    if created and created[0].pk is None:
        raise SeedError("the database did not return the ids of the new mentions")
    written.update(zip(new_mentions, created, strict=True))
    tally.created += len(new_mentions)
    tally.updated += _stale_mentions_reject(document_ids, keep=[row.pk for row in written.values()])
    return written


def _stale_mentions_reject(document_ids: list[int], *, keep: list[int]) -> int:
    """A seed mention the seed files no longer make (a database seeded by an older version)
    is rejected, not left standing: it claimed more than its passage says. Its row stays,
    so detection does not propose it again."""
    stale = list(
        Mention.objects.filter(document_id__in=document_ids, origin=Mention.Origin.SEED)
        .exclude(pk__in=keep)
        .exclude(state=Mention.State.REJECTED)
    )
    for mention in stale:
        mention.state = Mention.State.REJECTED
        mention.save(update_fields=["state", "updated_at"])
    return len(stale)


def _mention_values(
    seed: MentionSeed, *, document: Document, case: Case, documents: dict[str, Document]
) -> dict:
    # Offsets of the name in the document's own text, when the passage is there
    # verbatim (a passage quoted in another document's text is not).
    start = end = None
    at = document.full_text.find(seed.passage)
    if at >= 0 and not seed.quoted_in:
        start = document.full_text.find(seed.matched_text, at)
        end = start + len(seed.matched_text)
    return {
        "document_id": document.pk,
        "case_id": case.pk,
        "passage": seed.passage,
        "matched_text": seed.matched_text,
        "quoted_in_id": documents[seed.quoted_in].pk if seed.quoted_in else None,
        "start": start,
        "end": end,
        "origin": Mention.Origin.SEED,
        "state": Mention.State.CONFIRMED,
        **{model_field: name in seed.demands for name, model_field in DEMAND_FIELDS.items()},
    }
