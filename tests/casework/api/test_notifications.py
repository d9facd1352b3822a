"""The user's own notifications through the API."""

from __future__ import annotations

import pytest

from casework.models import Notification


def test_it_lists_only_the_user_s_own_notifications(api_as, caseworker, partner_user):
    mine = Notification.objects.create(user=caseworker, title="Task due tomorrow")
    Notification.objects.create(user=partner_user, title="Not yours")
    response = api_as(caseworker).get("/api/v1/notifications/")
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]


def test_it_marks_a_notification_read(api_as, caseworker):
    notification = Notification.objects.create(user=caseworker, title="Task due")
    response = api_as(caseworker).post(f"/api/v1/notifications/{notification.pk}/read/")
    assert response.status_code == 200
    assert response.json()["read_at"] is not None


def test_it_answers_another_user_s_notification_like_a_missing_one(
    api_as, caseworker, partner_user
):
    theirs = Notification.objects.create(user=partner_user, title="Not yours")
    client = api_as(caseworker)
    seen = client.post(f"/api/v1/notifications/{theirs.pk}/read/")
    missing = client.post("/api/v1/notifications/987654321/read/")
    assert (seen.status_code, seen.content) == (404, missing.content)
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("rows", [5, 500])
def test_it_lists_notifications_in_a_bounded_number_of_queries(
    api_as, caseworker, rows, django_assert_max_num_queries
):
    Notification.objects.bulk_create(
        Notification(user=caseworker, title=f"Note {number}") for number in range(rows)
    )
    client = api_as(caseworker)
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/notifications/", {"page_size": 200})
    assert len(response.json()["results"]) == min(rows, 200)
