"""seeds.documents: the documents and the mentions that link them to cases."""

from __future__ import annotations

import datetime

import pytest

from advocacy.models import Document, Mention
from casework.partial_dates import Precision
from seeds.loader import seeds_read, text_normalise
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


def test_every_seed_text_is_held_by_one_document_cut_from_it(seeded):
    held = {}
    for seed in seeds_read().documents:
        for text in seed.held_texts:
            held[text] = Document.objects.get(title=seed.title)

    assert set(held) == set(SEED_TEXTS)
    for text, document in held.items():
        assert len(document.full_text) > 2500, text
        assert document.full_text in SEED_TEXTS[text]
        assert f"seeds/texts/{text}" in document.source


def test_the_press_articles_are_documents_of_their_publishers(seeded):
    euobserver = Document.objects.get(title="EU defends Kazakh leader on human rights")
    article = Document.objects.get(issuing_body__name="News website (not named in its text)")

    assert (euobserver.kind, euobserver.issuing_body.name) == (Document.Kind.ARTICLE, "EUobserver")
    assert article.kind == Document.Kind.ARTICLE
    assert article.title.startswith("Kazakhstan appears to be caving into public pressure")


@pytest.mark.parametrize(
    ("title_start", "issued_on", "precision"),
    [
        # "said today": the statement's own day is not given.
        ("Human Rights Watch: the EU should act", datetime.date(2012, 1, 1), Precision.YEAR),
        # "out on 3 March": the year is inferred (and marked so).
        ("Amnesty International report", datetime.date(2016, 3, 3), Precision.DAY),
        ("Open Dialogue Foundation letter", datetime.date(2016, 1, 1), Precision.YEAR),
        ("EU defends Kazakh leader", datetime.date(2016, 1, 1), Precision.YEAR),
        ("Kazakhstan: the EP’s new resolution", datetime.date(2021, 1, 1), Precision.YEAR),
        ("Appeal of over 800 citizens", datetime.date(2021, 1, 1), Precision.YEAR),
        ("Kazakhstan appears to be caving", datetime.date(2021, 2, 1), Precision.MONTH),
    ],
)
def test_a_document_the_texts_do_not_date_to_the_day_has_a_partial_date(
    seeded, title_start, issued_on, precision
):
    document = Document.objects.get(title__startswith=title_start)

    assert (document.issued_on, document.issued_on_precision) == (issued_on, precision)


def test_it_records_the_letter_to_tusk_and_the_citizens_appeal(seeded):
    letter = Document.objects.get(kind=Document.Kind.LETTER)
    appeal = Document.objects.get(kind=Document.Kind.APPEAL)

    assert letter.issuing_body.short_name == "ODF"
    assert "Tusk" in letter.title
    assert "stepped-up its repressive actions" in letter.full_text
    assert "Sassoli" in appeal.title and "Borrell" in appeal.title
    assert "Over 800 citizens" in appeal.provenance.get(facts__contains="title").quote


def test_mentions_link_documents_to_the_people_they_name(seeded):
    kozlov_documents = set(
        Mention.objects.filter(case__person__full_name="Vladimir Kozlov").values_list(
            "document__issuing_body__short_name", "document__issued_on__year"
        )
    )
    resolution_2013 = Mention.objects.get(
        document__reference="P7_TA(2013)0190", case__person__full_name="Roza Tuletaeva"
    )

    assert kozlov_documents == {("EP", 2013), ("IPHR", 2013), ("ODF", 2016), ("", 2016)}
    assert resolution_2013.demands_release
    assert Mention.objects.filter(document__reference="P9_TA(2021)0056").count() == 16
    assert set(Mention.objects.values_list("origin", "state")) == {
        (Mention.Origin.SEED, Mention.State.CONFIRMED)
    }


@pytest.mark.parametrize(
    "full_name",
    [
        "Dulat Agadil",
        "Zhanbolat Agadil",
        "Amanbike Khairolla",
        "Serik Orazov",
        "Garifulla Embergenov",
        "Saltanat Kusmankyzy",
        "Dametkan Aspandiyarova",
    ],
)
def test_no_one_is_named_in_the_2021_resolution_whom_no_passage_says_it_names(seeded, full_name):
    assert not Mention.objects.filter(
        document__reference="P9_TA(2021)0056", case__person__full_name=full_name
    ).exists()
    assert Mention.objects.filter(
        document__issuing_body__short_name="ODF", case__person__full_name=full_name
    ).exists()


def test_a_resolutions_mention_records_the_statement_it_is_quoted_in(seeded):
    mention = Mention.objects.select_related("quoted_in").get(
        document__reference="P9_TA(2021)0056", case__person__full_name="Almat Zhumagulov"
    )

    assert (
        mention.quoted_in.title
        == "Kazakhstan: the EP’s new resolution urges for sanctions against human rights violators"
    )
    assert mention.passage.startswith("The resolution puts emphasis on the immediate release")
    assert (mention.start, mention.end) == (None, None)
    assert text_normalise(mention.passage) in text_normalise(mention.quoted_in.full_text)


def test_the_statements_own_mentions_carry_no_demand_of_the_parliament(seeded):
    statements = Mention.objects.filter(document__kind=Document.Kind.STATEMENT)

    assert statements.count() == 26
    assert not statements.filter(demands_release=True).exists()
    assert not statements.exclude(quoted_in=None).exists()
    assert (
        Mention.objects.filter(document__reference__startswith="P", demands_release=True).count()
        == 8
    )


def test_every_mention_passage_is_in_its_document_or_the_one_it_is_quoted_in(seeded):
    for mention in Mention.objects.select_related("document", "quoted_in"):
        holder = mention.quoted_in or mention.document
        assert text_normalise(mention.passage) in text_normalise(holder.full_text), mention
        assert mention.matched_text in mention.passage
        if mention.start is not None:
            assert mention.document.full_text[mention.start : mention.end] == mention.matched_text
