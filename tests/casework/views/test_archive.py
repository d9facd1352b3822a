"""Archiving and restoring through the pages: one view for cases, people and documents
(casework/views/archive.py)."""

from __future__ import annotations

from django.utils import timezone

from advocacy.models import Document
from casework.models import Confidentiality, Role
from tests.factories import CaseFactory, DocumentFactory, PersonFactory, member


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


def test_it_archives_and_restores_a_person_with_a_message_naming_them(client, coordinator, host):
    from tests.conftest import _signed_in

    person = PersonFactory(full_name="Aigul Utepova", owning_organisation=host)
    _signed_in(client, coordinator)
    archived = client.post(f"/people/{person.pk}/archive/", follow=True)
    assert "Aigul Utepova archived. The record can be restored." in archived.text
    person.refresh_from_db()
    assert person.archived_at is not None
    assert person.history.latest().history_user == coordinator
    restored = client.post(f"/people/{person.pk}/restore/", follow=True)
    assert "Aigul Utepova restored." in restored.text
    person.refresh_from_db()
    assert person.archived_at is None


def test_it_leaves_archiving_another_organisations_case_to_that_organisation(
    client, host, partner_organisation
):
    from tests.conftest import _signed_in

    partner_coordinator = member(organisation=partner_organisation, role=Role.COORDINATOR)
    case = CaseFactory(owning_organisation=host, confidentiality=Confidentiality.PUBLIC)
    _signed_in(client, partner_coordinator)
    refused = client.post(f"/cases/{case.pk}/archive/")
    assert refused.status_code == 403
    assert "Only the owning organisation may change this case." in refused.text
    case.refresh_from_db()
    assert case.archived_at is None


def test_it_answers_restoring_an_archived_record_like_a_missing_one_for_a_caseworker(
    client, caseworker, host
):
    from tests.conftest import _signed_in

    case = CaseFactory(owning_organisation=host, archived_at=timezone.now())
    document = DocumentFactory(archived_at=timezone.now())
    _signed_in(client, caseworker)
    for url in (f"/cases/{case.pk}/restore/", f"/documents/{document.pk}/restore/"):
        assert client.post(url).status_code == 404
    assert client.post("/cases/987654321/restore/").status_code == 404
    case.refresh_from_db()
    assert case.archived_at is not None


def test_it_offers_archiving_to_a_coordinator_and_lands_on_the_list_after_it(
    client, coordinator, caseworker, host
):
    # After archiving, the record's own page is missing (404) to everyone: the message
    # is shown on the list it left, not on a "Not found" page.
    from tests.conftest import _signed_in

    case = CaseFactory(owning_organisation=host, person=PersonFactory(owning_organisation=host))
    pages = {f"/cases/{case.pk}/": "/cases/", f"/people/{case.person_id}/": "/people/"}
    _signed_in(client, caseworker)
    for page in pages:
        assert "/archive/" not in client.get(page).text

    _signed_in(client, coordinator)
    for page, listing in pages.items():
        assert f'action="{page}archive/"' in client.get(page).text
        response = client.post(f"{page}archive/", follow=True)
        assert response.redirect_chain[-1][0] == listing
        assert response.status_code == 200 and "archived" in response.text
