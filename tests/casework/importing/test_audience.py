"""An import works for the target organisation's eyes: a partner's file never reads, links
or changes another organisation's records."""

from __future__ import annotations

import pytest

from casework.importing.runs import import_file_run
from casework.models import Case, ImportRun, Person, Status
from tests.casework.import_files import partner_file_import
from tests.factories import CaseFactory, PersonFactory


def test_a_partner_file_naming_another_organisations_case_changes_nothing_there(
    partner_user, partner_organisation, other_partner_organisation
):
    theirs = PersonFactory(full_name="Bolat Secret", owning_organisation=other_partner_organisation)
    their_case = CaseFactory(
        reference="OTHER-001", person=theirs, owning_organisation=other_partner_organisation
    )
    history_before = Case.history.filter(id=their_case.pk).count()
    data = "ФИО;Номер дела;Статус;Регион\r\nBolat Secret;OTHER-001;освобожден;Нигде\r\n".encode()

    run, summary = import_file_run(
        data=data, file_name="x.csv", organisation=partner_organisation, user=partner_user
    )

    # The same answer as for a reference nobody uses: a new case of the partner's own.
    assert run.state == ImportRun.State.DONE
    assert (summary["new"], summary["errors"]) == (1, [])
    mine = Case.objects.get(owning_organisation=partner_organisation)
    assert mine.reference == f"BOSTANDYQ-PA.{partner_organisation.pk}:OTHER-001"
    assert mine.person != theirs
    their_case.refresh_from_db()
    theirs.refresh_from_db()
    assert their_case.status == Status.PRETRIAL_DETENTION and theirs.region == ""
    assert Case.history.filter(id=their_case.pk).count() == history_before


def test_a_partner_never_sees_or_links_another_organisations_person(
    partner_user, partner_organisation, other_partner_organisation
):
    theirs = PersonFactory(full_name="Bolat Secret", owning_organisation=other_partner_organisation)
    CaseFactory(person=theirs, owning_organisation=other_partner_organisation)
    data = "ФИО;Регион\r\nBolat Secret;Астана\r\n".encode()

    _run, summary = import_file_run(
        data=data, file_name="x.csv", organisation=partner_organisation, user=partner_user
    )

    assert summary["possible_duplicates"] == 0 and summary["new"] == 1
    theirs.refresh_from_db()
    assert theirs.region == "" and theirs.cases.count() == 1
    mine = Person.objects.get(full_name="Bolat Secret", owning_organisation=partner_organisation)
    assert mine.pk != theirs.pk


def test_a_partner_cannot_import_into_another_organisation(
    partner_user, other_partner_organisation
):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        partner_file_import("partner_ru_cp1251.csv", partner_user, other_partner_organisation)
    assert Person.objects.count() == 0
