"""The seed loader refuses a bad seed file with a message naming file, record and field,
and writes nothing. (Apart from the modules that keep the seeds loaded: these start empty.)"""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from advocacy.models import Document
from casework.models import CaseEvent, Organisation, Person
from seeds.loader import SEED_DIRECTORY, SeedError, seeds_load
from tests.factories import HostOrganisationFactory, OrganisationFactory, PersonFactory


@pytest.fixture
def seed_copy(tmp_path) -> Path:
    """A copy of seeds/ to break on purpose."""
    directory = tmp_path / "seeds"
    shutil.copytree(SEED_DIRECTORY, directory, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return directory


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_it_refuses_an_unknown_status_naming_file_record_and_field_and_writes_nothing(
    db, seed_copy
):
    edit(seed_copy / "people.yaml", "status: imprisoned", "status: jailed")

    with pytest.raises(SeedError) as refused:
        seeds_load(directory=seed_copy)

    message = str(refused.value)
    assert "people.yaml" in message
    assert "Vladimir Kozlov" in message and "SEED-KOZLOV" in message
    assert "'status'" in message and "jailed" in message
    assert Person.objects.count() == 0
    assert Organisation.objects.count() == 0


def test_it_refuses_a_quote_that_is_not_in_its_seed_text(db, seed_copy):
    edit(
        seed_copy / "affiliations.yaml",
        "were labelled as “extremist organisations”.",
        "were banned.",
    )

    with pytest.raises(
        SeedError, match=r"affiliations\.yaml: record 1 \(dck\) > source 1, field 'quote'"
    ):
        seeds_load(directory=seed_copy)


def test_it_refuses_a_mention_of_an_unknown_case(db, seed_copy):
    edit(seed_copy / "mentions.yaml", "{case: SEED-KOZLOV,", "{case: SEED-NOBODY,")

    with pytest.raises(
        SeedError, match=r"mentions\.yaml: document 1 \(ep-2013-04-18\) > mention 1, field 'case'"
    ):
        seeds_load(directory=seed_copy)
    assert Document.objects.count() == 0


def test_it_refuses_a_misspelt_field(db, seed_copy):
    edit(seed_copy / "documents.yaml", "  votes_against: 43", "  votes_againts: 43")

    with pytest.raises(SeedError, match=r"record 8 \(ep-2021-02-11\), field 'votes_againts'"):
        seeds_load(directory=seed_copy)


def test_the_command_reports_a_bad_seed_file_and_writes_nothing(db, seed_copy):
    edit(
        seed_copy / "documents.yaml",
        "issued_on: 2021-02-11\n  votes_for",
        "issued_on: 2021-02-31\n  votes_for",
    )

    with pytest.raises(
        CommandError, match=r"documents\.yaml: record 8 \(ep-2021-02-11\), field 'issued_on'"
    ):
        call_command("load_seeds", directory=seed_copy, stdout=StringIO())
    assert Document.objects.count() == 0


def test_it_refuses_to_make_a_second_host_organisation(db):
    HostOrganisationFactory()

    with pytest.raises(SeedError, match="another host organisation"):
        seeds_load()
    assert Person.objects.count() == 0


def test_a_failure_half_way_through_writing_leaves_nothing_behind(db, seed_copy):
    # Kuramshin comes after Kozlov, whose rows are written by then; a status dated in the
    # future is refused by casework.status, and the whole load must roll back.
    people = seed_copy / "people.yaml"
    before, kuramshin = people.read_text(encoding="utf-8").split("reference: SEED-KURAMSHIN")
    kuramshin = kuramshin.replace("reported_on: 2013-04-18", "reported_on: 2999-04-18", 1)
    people.write_text(f"{before}reference: SEED-KURAMSHIN{kuramshin}", encoding="utf-8")

    with pytest.raises(
        SeedError, match=r"people\.yaml: person \(Vadim Kuramshin\) > case \(SEED-KURAMSHIN\)"
    ):
        seeds_load(directory=seed_copy)
    assert Person.objects.count() == 0
    assert CaseEvent.objects.count() == 0
    assert Organisation.objects.count() == 0


def test_it_leaves_a_partners_person_of_the_same_name_alone(db):
    partner = OrganisationFactory(name="Bostandyq Partner", slug="bostandyq-partner")
    theirs = PersonFactory(
        full_name="Vladimir Kozlov", owning_organisation=partner, biography="Partner's notes."
    )

    seeds_load()

    theirs.refresh_from_db()
    assert (theirs.owning_organisation, theirs.biography) == (partner, "Partner's notes.")
    seeded = Person.objects.get(full_name="Vladimir Kozlov", owning_organisation__slug="demo-ngo")
    assert seeded.cases.get().reference == "SEED-KOZLOV"
    assert not theirs.cases.exists()


def test_it_refuses_to_name_someone_in_a_resolution_on_a_statements_word_alone(db, seed_copy):
    # The foundation's own account of Saltanat Kusmankyzy says nothing of the resolution.
    edit(
        seed_copy / "mentions.yaml",
        '      - {case: SEED-AKHMEDYAROV, text: "001", passage: *media}',
        '      - {case: SEED-AKHMEDYAROV, text: "001", passage: *media}\n'
        '      - {case: SEED-KUSMANKYZY, text: "001", passage: *kusmankyzy}',
    )

    with pytest.raises(SeedError) as refused:
        seeds_load(directory=seed_copy)

    message = str(refused.value)
    assert (
        "document 5 (ep-2021-02-11) > mention 16 (SEED-KUSMANKYZY), field 'attribution'" in message
    )
    assert "nothing in it attributes it to ep-2021-02-11" in message
    assert Document.objects.count() == 0


def test_it_refuses_a_demand_that_the_quoting_text_makes_and_not_the_document(db, seed_copy):
    edit(
        seed_copy / "mentions.yaml",
        '{case: SEED-JARDEMALIE, text: "001", passage: *interpol}',
        '{case: SEED-JARDEMALIE, text: "001", passage: *interpol, demands: [investigation], '
        'demand_quote: "calling for an independent investigation into the facts of interference"}',
    )

    with pytest.raises(SeedError, match=r"SEED-JARDEMALIE\), field 'attribution'"):
        seeds_load(directory=seed_copy)


def test_it_refuses_a_record_that_does_not_say_where_it_comes_from(db, seed_copy):
    edit(
        seed_copy / "charges.yaml",
        '  sources:\n    - reference: "Project design (DESIGN.md)"\n      note: "“art. 405',
        '  x_sources:\n    - reference: "Project design (DESIGN.md)"\n      note: "“art. 405',
    )

    with pytest.raises(SeedError, match=r"charges\.yaml: record 3, field 'sources': is required"):
        seeds_load(directory=seed_copy)


def test_it_refuses_a_quote_from_a_part_of_a_text_no_document_holds(db, seed_copy):
    # "Latest News" is the web page's furniture after the article, cut off from the document.
    edit(
        seed_copy / "issuing_bodies.yaml",
        'quote: "Join EUobserver today"',
        'quote: "Latest News"',
    )

    with pytest.raises(SeedError, match=r"the quote is in 002_\w+\.txt but outside the part"):
        seeds_load(directory=seed_copy)


def test_it_refuses_a_document_language_that_is_not_a_code(db, seed_copy):
    edit(
        seed_copy / "documents.yaml",
        "  votes_against: 43",
        "  votes_against: 43\n  language: Russian",
    )

    with pytest.raises(SeedError, match=r"record 8 \(ep-2021-02-11\), field 'language'"):
        seeds_load(directory=seed_copy)
