"""The Tasks pages through Django's test client."""

from __future__ import annotations

import datetime as dt

import pytest

from casework.followups import follow_up_create
from casework.models import FollowUp, Membership, Reminder, Role
from tests.factories import (
    CaseFactory,
    DocumentFactory,
    MentionFactory,
    OrganisationFactory,
    member,
)

DUE = dt.date(2030, 5, 20)


@pytest.fixture
def case(caseworker):
    return CaseFactory(assigned_caseworker=caseworker)


@pytest.fixture
def task(case, coordinator, caseworker):
    return follow_up_create(
        case=case, title="Visit in SIZO", assignee=caseworker, by=coordinator, due_on=DUE
    )


def test_it_lets_a_coordinator_assign_a_task_from_a_case(client_as_coordinator, case, caseworker):
    form = client_as_coordinator.get(f"/tasks/new/?case={case.pk}")
    assert form.status_code == 200
    assert f'value="{case.reference}"' in form.text
    response = client_as_coordinator.post(
        "/tasks/new/",
        {
            "case": case.reference, "title": "Call the lawyer", "assignee": caseworker.pk,
            "due_on": "2030-05-20", "priority": 3, "recurrence_days": "", "note": "",
        },
    )  # fmt: skip
    assert response.status_code == 302
    follow_up = FollowUp.objects.get(title="Call the lawyer")
    assert follow_up.assignee == caseworker
    assert follow_up.priority == 3


def test_it_names_the_field_when_the_due_date_is_missing(client_as_coordinator, case, caseworker):
    response = client_as_coordinator.post(
        "/tasks/new/",
        {"case": case.reference, "title": "Call", "assignee": caseworker.pk, "priority": 2},
    )
    assert response.status_code == 200
    assert "id_due_on_error" in response.text
    assert not FollowUp.objects.exists()


