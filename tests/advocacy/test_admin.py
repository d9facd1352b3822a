"""Documents and mentions in the admin (advocacy/admin.py): mentions only of visible
cases, on documents and on cases, entered by hand and confirmed by their author."""

from __future__ import annotations

import pytest

from advocacy.models import Mention
from casework.models import Confidentiality, RestrictedCaseView, Role
from tests.conftest import _signed_in
from tests.factories import CaseFactory, DocumentFactory, MentionFactory, PersonFactory, member
from tests.support.admin_forms import admin_post_data


@pytest.fixture
def host_admin(host):
    return member(organisation=host, role=Role.ADMIN, username="host-admin", is_staff=True)


@pytest.fixture
def hidden_case(partner_organisation):
    """A partner's restricted case: the host's admin is not on its team."""
    return CaseFactory(
        reference="SECRET-RP",
        person=PersonFactory(
            full_name="Zzsecret Partner Person", owning_organisation=partner_organisation
        ),
        owning_organisation=partner_organisation,
        confidentiality=Confidentiality.RESTRICTED,
    )


def _post_with_new_row(client, url: str, **row) -> object:
    page = client.get(url)
    assert page.status_code == 200
    data = admin_post_data(page, choose=lambda name, field: row.get(name))
    return client.post(url, data)


def test_it_refuses_a_hidden_case_in_the_documents_mention_inline(client, host_admin, hidden_case):
    document = DocumentFactory()
    _signed_in(client, host_admin)
    response = _post_with_new_row(
        client,
        f"/admin/advocacy/document/{document.pk}/change/",
        case=hidden_case.pk,
        state=Mention.State.CONFIRMED,
    )
    assert response.status_code == 200  # the form again, the row refused
    assert "SECRET-RP" not in response.text and "Zzsecret" not in response.text
    assert not Mention.objects.filter(case=hidden_case).exists()


def test_it_adds_a_mention_by_hand_confirmed_by_its_author(client, host_admin):
    document = DocumentFactory()
    case = CaseFactory()
    _signed_in(client, host_admin)
    response = _post_with_new_row(
        client,
        f"/admin/advocacy/document/{document.pk}/change/",
        case=case.pk,
        state=Mention.State.CONFIRMED,
        passage="calls for the release",
    )
    assert response.status_code == 302, response.text[:3000]
    mention = Mention.objects.get(document=document, case=case)
    assert mention.origin == Mention.Origin.MANUAL
    assert mention.confirmed_by == host_admin and mention.confirmed_at is not None
    assert mention.history.latest().history_user == host_admin


def test_it_lists_the_documents_naming_a_case_on_the_cases_admin_page(client, host_admin):
    case = CaseFactory()
    MentionFactory(case=case, document=DocumentFactory(title="Urgency resolution of 2021"))
    other = DocumentFactory(title="An appeal")
    _signed_in(client, host_admin)
    url = f"/admin/casework/case/{case.pk}/change/"
    assert "Urgency resolution of 2021" in client.get(url).text
    response = _post_with_new_row(
        client, url, document=other.pk, state=Mention.State.PROPOSED, passage="named"
    )
    assert response.status_code == 302, response.text[:3000]
    added = Mention.objects.get(case=case, document=other)
    assert added.origin == Mention.Origin.MANUAL and added.confirmed_by is None


def test_it_confirms_a_proposed_mention_through_mention_confirm(client, host_admin):
    mention = MentionFactory(state=Mention.State.PROPOSED, origin=Mention.Origin.DETECTED)
    _signed_in(client, host_admin)
    url = f"/admin/advocacy/mention/{mention.pk}/change/"
    page = client.get(url)
    data = admin_post_data(
        page, choose=lambda name, field: Mention.State.CONFIRMED if name == "state" else None
    )
    assert client.post(url, data).status_code == 302
    mention.refresh_from_db()
    assert mention.state == Mention.State.CONFIRMED
    assert mention.confirmed_by == host_admin
    assert mention.origin == Mention.Origin.DETECTED


def test_it_hides_mentions_of_hidden_cases_and_logs_the_restricted_ones_shown(
    client, host_admin, hidden_case, host
):
    document = DocumentFactory()
    MentionFactory(document=document, case=hidden_case)
    shown = CaseFactory(owning_organisation=host, confidentiality=Confidentiality.RESTRICTED)
    MentionFactory(document=document, case=shown)
    _signed_in(client, host_admin)
    for url in ("/admin/advocacy/mention/", f"/admin/advocacy/document/{document.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "SECRET-RP" not in response.text, url
        assert shown.reference in response.text, url
    assert set(
        RestrictedCaseView.objects.filter(user=host_admin).values_list("case_id", flat=True)
    ) == {shown.pk}
