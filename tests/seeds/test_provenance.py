"""Every seed record walked: each fact stated by a text (the passage kept, verbatim),
marked as an inference with its reason, or taken from an outside reference named as such;
each date sourced; nobody "named in the resolution" unless a passage says the resolution
names them."""

from __future__ import annotations

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation

from advocacy.models import Document, IssuingBody, Mention
from casework.models import (
    Affiliation,
    Case,
    CaseEvent,
    Charge,
    Organisation,
    Person,
    Provenance,
)
from casework.partial_dates import Precision
from seeds.loader import seeds_read, text_normalise
from seeds.provenance import sources_read
from seeds.records import Record, SeedError
from tests.seeds.seeded import SEED_TEXTS

SEEDED_MODELS = [
    Organisation,
    IssuingBody,
    Affiliation,
    Charge,
    Document,
    Person,
    Case,
    CaseEvent,
    Mention,
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
# Words by which a record would say a document names someone or demands something for them.
NAMING = re.compile(
    r"\b(mentions?|named?|puts emphasis|calls? attention|called attention|calls? for|"
    r"called for|urges?|urged|demanded)\b"
)


def rows_of(record) -> list[Provenance]:
    return list(
        Provenance.objects.filter(
            record_type=ContentType.objects.get_for_model(record), record_id=record.pk
        )
    )


def seed_text_of_document() -> dict[int, str]:
    """The seed text each document holds, by document id."""
    seeds = seeds_read()
    by_title = dict(Document.objects.values_list("title", "pk"))
    return {by_title[seed.title]: text for seed in seeds.documents for text in seed.held_texts}


@pytest.mark.parametrize("model", SEEDED_MODELS, ids=lambda model: model.__name__)
def test_every_seeded_record_says_where_it_comes_from(seeded, model):
    record_type = ContentType.objects.get_for_model(model)
    with_rows = set(
        Provenance.objects.filter(record_type=record_type).values_list("record_id", flat=True)
    )
    ids = set(model.objects.values_list("pk", flat=True))

    assert ids
    assert ids <= with_rows, f"{len(ids - with_rows)} {model.__name__} rows without provenance"


def test_every_quote_is_verbatim_in_the_seed_text_it_cites_and_in_its_document(seeded):
    texts = seed_text_of_document()
    documents = {document.pk: document for document in Document.objects.all()}
    quoted = Provenance.objects.exclude(quote="")

    assert quoted.count() > 200
    for row in quoted:
        assert row.source_type == ContentType.objects.get_for_model(Document), row.pk
        assert row.source_id in texts, f"{row} cites a document that holds no seed text"
        quote = text_normalise(row.quote)
        assert quote in text_normalise(SEED_TEXTS[texts[row.source_id]]), row.quote[:80]
        assert quote in text_normalise(documents[row.source_id].full_text), row.quote[:80]


def test_a_stated_fact_points_at_its_source_and_an_inference_says_why(seeded):
    for row in Provenance.objects.all():
        if row.basis == Provenance.Basis.STATED:
            assert row.quote and row.source_id, row.pk
        elif row.basis == Provenance.Basis.INFERRED:
            assert len(row.note) > 20, row.pk
        else:
            assert row.reference, row.pk


def _date_sourced(rows: list[Provenance], field: str, value, precision: str) -> bool:
    covering = [row for row in rows if row.covers(field) and (row.facts or row.basis != "stated")]
    if not covering:
        return False
    if any(row.basis in ("inferred", "reference") for row in covering):
        return True
    # Stated: the passage gives the year and, for a month or a day, the month.
    return any(
        str(value.year) in row.quote
        and (precision == Precision.YEAR or MONTHS[value.month - 1] in row.quote)
        for row in covering
    )


def test_every_date_has_a_stated_or_marked_source(seeded):
    checked = 0
    for document in Document.objects.all():
        assert _date_sourced(
            rows_of(document), "issued_on", document.issued_on, document.issued_on_precision
        ), document.title
        checked += 1
    for case in Case.objects.all():
        for field in Case.PARTIAL_DATE_FIELDS:
            value = getattr(case, field)
            if value is not None:
                precision = getattr(case, f"{field}_precision")
                assert _date_sourced(rows_of(case), field, value, precision), case.reference
                checked += 1
    for event in CaseEvent.objects.select_related("case"):
        # A status event is undated; the day it is recorded as of is the date to source.
        field, value = (
            ("happened_on", event.happened_on)
            if event.happened_on is not None
            else ("recorded_at", timezone.localdate(event.recorded_at))
        )
        assert _date_sourced(rows_of(event), field, value, Precision.DAY), event.case.reference
        checked += 1
    assert checked == 11 + 14


def test_a_date_the_texts_do_not_give_is_marked_inferred_with_its_reason(seeded):
    letter = Document.objects.get(kind=Document.Kind.LETTER)
    rows = [row for row in rows_of(letter) if row.covers("issued_on") and row.facts]

    assert [row.basis for row in rows] == ["inferred"]
    assert "30 March fell on a Wednesday in 2016" in rows[0].note
    assert "ahead of the Kazakh visit" in rows[0].note


def test_no_mention_names_someone_in_a_document_unless_a_passage_attributes_it(seeded):
    called = {seed.title: seed.called for seed in seeds_read().documents}
    mentions = Mention.objects.filter(state=Mention.State.CONFIRMED).select_related(
        "document", "quoted_in"
    )

    quoted = 0
    for mention in mentions:
        if mention.quoted_in is None:
            assert text_normalise(mention.passage) in text_normalise(mention.document.full_text)
            continue
        quoted += 1
        attributing = [mention.passage] + [
            row.quote for row in rows_of(mention) if row.covers("document")
        ]
        words = " ".join(attributing).casefold()
        assert any(phrase.casefold() in words for phrase in called[mention.document.title]), mention
    assert quoted == 3 + 3 + 16


def test_no_record_says_a_document_names_someone_it_does_not_name(seeded):
    """A biography or summary that says the Parliament (or its resolution) mentions, names,
    urges or calls for something about a person stands only beside a mention of that person
    by a European Parliament document."""
    named_by_parliament = set(
        Mention.objects.filter(
            document__issuing_body__short_name="EP", state=Mention.State.CONFIRMED
        ).values_list("case__person_id", flat=True)
    )
    claims = 0
    for person in Person.objects.prefetch_related("cases"):
        texts = [person.biography, *(case.summary for case in person.cases.all())]
        for sentence in re.split(r"(?<=[.;])\s+", " ".join(texts)):
            speaks_of_parliament = "resolution" in sentence or "European Parliament" in sentence
            if speaks_of_parliament and NAMING.search(sentence):
                claims += 1
                assert person.pk in named_by_parliament, (person.full_name, sentence)
    assert claims > 20


def test_demands_are_attached_to_the_document_that_made_them(seeded):
    demanding = Mention.objects.exclude(
        demands_release=False,
        demands_investigation=False,
        demands_end_of_harassment=False,
        demands_medical_care=False,
        demands_fair_trial=False,
    ).select_related("document")

    assert demanding.count() == 8
    for mention in demanding:
        # The release the NGOs report is the Parliament's: only its documents demand it here.
        assert mention.document.issuing_body.short_name == "EP", mention
        assert "release" in mention.passage


# --- Reading a record's sources (no database) ------------------------------------------------

TEXTS = {"001_abc.txt": text_normalise("The resolution mentions\n  Almat Zhumagulov.")}


def record(sources) -> Record:
    return Record(file="people.yaml", where="person 3", data={"sources": sources}, texts=TEXTS)


def test_it_reads_a_quote_folded_over_lines_from_a_text_named_by_its_prefix():
    (entry,) = sources_read(
        record([{"text": "001", "quote": "mentions Almat\n Zhumagulov", "facts": ["full_name"]}]),
        facts=["full_name"],
    )

    assert (entry.basis, entry.text, entry.facts) == ("stated", "001_abc.txt", ("full_name",))


def test_it_refuses_a_quote_its_text_does_not_hold():
    with pytest.raises(SeedError, match=r"person 3 > source 1, field 'quote': the quote is not in"):
        sources_read(record([{"text": "001", "quote": "Zhumagulov was released"}]), facts=[])


def test_it_refuses_an_inference_without_facts_it_knows():
    with pytest.raises(SeedError, match=r"field 'facts': 'birthday' is not one of"):
        sources_read(record([{"inferred": "why", "facts": ["birthday"]}]), facts=["gender"])


def test_an_entry_is_a_quote_an_inference_or_a_reference():
    entries = sources_read(
        record([{"inferred": "Its initials."}, {"reference": "EP register", "note": "n"}]),
        facts=[],
    )

    assert [entry.basis for entry in entries] == ["inferred", "reference"]
    with pytest.raises(SeedError, match="give a text and its quote, an inference, or a reference"):
        sources_read(record([{"note": "just a note"}]), facts=[])


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_what_a_source_backs_is_named_in_the_reader_s_language(seeded, language):
    # The case page's source notes ("Backs case: summary; person: biography") showed the
    # English names of records and fields on the Russian and Kazakh pages.
    from casework.templatetags.provenance import _backs_label

    shown_on_case_pages = (Case, Person, CaseEvent, Affiliation, Document, Mention)
    rows = [
        row
        for row in Provenance.objects.select_related("record_type")
        if row.record_type.model_class() in shown_on_case_pages
    ]
    assert rows
    with translation.override(language):
        english = {
            label for row in rows if re.search(r"[a-z]", label := _backs_label(row.record, row))
        }
    assert english == set()
