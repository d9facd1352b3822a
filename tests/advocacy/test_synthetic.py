"""generate_data: the counts asked for, no seed person's name, history for every row, and
the same data for the same seed."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction

from advocacy.models import Document, Mention
from advocacy.synthetic import (
    GENERATE_DATA_REASON,
    SURNAMES,
    seed_person_names,
    synthetic_data_generate,
    synthetic_surnames,
)
from casework.models import Case, CaseEvent, FollowUp, Person, PersonAlias, PersonNameKey
from casework.names import name_parts
from tests.factories import UserFactory

HISTORY_MODELS = [Person, PersonAlias, Case, CaseEvent, Document, Mention, FollowUp]


def family_stem(name: str) -> str:
    family = name_parts(name).family
    return family[:-1] if family.endswith(("ova", "eva", "ina")) else family


def dataset(seed: int) -> tuple:
    """Generate 50 cases, read back everything that should follow from the seed (no primary
    keys: sequences move on after a rollback), and roll the rows back."""
    with transaction.atomic():
        synthetic_data_generate(cases=50, seed=seed)
        rows = (
            list(
                Person.objects.order_by("pk").values_list(
                    "full_name", "native_name", "birth_year", "gender", "region", "occupation"
                )
            ),
            list(PersonAlias.objects.order_by("pk").values_list("person__full_name", "name")),
            list(
                Case.objects.order_by("reference").values_list(
                    "reference", "person__full_name", "status", "detained_on", "sentence"
                )
            ),
            sorted(Case.charges.through.objects.values_list("case__reference", "charge__article")),
            list(CaseEvent.objects.order_by("pk").values_list("case__reference", "kind", "status")),
            list(Mention.objects.order_by("pk").values_list("document__title", "case__reference")),
            list(FollowUp.objects.order_by("pk").values_list("case__reference", "due_on")),
        )
        transaction.set_rollback(True)
    return rows


def test_it_generates_the_cases_asked_for_with_people_timelines_and_mentions(db):
    counts = synthetic_data_generate(cases=50, seed=3)

    assert Case.objects.filter(reference__startswith="GEN3-").count() == counts.cases == 50
    assert Person.objects.count() == counts.people == 44  # one person in eight has two cases
    assert PersonAlias.objects.count() == counts.aliases > 0
    assert PersonNameKey.objects.count() == counts.name_keys > counts.people
    assert CaseEvent.objects.count() == counts.events >= 50
    assert Document.objects.count() == counts.documents == 5
    assert not Case.objects.filter(events__isnull=True).exists()
    assert set(Mention.objects.values_list("origin", flat=True)) == {Mention.Origin.GENERATED}
    assert Mention.objects.count() == counts.mentions > 0


def test_no_generated_person_bears_the_name_of_a_seed_person(db):
    seed_names = seed_person_names()
    seed_families = {family_stem(name) for name in seed_names}

    synthetic_data_generate(cases=50, seed=3)

    generated = list(Person.objects.values_list("full_name", "native_name"))
    assert "Almat Zhumagulov" in seed_names
    assert not {full_name for full_name, _ in generated} & set(seed_names)
    assert not {family_stem(full_name) for full_name, _ in generated} & seed_families
    assert not {family_stem(native_name) for _, native_name in generated} & seed_families


def test_the_surname_pool_shares_no_family_name_with_the_seed_people():
    assert synthetic_surnames(surnames=SURNAMES, seed_names=seed_person_names()) == SURNAMES


def test_the_run_time_check_drops_a_seed_surname_in_either_script_and_gender():
    surnames = ["Жумагулов", "Тулетаев", "Абишев", "Иванов"]
    seed_names = ["Almat Zhumagulov", "Roza Tuletaeva", "Абишева Асель"]

    assert synthetic_surnames(surnames=surnames, seed_names=seed_names) == ["Иванов"]


def test_every_generated_row_has_its_creation_history_row(db):
    synthetic_data_generate(cases=50, seed=3)

    for model in HISTORY_MODELS:
        created = model.history.filter(history_type="+")
        assert created.count() == model.objects.count() > 0, model.__name__
        # Besides its creation, a case may have one more row: its status fields as the
        # timeline rule derives them (casework.status.timelines_recompute).
        assert set(model.history.values_list("history_type", "history_change_reason")) <= {
            ("+", GENERATE_DATA_REASON),
            ("~", GENERATE_DATA_REASON),
        }, model.__name__
    charges_history = apps.get_model("casework", "HistoricalCase_charges")
    created_rows = charges_history.objects.filter(history__history_type="+")
    assert created_rows.count() == Case.charges.through.objects.count()
    case = Case.objects.order_by("reference").first()
    assert {row.charge_id for row in case.history.get(history_type="+").charges.all()} == set(
        case.charges.values_list("pk", flat=True)
    )


def test_the_command_records_the_user_it_is_given(db):
    user = UserFactory(username="data-steward")

    call_command("generate_data", cases=5, seed=4, user="data-steward", stdout=None)

    assert set(Case.history.values_list("history_user_id", flat=True)) == {user.pk}
    assert set(Case.objects.values_list("created_by_id", flat=True)) == {user.pk}


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data(db):
    first = dataset(3)

    assert dataset(3) == first
    assert dataset(5) != first


def test_the_command_refuses_a_seed_it_has_used_and_an_unknown_user(db):
    call_command("generate_data", cases=5, seed=6, stdout=None)

    with pytest.raises(CommandError, match="GEN6-"):
        call_command("generate_data", cases=5, seed=6)
    with pytest.raises(CommandError, match="nobody"):
        call_command("generate_data", cases=5, seed=7, user="nobody")
