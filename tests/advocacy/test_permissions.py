"""Who may change documents and mentions, and their fetch-and-check helpers
(advocacy.permissions)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from advocacy.models import Mention
from advocacy.permissions import (
    DOCUMENT_CHANGE_REFUSED,
    MENTION_CHANGE_REFUSED,
    document_for_user,
    mention_for_user,
    user_may_edit_documents,
)
from casework.models import Confidentiality
from casework.permissions import ARCHIVING_REFUSED
from tests.factories import CaseFactory, DocumentFactory, MentionFactory


def test_it_lets_staff_edit_documents_and_partner_users_read_them(
    caseworker, coordinator, partner_user
):
    assert user_may_edit_documents(caseworker) and user_may_edit_documents(coordinator)
    assert not user_may_edit_documents(partner_user)


def test_it_fetches_a_document_and_refuses_changing_it_to_a_partner_user(partner_user, caseworker):
    document = DocumentFactory()
    assert document_for_user(partner_user, document.pk) == document
    assert document_for_user(caseworker, document.pk, for_change=True) == document
    with pytest.raises(PermissionDenied) as refused:
        document_for_user(partner_user, document.pk, for_change=True)
    assert str(refused.value) == DOCUMENT_CHANGE_REFUSED


def test_it_answers_an_archived_document_like_a_missing_one_to_whoever_may_not_restore_it(
    caseworker, partner_user, coordinator
):
    archived = DocumentFactory(archived_at=timezone.now())
    current = DocumentFactory()
    for user in (caseworker, partner_user):
        for pk in (archived.pk, 987654321):
            with pytest.raises(Http404):
                document_for_user(user, pk, for_archiving=True)
        with pytest.raises(PermissionDenied) as refused:
            document_for_user(user, current.pk, for_archiving=True)
        assert str(refused.value) == ARCHIVING_REFUSED
    with pytest.raises(Http404):
        document_for_user(coordinator, archived.pk)
    assert document_for_user(coordinator, archived.pk, for_archiving=True) == archived


def test_it_fetches_a_mention_only_of_a_visible_case_and_lets_staff_curate_it(
    host, partner_user, caseworker
):
    public = MentionFactory(case=CaseFactory(confidentiality=Confidentiality.PUBLIC))
    internal = MentionFactory(case=CaseFactory(owning_organisation=host))
    assert mention_for_user(caseworker, internal.pk, for_change=True) == internal
    assert mention_for_user(partner_user, public.pk) == public
    with pytest.raises(Http404):
        mention_for_user(partner_user, internal.pk)
    with pytest.raises(PermissionDenied) as refused:
        mention_for_user(partner_user, public.pk, for_change=True)
    assert str(refused.value) == MENTION_CHANGE_REFUSED
    Mention.objects.filter(pk=public.pk).update(state=Mention.State.REJECTED)
    assert mention_for_user(caseworker, public.pk).state == Mention.State.REJECTED
