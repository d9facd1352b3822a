"""seeds.documents: the documents and the mentions that link them to cases."""

from __future__ import annotations

import datetime

import pytest
import yaml

from advocacy.models import Document, Mention
from seeds.loader import SEED_DIRECTORY, seeds_read, text_normalise
from tests.seeds.seeded import SEED_TEXTS


def test_it_records_the_2021_vote_tally(seeded):
    resolution = Document.objects.get(reference="P9_TA(2021)0056")

    assert (resolution.votes_for, resolution.votes_against, resolution.votes_abstained) == (
        598,
        43,
        52,
    )
    assert resolution.procedure == "2021/2544(RSP)"
    assert resolution.issued_on == datetime.date(2021, 2, 11)
    assert resolution.issuing_body.name == "European Parliament"


@pytest.mark.parametrize(
    ("reference", "procedure", "issued_on", "kind"),
    [
        (
            "P7_TA(2012)0459",
            "2012/2153(INI)",
            datetime.date(2012, 11, 22),
            Document.Kind.RECOMMENDATION,
        ),
        ("P7_TA(2013)0190", "2013/2600(RSP)", datetime.date(2013, 4, 18), Document.Kind.RESOLUTION),
    ],
)
def test_it_records_the_earlier_parliament_texts(seeded, reference, procedure, issued_on, kind):
    document = Document.objects.get(reference=reference)

    assert (document.procedure, document.issued_on, document.kind) == (procedure, issued_on, kind)
    assert document.votes_for is None  # no seed text gives a tally for these


def test_the_ngo_statements_carry_their_seed_text_in_full(seeded):
    statements = {
        "Human Rights Watch": "004_ed23822aff70b5b5.txt",
        "International Partnership for Human Rights": "003_6578fd821a231ef1.txt",
        "Open Dialogue Foundation": "001_7fed3bdafdd98d63.txt",
    }
    for body, seed_file in statements.items():
        statement = Document.objects.get(issuing_body__name=body, kind=Document.Kind.STATEMENT)
        assert len(statement.full_text) > 3000
        assert statement.full_text in SEED_TEXTS[seed_file]


def test_it_records_the_letter_to_tusk_and_the_citizens_appeal(seeded):
    letter = Document.objects.get(kind=Document.Kind.LETTER)
    appeal = Document.objects.get(kind=Document.Kind.APPEAL)

    assert letter.issuing_body.short_name == "ODF"
    assert "Tusk" in letter.title
    assert "stepped-up its repressive actions" in letter.full_text
    assert "Sassoli" in appeal.title and "Borrell" in appeal.title
    assert "Over 800 citizens" in appeal.source


def test_mentions_link_documents_to_the_people_they_name(seeded):
    kozlov_documents = set(
        Mention.objects.filter(case__person__full_name="Vladimir Kozlov").values_list(
            "document__issuing_body__short_name", "document__issued_on__year"
        )
    )
    resolution_2013 = Mention.objects.get(
        document__reference="P7_TA(2013)0190", case__person__full_name="Roza Tuletaeva"
    )

    assert kozlov_documents == {("EP", 2013), ("IPHR", 2013), ("ODF", 2016)}
    assert resolution_2013.demands_release
    assert Mention.objects.filter(document__reference="P9_TA(2021)0056").count() == 22
    assert set(Mention.objects.values_list("origin", "state")) == {
        (Mention.Origin.SEED, Mention.State.CONFIRMED)
    }


def test_every_mention_passage_is_in_its_document_or_cited_seed_text(seeded):
    raw = yaml.safe_load((SEED_DIRECTORY / "mentions.yaml").read_text(encoding="utf-8"))
    sources = {
        (group["document"], mention["case"]): group.get("source") or mention.get("source")
        for group in raw["documents"]
        for mention in group["mentions"]
    }
    keys = {seed.key: seed for seed in seeds_read().documents}
    key_by_title = {seed.title: key for key, seed in keys.items()}

    for mention in Mention.objects.select_related("document", "case"):
        passage = text_normalise(mention.passage)
        source = sources[(key_by_title[mention.document.title], mention.case.reference)]
        assert passage in text_normalise(mention.document.full_text) or passage in text_normalise(
            SEED_TEXTS[source]
        ), mention
        assert mention.matched_text in mention.passage
        if mention.start is not None:
            assert mention.document.full_text[mention.start : mention.end] == mention.matched_text
