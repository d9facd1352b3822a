"""Where each seeded fact comes from: read from a record's `sources` list, checked against
the seed texts, and written as casework.models.Provenance rows.

An entry is one of three kinds:

    - {text: "001", quote: "…", facts: [occupation]}        stated: the passage, verbatim
    - {inferred: "why", facts: [issued_on], text: …, quote: …}  an inference and its reason
    - {reference: "European Parliament register", facts: [reference]}  an outside reference

`text` names a seed text by its file name or its three-digit prefix; the quote must be in
that text, inside the part a seed document holds, so the reader can be taken to it.
`facts` names the fields the entry backs (none: the record as a whole).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models

from casework.models import Provenance
from seeds.records import Record, SeedError, text_normalise
from seeds.writing import Tally


@dataclass(frozen=True)
class ProvenanceSeed:
    facts: tuple[str, ...]
    basis: str
    text: str  # the seed text file holding the quote, or ""
    quote: str
    reference: str
    note: str
    where: str  # file, record and entry, for errors found after reading

    def covers(self, fact: str) -> bool:
        return not self.facts or fact in self.facts


def seed_text_name(record: Record, name: str, value: str) -> str:
    """A seed text's file name from its name or its three-digit prefix ("001")."""
    if value in record.texts:
        return value
    matches = [text for text in record.texts if text.startswith(f"{value}_")]
    if len(matches) != 1:
        known = ", ".join(sorted(record.texts))
        raise record.error(name, f"{value!r} is not a seed text ({known})")
    return matches[0]


def sources_read(
    record: Record,
    *,
    facts: Iterable[str],
    inherited: tuple[ProvenanceSeed, ...] = (),
) -> tuple[ProvenanceSeed, ...]:
    """The record's `sources`; without any, what it inherits (as the record as a whole)."""
    known = frozenset(facts)
    entries = tuple(
        _entry_read(item, known=known) for item in record.records("sources", label="source")
    )
    if entries:
        return entries
    if inherited:
        # What backs the whole of the record it comes from; entries for one of its fields
        # (a person's name, say) say nothing of this record.
        whole = [entry for entry in inherited if not entry.facts] or list(inherited)
        return tuple(
            ProvenanceSeed(
                facts=(),
                basis=entry.basis,
                text=entry.text,
                quote=entry.quote,
                reference=entry.reference,
                note=entry.note,
                where=f"{record.file}: {record.where}",
            )
            for entry in whole
        )
    raise record.error("sources", "is required: say where this record comes from")


def _entry_read(item: Record, *, known: frozenset[str]) -> ProvenanceSeed:
    facts = item.strings("facts", choices=known)
    inferred = item.text("inferred")
    reference = item.text("reference")
    text = item.text("text")
    quote = item.text("quote")
    note = item.text("note")
    if inferred and reference:
        raise item.error("reference", "an entry is either an inference or a reference")
    if text:
        text = seed_text_name(item, "text", text)
        if not quote:
            raise item.error("quote", "is required with a text: the passage, verbatim")
        if text_normalise(quote) not in item.texts[text]:
            raise item.error("quote", f"the quote is not in {text}: {quote[:80]!r}")
    elif quote:
        raise item.error("text", "is required with a quote: the seed text that holds it")
    if inferred:
        basis, note = Provenance.Basis.INFERRED, " ".join(filter(None, (inferred, note)))
    elif reference:
        basis = Provenance.Basis.REFERENCE
    elif text:
        basis = Provenance.Basis.STATED
    else:
        raise item.error(None, "give a text and its quote, an inference, or a reference")
    item.finish()
    return ProvenanceSeed(
        facts=facts,
        basis=basis,
        text=text,
        quote=quote,
        reference=reference,
        note=note,
        where=f"{item.file}: {item.where}",
    )


