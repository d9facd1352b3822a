"""Every hostile file fails with a clear message and writes nothing: no person, case, event,
charge or place, and no history row of any of them."""

from __future__ import annotations

import pytest
from django.utils import translation

from casework.importing.runs import import_file_run
from casework.models import (
    Case,
    CaseEvent,
    Charge,
    DetentionPlace,
    ImportRun,
    Membership,
    Person,
    PersonNameKey,
)
from tests.casework.import_files.hostile import HOSTILE
from tests.support.catalogues import every_marked_string_tagged

WATCHED = (Person, Case, CaseEvent, Charge, DetentionPlace, PersonNameKey)


def _counts() -> dict[str, int]:
    counts = {model.__name__: model.objects.count() for model in WATCHED}
    for model in (Person, Case, CaseEvent, Charge, DetentionPlace):
        counts[f"history of {model.__name__}"] = model.history.model.objects.count()
    counts["case charge history"] = Case.history.model.charges.model.objects.count()
    return counts


@pytest.fixture
def existing_records(partner_organisation, host):
    from tests.factories import CaseFactory, PersonFactory

    person = PersonFactory(full_name="Ivan Ivanov", owning_organisation=partner_organisation)
    CaseFactory(person=person, owning_organisation=partner_organisation)
    return person


@pytest.mark.parametrize(("name", "build", "message"), HOSTILE, ids=[item[0] for item in HOSTILE])
def test_it_refuses_a_hostile_file_and_writes_nothing(
    name, build, message, partner_user, partner_organisation, existing_records
):
    data = build()
    before = _counts()

    run, summary = import_file_run(
        data=data, file_name=name, organisation=partner_organisation, user=partner_user
    )

    assert run.state == ImportRun.State.FAILED
    assert summary["errors"], "a refused file must say why"
    assert any(message in error["message"] for error in summary["errors"]), summary["errors"]
    assert all(isinstance(error["row"], int) for error in summary["errors"])
    assert _counts() == before


def test_there_are_at_least_twenty_hostile_files():
    assert len(HOSTILE) >= 20


@pytest.mark.parametrize(("name", "build", "message"), HOSTILE, ids=[item[0] for item in HOSTILE])
def test_it_refuses_a_hostile_file_in_the_uploaders_language(
    name, build, message, partner_user, partner_organisation, monkeypatch
):
    # Several refusals (NUL bytes, a damaged or foreign zip, a password, a zip bomb, XML
    # entities, a part's encoding) were English whatever the uploader read the app in.
    every_marked_string_tagged(monkeypatch, "ru", "[ru] ")
    Membership.objects.filter(user=partner_user).update(language="ru")
    with translation.override("ru"):
        _run, summary = import_file_run(
            data=build(), file_name=name, organisation=partner_organisation, user=partner_user
        )
    refusals = [error["message"] for error in summary["errors"]]
    assert refusals, "a refused file must say why"
    assert all("[ru] " in refusal for refusal in refusals), refusals
