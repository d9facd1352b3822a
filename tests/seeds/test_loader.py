"""seeds.loader: the whole load, idempotent, and the command that runs it."""

from __future__ import annotations

import datetime
from io import StringIO

from django.core.management import call_command

from advocacy.models import Document, IssuingBody, Mention
from casework.models import (
    Affiliation,
    Case,
    CaseEvent,
    Charge,
    Organisation,
    Person,
    PersonAlias,
    PersonNameKey,
    Provenance,
    Status,
)
from casework.status import case_change_status
from seeds.loader import seeds_load
from tests.seeds.seeded import HISTORY_MODELS, case_of

KIBHR_NAME = "Kazakhstan International Bureau for Human Rights and Rule of Law"

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
    Provenance,
    Person.affiliations.through,
    Case.charges.through,
]


def row_counts() -> dict[str, int]:
    counts = {model._meta.label: model.objects.count() for model in MODELS}
    counts.update(
        {f"{model._meta.label} history": model.history.count() for model in HISTORY_MODELS}
    )
    return counts


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
        .order_by("recorded_at")
        .values_list("happened_on", "recorded_at__date", "status")
    )
    # The letter to Donald Tusk is of unknown date: it dates no status event.
    assert kozlov_statuses == [(None, datetime.date(2013, 4, 18), Status.IMPRISONED)]
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
    assert "mentions 51" in output.getvalue()
    assert "created 0" in output.getvalue()


def test_a_second_run_rejects_a_seed_mention_the_files_no_longer_make(seeded):
    # A database seeded before the audit linked Saltanat Kusmankyzy to the 2021 resolution.
    resolution = Document.objects.get(reference="P9_TA(2021)0056")
    stale = Mention.objects.create(
        document=resolution,
        case=case_of("Saltanat Kusmankyzy"),
        passage="The cooperation between Kazakhstani and Chinese authorities",
        origin=Mention.Origin.SEED,
    )

    again = seeds_load()

    stale.refresh_from_db()
    assert stale.state == Mention.State.REJECTED
    assert again["updated"] == 1
    assert seeds_load()["updated"] == 0


def test_a_second_run_restores_a_records_changed_provenance(seeded):
    person = case_of("Vladimir Kozlov").person
    person.provenance.filter(position=1).delete()

    again = seeds_load()

    assert person.provenance.count() == 2
    assert (again["created"], again["updated"]) == (0, 1)