def sources_check_documents(
    entries: Iterable[ProvenanceSeed], *, documents_by_text: dict[str, str], full_texts: dict
) -> None:
    """Every quoted text is held by a seed document, and the quote by that document's text
    (so a reader can be taken from the fact to the passage)."""
    for entry in entries:
        if not entry.text:
            continue
        document = documents_by_text.get(entry.text)
        if document is None:
            raise SeedError(
                f"{entry.where}, field 'text': no document in documents.yaml holds {entry.text}"
            )
        if text_normalise(entry.quote) not in text_normalise(full_texts[document]):
            raise SeedError(
                f"{entry.where}, field 'quote': the quote is in {entry.text} but outside the "
                f"part document {document!r} holds"
            )


def fact_covered(entries: Iterable[ProvenanceSeed], fact: str) -> bool:
    return any(entry.covers(fact) for entry in entries)


# --- Writing -----------------------------------------------------------------------------


def provenance_write(
    *,
    items: Iterable[tuple[models.Model, tuple[ProvenanceSeed, ...]]],
    documents_by_text: dict[str, models.Model],
    tally: Tally,
    fact_names: dict[str, str] | None = None,
) -> int:
    """Each record's provenance rows, replaced only where they differ from its entries
    (so a second load writes nothing). Returns the number of rows wanted."""
    fact_names = fact_names or {}
    wanted: dict[tuple[int, int], list[Provenance]] = {}
    for record, entries in items:
        record_type = ContentType.objects.get_for_model(record)
        key = (record_type.pk, record.pk)
        wanted[key] = [
            _row(
                entry,
                record_type=record_type,
                record=record,
                position=position,
                documents_by_text=documents_by_text,
                fact_names=fact_names,
            )
            for position, entry in enumerate(entries)
        ]
    if not wanted:
        return 0
    existing: dict[tuple[int, int], list[tuple]] = {}
    query = models.Q()
    for record_type_id in {key[0] for key in wanted}:
        ids = [key[1] for key in wanted if key[0] == record_type_id]
        query |= models.Q(record_type_id=record_type_id, record_id__in=ids)
    for row in Provenance.objects.filter(query).order_by("position"):
        existing.setdefault((row.record_type_id, row.record_id), []).append(_comparable(row))
    stale = [
        key
        for key, rows in wanted.items()
        if key in existing and existing[key] != [_comparable(row) for row in rows]
    ]
    for record_type_id, record_id in stale:
        Provenance.objects.filter(record_type_id=record_type_id, record_id=record_id).delete()
    new = [
        row for key, rows in wanted.items() if key not in existing or key in stale for row in rows
    ]
    Provenance.objects.bulk_create(new)
    tally.created += len([key for key in wanted if key not in existing])
    tally.updated += len(stale)
    return sum(len(rows) for rows in wanted.values())


def _row(
    entry: ProvenanceSeed,
    *,
    record_type: ContentType,
    record: models.Model,
    position: int,
    documents_by_text: dict[str, models.Model],
    fact_names: dict[str, str],
) -> Provenance:
    source = documents_by_text.get(entry.text) if entry.text else None
    return Provenance(
        record_type=record_type,
        record_id=record.pk,
        facts=",".join(fact_names.get(fact, fact) for fact in entry.facts),
        basis=entry.basis,
        source_type=ContentType.objects.get_for_model(source) if source is not None else None,
        source_id=source.pk if source is not None else None,
        reference=entry.reference,
        quote=text_normalise(entry.quote),
        note=entry.note,
        position=position,
    )


def _comparable(row: Provenance) -> tuple:
    return (
        row.facts,
        row.basis,
        row.source_type_id,
        row.source_id,
        row.reference,
        row.quote,
        row.note,
        row.position,
    )


def sources_describe(entries: Iterable[ProvenanceSeed]) -> str:
    """The entries as plain text, for a record's own free-text source field."""
    lines = []
    for entry in entries:
        quoted = f"{entry.text}: “{text_normalise(entry.quote)}”" if entry.quote else ""
        if entry.basis == Provenance.Basis.STATED:
            lines.append(quoted)
        elif entry.basis == Provenance.Basis.INFERRED:
            lines.append(" ".join(filter(None, (f"Inferred: {entry.note}", quoted))))
        else:
            lines.append(
                " ".join(filter(None, (f"Outside reference: {entry.reference}", entry.note)))
            )
    return "\n".join(dict.fromkeys(lines))
