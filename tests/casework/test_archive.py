"""Archive and restore instead of delete (casework.archive, advocacy.archive)."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site

from advocacy.archive import document_archive, document_restore
from advocacy.models import Document
from casework.archive import case_archive, case_restore, person_archive, person_restore
from casework.models import Case, Person
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


@pytest.mark.parametrize("model", [Person, Case, Document])
def test_it_disables_delete_in_the_admin(model, rf, admin_user):
    request = rf.get("/admin/")
    request.user = admin_user
    model_admin = site._registry[model]
    assert not model_admin.has_delete_permission(request)
    assert "delete_selected" not in model_admin.get_actions(request)
    assert "archive_selected" in model_admin.get_actions(request)


def test_it_archives_from_an_admin_action(client_as_admin, admin_user):
    case = CaseFactory()
    response = client_as_admin.post(
        "/admin/casework/case/",
        {"action": "archive_selected", "_selected_action": [case.pk]},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.archived_at is not None
    assert case.history.latest().history_user == admin_user


def test_it_archives_a_case_through_its_page_for_a_coordinator_only(
    client, coordinator, caseworker
):
    from tests.conftest import _signed_in

    case = CaseFactory()
    _signed_in(client, caseworker)
    assert client.post(f"/cases/{case.pk}/archive/").status_code == 403
    case.refresh_from_db()
    assert case.archived_at is None

    _signed_in(client, coordinator)
    assert client.get(f"/cases/{case.pk}/archive/").status_code == 405
    assert client.post(f"/cases/{case.pk}/archive/").status_code == 302
    case.refresh_from_db()
    assert case.archived_at is not None
    assert client.post(f"/cases/{case.pk}/restore/").status_code == 302
    case.refresh_from_db()
    assert case.archived_at is None


def test_it_archives_a_document_through_its_page_for_a_coordinator_only(
    client, coordinator, caseworker
):
    from tests.conftest import _signed_in

    document = DocumentFactory()
    _signed_in(client, caseworker)
    assert client.post(f"/documents/{document.pk}/archive/").status_code == 403
    _signed_in(client, coordinator)
    assert client.post(f"/documents/{document.pk}/archive/").status_code == 302
    assert Document.objects.get(pk=document.pk).archived_at is not None
    assert client.post(f"/documents/{document.pk}/restore/").status_code == 302
    assert Document.objects.get(pk=document.pk).archived_at is None
