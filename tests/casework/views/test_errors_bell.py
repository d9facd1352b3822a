"""The 404 and 403 pages keep the whole layout, the bell's count included, and a user with
nothing unread costs them no visibility query (the IDOR sweeps ask for thousands)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.models import Confidentiality, Notification
from tests.factories import CaseFactory


def test_the_404_page_counts_only_the_unread_notifications_the_user_may_see(
    client_as_caseworker, caseworker, host, other_partner_organisation
):
    visible = CaseFactory(owning_organisation=host, confidentiality=Confidentiality.INTERNAL)
    hidden = CaseFactory(
        owning_organisation=other_partner_organisation,
        confidentiality=Confidentiality.RESTRICTED,
    )
    Notification.objects.create(user=caseworker, title="Hearing moved", case=visible)
    Notification.objects.create(user=caseworker, title="About a hidden case", case=hidden)
    Notification.objects.create(user=caseworker, title="Read already", read_at=visible.created_at)

    response = client_as_caseworker.get("/cases/987654321/")

    assert response.status_code == 404
    assert 'data-testid="unread-count">1<' in response.text
    assert "There is nothing here, or it is not visible to you." in response.text


def test_the_404_and_403_pages_ask_no_visibility_question_when_nothing_is_unread(
    client_as_partner, partner_user, host
):
    Notification.objects.create(user=partner_user, title="Seen", read_at=host.created_at)
    public = CaseFactory(owning_organisation=host, confidentiality=Confidentiality.PUBLIC)
    for url, status in (("/no-such-page/", 404), (f"/cases/{public.pk}/edit/", 403)):
        with CaptureQueriesContext(connection) as queries:
            response = client_as_partner.get(url)
        assert response.status_code == status
        assert 'id="notification-bell"' in response.text
        assert "unread-count" not in response.text
        counted = [q["sql"] for q in queries if "COUNT(" in q["sql"] and "notification" in q["sql"]]
        assert counted == [], url
