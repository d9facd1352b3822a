"""The seed data: loaded idempotently, faithful to the seed documents, refused when wrong."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
import yaml
from django.core.management import call_command

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
    PersonNameKey,
    Status,
)
from casework.search import people_matching_name
from casework.status import case_change_status
from seeds.loader import (
    NON_DOCUMENT_SOURCES,
    SEED_DIRECTORY,
    seeds_load,
    seeds_read,
    text_normalise,
)

SEED_TEXTS = {
    path.name: path.read_text(encoding="utf-8") for path in (SEED_DIRECTORY / "texts").glob("*.txt")
}

KIBHR_NAME = "Kazakhstan International Bureau for Human Rights and Rule of Law"

NAMED_IN_THE_BRIEF = [
    "Vladimir Kozlov",
    "Vadim Kuramshin",
    "Roza Tuletaeva",
    "Almat Zhumagulov",
    "Kenzhebek Abishev",
    "Aset Abishev",
    "Askhat Zheksebayev",
    "Kairat Klyshev",
    "Dulat Agadil",
    "Zhanbolat Agadil",
    "Dametkan Aspandiyarova",
    "Saltanat Kusmankyzy",
    "Lukpan Akhmedyarov",
    "Saniya Toiken",
    "Bota Jardemalie",
    "Mukhtar Ablyazov",
]

MODELS = [
    Organisation,
    IssuingBody,
    Affiliation,
    Charge,
    Document,
    Person,
    PersonAlias,
    PersonNameKey,
    Case,
    CaseEvent,
    Mention,
    Person.affiliations.through,
    Case.charges.through,
]
HISTORY_MODELS = [Organisation, Affiliation, Charge, Document, Person, Case, CaseEvent, Mention]


def row_counts() -> dict[str, int]:
    counts = {model._meta.label: model.objects.count() for model in MODELS}
    counts.update(
        {f"{model._meta.label} history": model.history.count() for model in HISTORY_MODELS}
    )
    return counts


# Every table the loader writes, children first, for the teardown below.
SEEDED_TABLES = [
    Mention,
    CaseEvent,
    Case,
    PersonAlias,
    PersonNameKey,
    Person,
    Document,
    IssuingBody,
    Affiliation,
    Charge,
    Organisation,
]


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """Load the seeds once for this module (the load is the slow part); each test still
    runs in its own rolled-back transaction on top, so a test that writes changes nothing
    for the next one. The rows are removed afterwards, so other modules start empty."""
    with django_db_blocker.unblock():
        counts = seeds_load()
    yield counts
    with django_db_blocker.unblock():
        for model in SEEDED_TABLES:
            model.objects.all().delete()
        for model in HISTORY_MODELS:
            model.history.all().delete()


@pytest.fixture
def seeded(seeded_once, db):
    return seeded_once


def case_of(full_name: str) -> Case:
    return Case.objects.select_related("person").get(person__full_name=full_name)


# --- Idempotency ---------------------------------------------------------------------


def test_it_loads_the_same_rows_and_history_when_run_twice(seeded):
    before = row_counts()

    again = seeds_load()

    assert row_counts() == before
    assert again["created"] == 0
    assert again["updated"] == 0
    assert {name: count for name, count in again.items() if name not in ("created", "updated")} == {
        name: count for name, count in seeded.items() if name not in ("created", "updated")
    }


def test_it_does_not_duplicate_status_events_on_a_second_run(seeded):
    seeds_load()

    kozlov_statuses = list(
        case_of("Vladimir Kozlov")
        .events.filter(kind=CaseEvent.Kind.STATUS)
        .order_by("happened_on")
        .values_list("happened_on", "status")
    )
    assert kozlov_statuses == [
        (datetime.date(2013, 4, 18), Status.IMPRISONED),
        (datetime.date(2016, 3, 30), Status.IMPRISONED),
    ]
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.STATUS).count() == seeded["status_events"]


def test_a_second_run_that_changes_nothing_runs_few_queries(seeded, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        seeds_load()


def test_a_second_run_restores_a_changed_organisation_name_and_creates_nothing(seeded):
    # Databases seeded before the name was corrected hold "... for Human Rights" only.
    Organisation.objects.filter(slug="kibhr").update(
        name="Kazakhstan International Bureau for Human Rights"
    )
    before = row_counts()

    again = seeds_load()

    assert Organisation.objects.get(slug="kibhr").name == KIBHR_NAME
    assert again["created"] == 0
    assert again["updated"] == 1
    assert row_counts() == {
        **before,
        "casework.Organisation history": before["casework.Organisation history"] + 1,
    }


def test_it_keeps_a_status_changed_after_seeding(seeded):
    case = case_of("Vadim Kuramshin")
    case_change_status(
        case=case, status=Status.RELEASED, on=datetime.date(2020, 1, 1), source="test"
    )

    seeds_load()

    case.refresh_from_db()
    assert case.status == Status.RELEASED


def test_the_command_prints_the_counts(seeded):
    output = StringIO()

    call_command("load_seeds", stdout=output)

    assert "people 28" in output.getvalue()
    assert "mentions 54" in output.getvalue()
    assert "created 0" in output.getvalue()


# --- Documents ---------------------------------------------------------------------------


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


# --- People and cases --------------------------------------------------------------------


def test_it_loads_at_least_25_people_each_with_a_public_case_of_the_host(seeded):
    host = Organisation.objects.get(slug="demo-ngo")

    assert host.kind == Organisation.Kind.HOST and host.name == "Advocase Demo NGO"
    assert Organisation.objects.get(slug="kibhr").kind == Organisation.Kind.PARTNER
    assert Person.objects.count() >= 25
    assert not Person.objects.filter(cases__isnull=True).exists()
    assert set(Case.objects.values_list("owning_organisation_id", flat=True)) == {host.pk}
    assert set(Case.objects.values_list("confidentiality", flat=True)) == {Confidentiality.PUBLIC}
    assert all(
        reference.startswith("SEED-")
        for reference in Case.objects.values_list("reference", flat=True)
    )


def test_the_partner_bureau_has_its_name_exactly_as_the_seed_text_gives_it(seeded):
    assert KIBHR_NAME in SEED_TEXTS["003_6578fd821a231ef1.txt"]
    assert Organisation.objects.get(slug="kibhr").name == KIBHR_NAME
    assert Affiliation.objects.get(slug="kibhr").name == KIBHR_NAME


@pytest.mark.parametrize("full_name", NAMED_IN_THE_BRIEF)
def test_every_person_named_in_the_brief_is_there(seeded, full_name):
    assert Person.objects.filter(full_name=full_name).count() == 1


def test_kozlov_is_imprisoned_with_neither_sentence_nor_article_as_no_seed_text_gives_them(seeded):
    case = case_of("Vladimir Kozlov")

    assert case.status == Status.IMPRISONED
    assert case.sentence == ""
    assert not case.charges.exists()
    assert "vague criminal charges" in case.summary
    assert list(case.person.affiliations.values_list("slug", flat=True)) == ["alga"]
    assert case.person.occupation == Person.Occupation.POLITICIAN


def test_the_facts_the_2021_texts_give_are_recorded(seeded):
    kusmankyzy = case_of("Saltanat Kusmankyzy")
    aspandiyarova = case_of("Dametkan Aspandiyarova")
    zhumagulov = case_of("Almat Zhumagulov")
    jardemalie = case_of("Bota Jardemalie")

    assert (kusmankyzy.status, kusmankyzy.sentence) == (
        Status.IMPRISONED,
        "8 years of imprisonment",
    )
    assert kusmankyzy.person.gender == Person.Gender.FEMALE
    assert aspandiyarova.status == Status.HOUSE_ARREST
    assert (zhumagulov.status, zhumagulov.sentence) == (Status.IMPRISONED, "long prison term")
    assert set(zhumagulov.person.affiliations.values_list("short_name", flat=True)) == {"DCK"}
    assert jardemalie.status == Status.IN_EXILE
    assert jardemalie.concern_transnational_repression
    assert jardemalie.person.occupation == Person.Occupation.LAWYER


def test_what_no_text_says_stays_unknown(seeded):
    for full_name in ("Ulasbek Akhmetov", "Lukpan Akhmedyarov", "Gyuzyal Bayadalinova"):
        case = case_of(full_name)
        assert case.status == Status.UNKNOWN
        assert case.status_since is None
        assert case.sentence == ""
        assert not case.events.exists()
    assert not Person.objects.exclude(native_name="").exists()  # no text gives a Cyrillic name
    assert not Case.objects.exclude(detained_on=None).exists()  # nor a detention date


def test_dulat_and_zhanbolat_agadil_are_two_people(seeded):
    father = case_of("Dulat Agadil")
    son = case_of("Zhanbolat Agadil")

    assert father.person_id != son.person_id
    assert father.status == Status.DIED_IN_CUSTODY
    assert son.status == Status.KILLED
    assert "Son of Dulat Agadil" in son.person.biography


def test_status_events_name_their_document_and_seed_text(seeded):
    event = case_of("Roza Tuletaeva").events.get(kind=CaseEvent.Kind.STATUS)

    assert event.status == Status.IMPRISONED
    assert event.previous_status == Status.UNKNOWN
    assert event.happened_on == datetime.date(2013, 4, 18)
    assert "P7_TA(2013)0190" in event.source
    assert "003_6578fd821a231ef1.txt" in event.source


# --- Affiliations and charges ---------------------------------------------------------------


def test_the_movements_and_ngos_are_there_and_bans_only_where_stated(seeded):
    banned = set(
        Affiliation.objects.filter(banned_as_extremist=True).values_list("slug", flat=True)
    )
    kinds = dict(Affiliation.objects.values_list("slug", "kind"))

    assert banned == {"dck", "koshe-party", "alga"}
    for slug in ("bostandyq-kz", "femina-virtute", "veritas", "405", "elimay"):
        assert kinds[slug] == Affiliation.Kind.CIVIL_SOCIETY
    for slug in ("odf", "hrw", "iphr", "amnesty-international", "kibhr"):
        assert kinds[slug] == Affiliation.Kind.NGO
    assert kinds["dck"] == Affiliation.Kind.MOVEMENT


def test_the_charges_include_the_old_and_new_codes(seeded):
    titles = {
        (charge.code, charge.article): charge.title
        for charge in Charge.objects.filter(jurisdiction="KZ")
    }

    assert titles[("CC 1997", "164")] == "inciting social discord"
    assert titles[("CC 2014", "174")] == "inciting social discord"
    assert titles[("CC 2014", "405")] == "participation in a banned extremist organisation"


# --- Mentions -------------------------------------------------------------------------------


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


def test_every_seed_record_names_its_source(seeded):
    seeds = seeds_read()
    allowed = set(SEED_TEXTS) | NON_DOCUMENT_SOURCES
    origins = [
        *(seed.origin for seed in seeds.organisations),
        *(seed.origin for seed in seeds.issuing_bodies),
        *(seed.origin for seed in seeds.affiliations),
        *(seed.origin for seed in seeds.charges),
        *(seed.origin for seed in seeds.documents),
        *(seed.origin for seed in seeds.people),
        *(case.origin for seed in seeds.people for case in seed.cases),
        *(
            event.origin
            for seed in seeds.people
            for case in seed.cases
            for event in case.status_events
        ),
        *(seed.origin for seed in seeds.mentions),
    ]

    assert origins
    for origin in origins:
        assert origin.sources and set(origin.sources) <= allowed, origin
    # Only the demo's own host and the design's charge articles come from outside the texts.
    assert sum("DESIGN.md" in origin.sources for origin in origins) == 3
    assert not Document.objects.filter(source="").exists()
    assert not Affiliation.objects.filter(source="").exists()
    assert not Case.objects.filter(sources="").exists()
    assert not CaseEvent.objects.filter(source="").exists()


def test_seed_people_are_found_by_other_spellings_of_their_names(seeded):
    for query in ("Жумагулов", "Jumagulov", "Almat Zhumagulov"):
        found = people_matching_name(people=Person.objects.all(), query=query)
        assert "Almat Zhumagulov" in set(found.values_list("full_name", flat=True)), query
