"""Follow-ups created from a document's page (/documents/<id>/follow-ups/)."""

from __future__ import annotations

from casework.models import FollowUp
from tests.factories import CaseFactory, DocumentFactory, MentionFactory


def test_it_creates_follow_ups_from_a_document_page(client_as_coordinator, caseworker):
    document = DocumentFactory()
    MentionFactory(document=document, case=CaseFactory(assigned_caseworker=caseworker))
    page = client_as_coordinator.get(f"/documents/{document.pk}/")
    assert "Create follow-ups" in page.text
    for _click in range(2):
        response = client_as_coordinator.post(
            f"/documents/{document.pk}/follow-ups/", {"due_in_days": "30"}, follow=True
        )
    assert FollowUp.objects.filter(origin=f"document:{document.pk}").count() == 1
    assert "1 already existed" in response.text
