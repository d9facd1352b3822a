"""Which documents and mentions a user reaches (advocacy/visibility.py)."""

from __future__ import annotations

from django.utils import timezone

from advocacy.visibility import documents_visible_to, mentions_visible_to
from casework.models import Confidentiality
from tests.factories import CaseFactory, DocumentFactory, MentionFactory


def test_it_shows_every_member_every_document_that_is_not_archived(partner_user, caseworker):
    current = DocumentFactory()
    archived = DocumentFactory(archived_at=timezone.now())
    for user in (partner_user, caseworker):
        assert list(documents_visible_to(user)) == [current]
        assert set(documents_visible_to(user, include_archived=True)) == {current, archived}


def test_it_shows_no_document_to_a_user_without_an_organisation(django_user_model, db):
    DocumentFactory()
    superuser = django_user_model.objects.create_user("root", is_superuser=True)
    assert not documents_visible_to(superuser).exists()
    assert not mentions_visible_to(superuser).exists()


def test_it_shows_mentions_of_visible_cases_only(partner_user, partner_organisation):
    document = DocumentFactory()
    own = MentionFactory(
        document=document,
        case=CaseFactory(
            owning_organisation=partner_organisation, confidentiality=Confidentiality.INTERNAL
        ),
    )
    MentionFactory(document=document, case=CaseFactory(confidentiality=Confidentiality.INTERNAL))
    MentionFactory(document=document, case=CaseFactory(confidentiality=Confidentiality.RESTRICTED))
    assert list(mentions_visible_to(partner_user)) == [own]


def test_it_leaves_out_mentions_in_archived_documents_or_of_archived_cases_unless_asked(
    caseworker,
):
    kept = MentionFactory()
    in_archived_document = MentionFactory(document=DocumentFactory(archived_at=timezone.now()))
    of_archived_case = MentionFactory(case=CaseFactory(archived_at=timezone.now()))
    assert list(mentions_visible_to(caseworker)) == [kept]
    assert set(mentions_visible_to(caseworker, include_archived=True)) == {
        kept,
        in_archived_document,
        of_archived_case,
    }
