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

    with pytest.raises(SeedError, match=r"affiliations\.yaml: record 1 \(dck\), field 'quote'"):
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

    with pytest.raises(SeedError, match=r"record 7 \(ep-2021-02-11\), field 'votes_againts'"):
        seeds_load(directory=seed_copy)


def test_the_command_reports_a_bad_seed_file_and_writes_nothing(db, seed_copy):
    edit(
        seed_copy / "documents.yaml",
        "issued_on: 2021-02-11\n  votes_for",
        "issued_on: 2021-02-31\n  votes_for",
    )

    with pytest.raises(
        CommandError, match=r"documents\.yaml: record 7 \(ep-2021-02-11\), field 'issued_on'"
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
    edit(
        seed_copy / "people.yaml",
        '{status: imprisoned, "on": 2013-04-18, document: ep-2013-04-18, source: 003_6578fd821a231ef1.txt, quote: *ep2013_release}\n\n- full_name: Roza',
        '{status: imprisoned, "on": 2999-04-18, document: ep-2013-04-18, source: 003_6578fd821a231ef1.txt, quote: *ep2013_release}\n\n- full_name: Roza',
    )

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
