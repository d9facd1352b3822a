"""Archive and restore instead of delete (casework.archive, advocacy.archive)."""

from __future__ import annotations

from advocacy.archive import document_archive, document_restore
from advocacy.models import Document
from casework.archive import case_archive, case_restore, person_archive, person_restore
from casework.models import Person
from casework.visibility import cases_visible_to
from tests.factories import CaseFactory, DocumentFactory, PersonFactory


def test_it_archives_and_restores_a_case_with_a_history_row_naming_the_user(coordinator):
    case = CaseFactory()
    case_archive(case=case, by=coordinator)
    case.refresh_from_db()
    assert case.archived_at is not None
    assert not cases_visible_to(coordinator).filter(pk=case.pk).exists()
    latest = case.history.latest()
    assert latest.history_user == coordinator
    assert latest.archived_at is not None

    case_restore(case=case, by=coordinator)
    case.refresh_from_db()
    assert case.archived_at is None
    assert case.history.latest().history_user == coordinator


def test_it_does_not_write_a_second_history_row_when_archiving_twice(coordinator):
    case = CaseFactory()
    case_archive(case=case, by=coordinator)
    rows = case.history.count()
    case_archive(case=case, by=coordinator)
    assert case.history.count() == rows


def test_it_archives_and_restores_a_person_and_a_document(coordinator):
    person = PersonFactory()
    person_archive(person=person, by=coordinator)
    assert Person.objects.get(pk=person.pk).archived_at is not None
    person_restore(person=person, by=coordinator)
    assert Person.objects.get(pk=person.pk).archived_at is None

    document = DocumentFactory()
    document_archive(document=document, by=coordinator)
    assert Document.objects.get(pk=document.pk).archived_at is not None
    assert document.history.latest().history_user == coordinator
    document_restore(document=document, by=coordinator)
    assert Document.objects.get(pk=document.pk).archived_at is None