def test_it_names_the_case_field_when_the_reference_is_not_a_visible_case(
    client_as_coordinator, caseworker
):
    hidden = CaseFactory(confidentiality="restricted", owning_organisation=OrganisationFactory())
    response = client_as_coordinator.post(
        "/tasks/new/",
        {
            "case": hidden.reference, "title": "Call", "assignee": caseworker.pk,
            "due_on": "2030-05-20", "priority": 2,
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert f"There is no case “{hidden.reference}” that you can see." in response.text
    assert not FollowUp.objects.exists()


def test_it_refuses_the_create_page_to_a_caseworker(client_as_caseworker):
    assert client_as_caseworker.get("/tasks/new/").status_code == 403


def test_it_shows_my_tasks_to_the_assignee(client_as_caseworker, task):
    response = client_as_caseworker.get("/tasks/")
    assert "My tasks" in response.text
    assert "Visit in SIZO" in response.text
    assert "Who is late" not in response.text


def test_it_shows_a_coordinator_who_is_late(client_as_coordinator, case, coordinator, caseworker):
    late = follow_up_create(
        case=case, title="Late visit", assignee=caseworker, by=coordinator,
        due_on=dt.date(2020, 1, 1),
    )  # fmt: skip
    response = client_as_coordinator.get("/tasks/")
    late_section = response.text.split('id="late-tasks"')[1]
    assert late.title in late_section


@pytest.mark.parametrize("tasks", [5, 500])
def test_it_lists_tasks_in_a_bounded_number_of_queries(
    client_as_coordinator, coordinator, caseworker, tasks, django_assert_max_num_queries
):
    cases = CaseFactory.create_batch(3, assigned_caseworker=caseworker)
    FollowUp.objects.bulk_create(
        FollowUp(
            case=cases[number % 3],
            title=f"Task {number:03d}",
            assignee=coordinator if number % 2 else caseworker,
            assigned_by=coordinator,
            due_on=dt.date(2020, 1, 1) + dt.timedelta(days=number),
        )
        for number in range(tasks)
    )
    with django_assert_max_num_queries(12):
        response = client_as_coordinator.get("/tasks/")
    assert "Task 000" in response.text and "Task 001" in response.text
    if tasks == 500:
        # 50 a list and a page; the rest are a click away, per list.
        assert "Task 499" not in response.text
        assert 'href="?mine_page=2"' in response.text
        assert 'href="?late_page=2"' in response.text
        second = client_as_coordinator.get("/tasks/", {"late_page": 2})
        assert "Task 100" in second.text and "Page 2" in second.text


def test_it_marks_a_task_done_with_a_note(client_as_caseworker, task):
    response = client_as_caseworker.post(f"/tasks/{task.pk}/done/", {"note": "Visited."})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == FollowUp.State.DONE
    assert task.completion_note == "Visited."


def test_it_hides_another_caseworkers_task(host, client_as_caseworker, case, coordinator):
    other = member(organisation=host, role=Role.CASEWORKER, username="other")
    theirs = follow_up_create(case=case, title="Theirs", assignee=other, by=coordinator, due_on=DUE)
    assert client_as_caseworker.post(f"/tasks/{theirs.pk}/done/").status_code == 404


def test_it_reassigns_and_tells_the_new_assignee(host, client_as_coordinator, task):
    other = member(organisation=host, role=Role.CASEWORKER, username="other")
    response = client_as_coordinator.post(f"/tasks/{task.pk}/reassign/", {"assignee": other.pk})
    assert response.status_code == 302
    assert Reminder.objects.filter(follow_up=task, recipient=other, kind="reassigned").exists()


def test_it_cancels_a_task(client_as_coordinator, task):
    client_as_coordinator.post(f"/tasks/{task.pk}/cancel/", {"reason": "Released"})
    task.refresh_from_db()
    assert task.status == FollowUp.State.CANCELLED
    assert not Reminder.objects.filter(follow_up=task, state="pending").exists()


def test_it_edits_the_due_date(client_as_coordinator, task):
    client_as_coordinator.post(
        f"/tasks/{task.pk}/edit/",
        {"title": task.title, "due_on": "2030-06-01", "priority": 2, "note": ""},
    )
    task.refresh_from_db()
    assert task.due_on == dt.date(2030, 6, 1)


def test_it_shows_failures_and_sends_them_again(client_as_coordinator, task):
    Reminder.objects.filter(follow_up=task, kind="due").update(
        state="failed", attempts=5, last_error="ConnectionRefusedError: SMTP down"
    )
    page = client_as_coordinator.get("/tasks/failures/")
    assert "SMTP down" in page.text
    failed = Reminder.objects.get(follow_up=task, kind="due")
    client_as_coordinator.post("/tasks/failures/", {"reminder": [failed.pk]})
    failed.refresh_from_db()
    assert failed.state == Reminder.State.PENDING
    assert failed.attempts == 0


def test_it_switches_emails_off_and_changes_the_timezone(client_as_caseworker, caseworker, task):
    response = client_as_caseworker.post(
        "/tasks/preferences/", {"timezone": "Asia/Almaty", "email_notifications": ""}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=caseworker)
    assert membership.timezone == "Asia/Almaty"
    assert membership.email_notifications is False
    due = Reminder.objects.get(follow_up=task, kind="due", state="pending")
    assert due.due_at == dt.datetime(2030, 5, 20, 4, tzinfo=dt.UTC)


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


def test_it_shows_a_failed_weekly_digest_to_the_coordinators_of_its_organisation(
    client_as_coordinator, caseworker, partner_user
):
    Reminder.objects.create(
        recipient=caseworker, kind=Reminder.Kind.DIGEST, sequence=20301021,
        due_at=dt.datetime(2030, 10, 21, 8, tzinfo=dt.UTC), state=Reminder.State.FAILED,
        attempts=5, last_error="SMTPRecipientsRefused: mailbox full",
    )  # fmt: skip
    # A partner's digest is the partner's coordinators' business, not the host's.
    Reminder.objects.create(
        recipient=partner_user, kind=Reminder.Kind.DIGEST, sequence=20301021,
        due_at=dt.datetime(2030, 10, 21, 8, tzinfo=dt.UTC), state=Reminder.State.FAILED,
        attempts=5, last_error="SMTPRecipientsRefused: partner mailbox",
    )  # fmt: skip
    page = client_as_coordinator.get("/tasks/failures/")
    assert "mailbox full" in page.text
    assert "Weekly digest" in page.text
    assert "partner mailbox" not in page.text
    assert "1 reminder could not be sent" in client_as_coordinator.get("/tasks/").text
    digest = Reminder.objects.get(recipient=caseworker)
    client_as_coordinator.post("/tasks/failures/", {"reminder": [digest.pk]})
    digest.refresh_from_db()
    assert digest.state == Reminder.State.PENDING


def test_it_tells_the_reminder_hours_the_settings_say(client_as_caseworker, settings):
    settings.REMINDER_HOUR_LOCAL = 7
    settings.REMINDER_DIGEST_WEEKDAY = 4
    settings.REMINDER_DIGEST_HOUR_LOCAL = 17
    page = client_as_caseworker.get("/tasks/preferences/")
    assert "Reminders arrive at 07:00 and the weekly digest on Friday at 17:00" in page.text
    assert "09:00" not in page.text


def test_it_links_each_task_row_so_a_reminder_can_point_at_it(
    client_as_coordinator, case, coordinator
):
    late = follow_up_create(
        case=case, title="Late visit", assignee=coordinator, by=coordinator,
        due_on=dt.date(2020, 1, 1),
    )  # fmt: skip
    page = client_as_coordinator.get("/tasks/").text
    assert f'id="task-{late.pk}"' in page
    assert f'id="late-task-{late.pk}"' in page


def test_it_shows_what_was_done_on_the_case_page(client_as_caseworker, case, task):
    client_as_caseworker.post(f"/tasks/{task.pk}/done/", {"note": "Visited; he has lost 10 kg."})
    page = client_as_caseworker.get(f"/cases/{case.pk}/").text
    assert f'id="follow-up-{task.pk}"' in page
    assert "What was done:</span> Visited; he has lost 10 kg." in page


def test_it_shows_why_a_task_was_cancelled_on_the_case_page(client_as_coordinator, case, task):
    client_as_coordinator.post(f"/tasks/{task.pk}/cancel/", {"reason": "He was released."})
    page = client_as_coordinator.get(f"/cases/{case.pk}/").text
    assert "Why cancelled:</span> He was released." in page


def test_it_shows_what_was_done_on_the_tasks_own_page(client_as_caseworker, task):
    client_as_caseworker.post(f"/tasks/{task.pk}/done/", {"note": "Visited."})
    page = client_as_caseworker.get(f"/tasks/{task.pk}/done/").text
    assert "<dt>What was done</dt><dd>Visited.</dd>" in page


def test_it_offers_to_mark_an_open_task_done_from_the_case_page(client_as_caseworker, case, task):
    page = client_as_caseworker.get(f"/cases/{case.pk}/").text
    assert f'href="/tasks/{task.pk}/done/"' in page


@pytest.mark.parametrize(
    ("path", "crumb"),
    [
        ("/tasks/new/", "New task"),
        ("/tasks/{pk}/done/", "Mark as done"),
        ("/tasks/{pk}/edit/", "Edit task"),
        ("/tasks/failures/", "Reminder failures"),
        ("/tasks/preferences/", "Reminder preferences"),
    ],
)
def test_it_ends_the_breadcrumbs_with_the_pages_own_name(client_as_coordinator, task, path, crumb):
    page = client_as_coordinator.get(path.format(pk=task.pk)).text
    assert f'Tasks</a> › <span aria-current="page">{crumb}</span></p>' in page
