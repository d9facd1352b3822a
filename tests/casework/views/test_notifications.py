"""The bell, the list and marking as read."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.models import Case, Confidentiality, Notification
from tests.factories import CaseFactory, cases_bulk_create, people_bulk_create


def notification_create(*, user, title: str, url: str = "", case=None) -> Notification:
    """A notification as the reminder sender writes one."""
    return Notification.objects.create(user=user, title=title, url=url, case=case)


def test_it_shows_the_unread_count_on_the_bell(client_as_caseworker, caseworker):
    for number in range(3):
        notification_create(user=caseworker, title=f"Reminder {number}")
    response = client_as_caseworker.get("/notifications/")
    assert 'data-testid="unread-count">3<' in response.text


def test_it_lists_notifications_in_a_bounded_number_of_queries(
    client_as_caseworker, caseworker, django_assert_max_num_queries
):
    for number in range(40):
        notification_create(user=caseworker, title=f"Reminder {number}")
    with django_assert_max_num_queries(10):
        response = client_as_caseworker.get("/notifications/")
    assert "Reminder 39" in response.text


def test_it_marks_one_as_read_and_goes_to_its_page(client_as_caseworker, caseworker):
    notification = notification_create(user=caseworker, title="Due today", url="/tasks/")
    response = client_as_caseworker.post(f"/notifications/{notification.pk}/read/")
    assert response.status_code == 302
    assert response["Location"] == "/tasks/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_it_never_redirects_to_another_site(client_as_caseworker, caseworker):
    notification = notification_create(user=caseworker, title="x", url="https://evil.example/")
    response = client_as_caseworker.post(f"/notifications/{notification.pk}/read/")
    assert response["Location"] == "/notifications/"
    listing = client_as_caseworker.get(response["Location"])
    assert "Notification marked as read." in listing.text


def test_it_marks_all_as_read(client_as_caseworker, caseworker, coordinator):
    notification_create(user=caseworker, title="Mine")
    notification_create(user=coordinator, title="Not mine")
    response = client_as_caseworker.post("/notifications/read-all/", follow=True)
    assert not Notification.objects.filter(user=caseworker, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=coordinator, read_at__isnull=True).count() == 1
    assert "1 notification marked as read." in response.text
    again = client_as_caseworker.post("/notifications/read-all/", follow=True)
    assert "There was nothing unread." in again.text


def test_it_hides_another_users_notification(client_as_caseworker, coordinator):
    theirs = notification_create(user=coordinator, title="Escalation")
    assert client_as_caseworker.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    assert "Escalation" not in client_as_caseworker.get("/notifications/").text


def test_it_hides_a_notification_about_a_case_the_user_can_no_longer_see(
    client_as_caseworker, caseworker
):
    case = CaseFactory(assigned_caseworker=caseworker, reference="KZ-SOON-RESTRICTED")
    about_case = notification_create(
        user=caseworker, title="Due today: visit in SIZO-1", url="/tasks/", case=case
    )
    notification_create(user=caseworker, title="Your week: 1 open tasks, 0 overdue")
    page = client_as_caseworker.get("/notifications/")
    assert "visit in SIZO-1" in page.text
    assert 'data-testid="unread-count">2<' in page.text
    # Restricted to its team, which the caseworker is no longer on.
    Case.objects.filter(pk=case.pk).update(
        confidentiality=Confidentiality.RESTRICTED, assigned_caseworker=None
    )
    page = client_as_caseworker.get("/notifications/")
    assert "visit in SIZO-1" not in page.text
    assert "Your week" in page.text
    assert 'data-testid="unread-count">1<' in page.text
    assert client_as_caseworker.post(f"/notifications/{about_case.pk}/read/").status_code == 404


def test_it_counts_and_lists_visible_notifications_in_a_bounded_number_of_queries(
    client_as_caseworker, caseworker, host, django_assert_max_num_queries
):
    # 40 cases as CaseFactory makes them, each with its person, in a few statements.
    cases = cases_bulk_create(
        people=people_bulk_create(count=40, organisation=host),
        organisation=host,
        assigned_caseworker=caseworker,
    )
    for number, case in enumerate(cases):
        notification_create(user=caseworker, title=f"About case {number}", case=case)
    with django_assert_max_num_queries(10):
        response = client_as_caseworker.get("/notifications/")
    assert "About case 39" in response.text
    assert 'data-testid="unread-count">40<' in response.text


def test_it_pages_notifications_newest_first_without_counting(client_as_caseworker, caseworker):
    for number in range(55):
        notification_create(user=caseworker, title=f"Reminder {number:02d}")
    first = client_as_caseworker.get("/notifications/").text
    assert "Reminder 54" in first and "Reminder 04" not in first
    assert "Older →" in first
    second = client_as_caseworker.get("/notifications/", {"page": 2}).text
    assert "Reminder 04" in second and "Reminder 54" not in second
    assert "← Newer" in second


def test_the_bell_asks_no_visibility_question_when_nothing_is_unread(
    client_as_caseworker, caseworker, host
):
    case = CaseFactory(owning_organisation=host, confidentiality=Confidentiality.INTERNAL)
    read = notification_create(user=caseworker, title="Seen", case=case)
    Notification.objects.filter(pk=read.pk).update(read_at=case.created_at)
    with CaptureQueriesContext(connection) as queries:
        response = client_as_caseworker.get("/")
    assert 'id="notification-bell"' in response.text
    assert "unread-count" not in response.text
    counted = [q["sql"] for q in queries if "COUNT(" in q["sql"] and "notification" in q["sql"]]
    assert counted == []

    notification_create(user=caseworker, title="Hearing moved", case=case)
    assert 'data-testid="unread-count">1<' in client_as_caseworker.get("/").text


def test_its_open_button_is_not_worded_as_a_task_s_open_state(client_as_caseworker, caseworker):
    # One msgid served both, and Russian read "Открыта" ("is open") on the button.
    from django.utils import translation

    from casework.models import FollowUp, Membership

    Membership.objects.filter(user=caseworker).update(language="ru")
    notification_create(user=caseworker, title="Task", url="/tasks/")
    page = client_as_caseworker.get("/notifications/").text
    button = page.split('class="button--small">')[1].split("</button>")[0]
    with translation.override("ru"):
        assert button != str(FollowUp.State.OPEN.label)
