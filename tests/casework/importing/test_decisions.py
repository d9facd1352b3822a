"""A possible duplicate, once settled, stays settled: the organisation's choice is
remembered, so the same row in a later file is never asked about again."""

from __future__ import annotations

import pytest

from casework.importing.runs import import_file_run
from casework.models import Case, Confidentiality, ImportMatchDecision, Person
from tests.factories import CaseFactory, PersonFactory

FILE = (
    "ФИО;Год рождения;Статус;Дата задержания\n"
    "Сейткали Даурен;1981;под стражей;12.03.2020\n"
    "Бекова Динара;1990;осуждена;01.02.2021\n"
)


@pytest.fixture
def seitkali(host):
    person = PersonFactory(full_name="Dauren Seitkali", birth_year=1980, owning_organisation=host)
    CaseFactory(person=person, owning_organisation=host, confidentiality=Confidentiality.PUBLIC)
    return person


def _import(user, organisation, **options):
    return import_file_run(
        data=FILE.encode(), file_name="partner.csv", organisation=organisation, user=user, **options
    )


def test_it_remembers_same_person_so_the_same_file_again_changes_nothing(
    partner_user, partner_organisation, seitkali
):
    _run, first = _import(partner_user, partner_organisation)
    assert (first["possible_duplicates"], first["new"]) == (1, 1)

    _run, chosen = _import(
        partner_user,
        partner_organisation,
        decisions={"2": {"choice": "same", "person_id": seitkali.pk}},
    )
    assert (chosen["possible_duplicates"], chosen["new"]) == (0, 1)
    assert Case.objects.get(owning_organisation=partner_organisation, person=seitkali)

    _run, again = _import(partner_user, partner_organisation)

    assert (again["possible_duplicates"], again["new"], again["unchanged"]) == (0, 0, 2)
    assert Person.objects.filter(full_name__icontains="seitkali").count() == 1
    decision = ImportMatchDecision.objects.get()
    assert (decision.organisation, decision.person, decision.decided_by) == (
        partner_organisation,
        seitkali,
        partner_user,
    )


def test_it_remembers_new_person_so_the_same_row_is_not_asked_about_again(
    partner_user, partner_organisation, seitkali
):
    undated = FILE.replace(";1981;", ";;")
    run_data = {"data": undated.encode(), "file_name": "p.csv"}
    _import_undated = lambda **options: import_file_run(  # noqa: E731
        **run_data, organisation=partner_organisation, user=partner_user, **options
    )
    _run, chosen = _import_undated(decisions={"2": {"choice": "new", "person_id": seitkali.pk}})
    assert (chosen["possible_duplicates"], chosen["new"]) == (0, 2)

    _run, again = _import_undated()

    # Without a birth year both the recorded person and the one the import made fit the
    # name; the remembered "new person" rules the first out.
    assert (again["possible_duplicates"], again["new"], again["unchanged"]) == (0, 0, 2)
    assert Case.objects.filter(person=seitkali).count() == 1


def test_a_remembered_choice_belongs_to_the_organisation_that_made_it(
    partner_user, partner_organisation, other_partner_user, other_partner_organisation, seitkali
):
    _import(
        partner_user,
        partner_organisation,
        decisions={"2": {"choice": "same", "person_id": seitkali.pk}},
    )

    _run, theirs = _import(other_partner_user, other_partner_organisation)

    assert theirs["possible_duplicates"] == 1


def test_a_dry_run_remembers_nothing(partner_user, partner_organisation, seitkali):
    _import(
        partner_user,
        partner_organisation,
        decisions={"2": {"choice": "same", "person_id": seitkali.pk}},
        dry_run=True,
    )

    assert not ImportMatchDecision.objects.exists()


def test_a_row_with_only_an_initial_settled_as_a_new_person_is_unchanged_the_next_time(
    partner_user, partner_organisation, host
):
    almat = PersonFactory(
        full_name="Almat Zhumagulov", native_name="Алмат Жумагулов", owning_organisation=host
    )
    CaseFactory(person=almat, owning_organisation=host, confidentiality=Confidentiality.PUBLIC)
    initial_only = "ФИО;Статус;Дата задержания\nЖумагулов А.;под стражей;12.03.2020\n"

    def run(**options):
        return import_file_run(
            data=initial_only.encode(),
            file_name="partner.csv",
            organisation=partner_organisation,
            user=partner_user,
            **options,
        )[1]

    assert run()["possible_duplicates"] == 1
    chosen = run(decisions={"2": {"choice": "new", "person_id": almat.pk}})
    assert chosen["new"] == 1

    again = run()

    assert (again["possible_duplicates"], again["new"], again["unchanged"]) == (0, 0, 1)
    assert Person.objects.count() == 2


def test_it_notes_the_choice_on_the_row_in_the_uploaders_language(
    partner_user, partner_organisation, seitkali, monkeypatch
):
    from django.utils import translation

    from casework.importing.run_planning import import_run_plan
    from casework.importing.runs import import_run_create
    from tests.support.catalogues import every_marked_string_tagged

    # The preview's notes of a settled row were English whatever the uploader read.
    every_marked_string_tagged(monkeypatch, "ru", "[ru] ")
    run = import_run_create(
        data=FILE.encode(),
        file_name="partner.csv",
        organisation=partner_organisation,
        user=partner_user,
    )
    run.decisions = {"2": {"choice": "same", "person_id": seitkali.pk}}
    with translation.override("ru"):
        plan = import_run_plan(run=run, user=partner_user)
    assert plan.rows[0].note == "[ru] Same person, as chosen."
