"""Views of restricted cases are logged (casework.audit); changes carry their actor."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from casework.audit import case_record_view, case_restricted_views, history_changes
from casework.models import Confidentiality, RestrictedCaseView
from tests.factories import CaseFactory


def test_it_logs_who_viewed_a_restricted_case_and_when(caseworker):
    case = CaseFactory(confidentiality=Confidentiality.RESTRICTED, assigned_caseworker=caseworker)
    entry = case_record_view(case=case, user=caseworker, path=f"/cases/{case.pk}/")
    assert entry is not None
    assert list(case_restricted_views(case=case)) == [entry]
    assert entry.user == caseworker
    assert entry.viewed_at is not None


def test_it_does_not_log_views_of_internal_or_public_cases(caseworker):
    for level in (Confidentiality.INTERNAL, Confidentiality.PUBLIC):
        assert case_record_view(case=CaseFactory(confidentiality=level), user=caseworker) is None
    assert not RestrictedCaseView.objects.exists()


def test_it_logs_every_view_of_a_restricted_case_page(client_as_caseworker, caseworker):
    case = CaseFactory(confidentiality=Confidentiality.RESTRICTED, assigned_caseworker=caseworker)
    try:
        url = reverse("case_detail", args=[case.pk])
    except NoReverseMatch:
        import pytest

        pytest.skip("the case page does not exist yet")
    client_as_caseworker.get(url)
    client_as_caseworker.get(url)
    assert RestrictedCaseView.objects.filter(case=case, user=caseworker).count() == 2


def test_it_lists_field_by_field_changes_with_their_actor(caseworker):
    case = CaseFactory(summary="first")
    case.summary = "second"
    case._history_user = caseworker
    case.save()
    entries = history_changes(record=case)
    assert entries[0]["who"] == caseworker
    assert ("summary", "first", "second") in entries[0]["changes"]
