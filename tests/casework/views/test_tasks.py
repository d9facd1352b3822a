"""The Tasks page (/tasks/): my tasks, what a coordinator assigned, who is late, each
paged on its own; and the breadcrumbs of the task pages."""

from __future__ import annotations

import datetime as dt

import pytest

from casework.followups import follow_up_create
from casework.models import FollowUp, Membership, Role
from tests.factories import CaseFactory, member
from tests.support.catalogues import translations_given


def test_it_shows_my_tasks_to_the_assignee(client_as_caseworker, task):
    response = client_as_caseworker.get("/tasks/")
    assert "My tasks" in response.text
    assert "Visit in SIZO" in response.text
    assert "Who is late" not in response.text


def test_it_shows_a_coordinator_who_is_late(client_as_coordinator, case, coordinator, caseworker):
    late = follow_up_create(
        case=case,
        title="Late visit",
        assignee=caseworker,
        by=coordinator,
        due_on=dt.date(2020, 1, 1),
    )
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


def test_it_links_each_task_row_so_a_reminder_can_point_at_it(
    client_as_coordinator, case, coordinator
):
    late = follow_up_create(
        case=case,
        title="Late visit",
        assignee=coordinator,
        by=coordinator,
        due_on=dt.date(2020, 1, 1),
    )
    page = client_as_coordinator.get("/tasks/").text
    assert f'id="task-{late.pk}"' in page
    assert f'id="late-task-{late.pk}"' in page


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


def test_it_speaks_the_readers_language_in_every_section_of_the_page(
    client_as_coordinator, coordinator, caseworker, monkeypatch
):
    # The sections' empty texts, the pages' labels, the narrow screen's column labels and
    # "more on the next page" were plain English in the template.
    translations_given(
        monkeypatch,
        "ru",
        {
            "No open tasks. Well done.": "Открытых задач нет.",
            "Nobody in your organisation is late.": "Никто не опаздывает.",
            "%(first)s–%(last)s, more on the next page": "%(first)s–%(last)s, дальше ещё",
        },
    )
    case = CaseFactory(assigned_caseworker=caseworker)
    FollowUp.objects.bulk_create(
        FollowUp(
            case=case,
            title=f"Task {number:03d}",
            assignee=caseworker,
            assigned_by=coordinator,
            due_on=dt.date(2999, 1, 1),
        )
        for number in range(51)
    )
    Membership.objects.filter(user=coordinator).update(language="ru")
    text = client_as_coordinator.get("/tasks/").text
    assert "Открытых задач нет." in text
    assert "Никто не опаздывает." in text
    assert "(1–50, дальше ещё)" in text
    assert 'aria-label="Страницы: Назначенные мной"' in text
    assert 'data-label="Исполнитель"' in text
    for english in (
        "No open tasks",
        "is late.",
        "more on the next page",
        "Pages of",
        "Assigned to",
    ):
        assert english not in text


def test_it_shows_a_coordinator_the_open_tasks_of_a_member_who_left(
    client_as_coordinator, case, host, caseworker
):
    """A caseworker leaves the organisation (their account is deactivated) with a task that
    another coordinator gave them, due next month: they get no reminder any more, so the
    task must not wait unseen until it is late."""
    other_coordinator = member(organisation=host, role=Role.COORDINATOR)
    stranded = follow_up_create(
        case=case,
        title="Visit in March",
        assignee=caseworker,
        by=other_coordinator,
        due_on=dt.date.today() + dt.timedelta(days=30),
    )
    caseworker.is_active = False
    caseworker.save(update_fields=["is_active"])
    response = client_as_coordinator.get("/tasks/")
    section = response.text.split('id="left-tasks"')[1]
    assert stranded.title in section
    assert "account deactivated" in section
    assert f"/tasks/{stranded.pk}/reassign/" in section
    # The reassignment page says why too.
    assert (
        "account deactivated" in client_as_coordinator.get(f"/tasks/{stranded.pk}/reassign/").text
    )


def test_it_shows_no_deactivated_accounts_section_when_nobody_left(client_as_coordinator, task):
    assert 'id="left-tasks"' not in client_as_coordinator.get("/tasks/").text


def _move(user, organisation) -> None:
    membership = Membership.objects.get(user=user)
    membership.organisation = organisation
    membership.save()


def test_it_shows_the_old_organisations_coordinators_the_tasks_of_a_member_who_moved(
    client_as_coordinator, host, caseworker, partner_organisation
):
    """A caseworker moves to a partner organisation with a task on a public case (which
    they still see): it stays the host's task, listed to its coordinators, and the
    caseworker is no longer reminded of it."""
    from casework.models import Confidentiality, Reminder

    other_coordinator = member(organisation=host, role=Role.COORDINATOR)
    held = follow_up_create(
        case=CaseFactory(owning_organisation=host, confidentiality=Confidentiality.PUBLIC),
        title="Visit in March",
        assignee=caseworker,
        by=other_coordinator,
        due_on=dt.date.today() + dt.timedelta(days=30),
    )
    _move(caseworker, partner_organisation)
    section = client_as_coordinator.get("/tasks/").text.split('id="left-tasks"')[1]
    assert held.title in section
    assert "moved to another organisation" in section
    assert f"/tasks/{held.pk}/reassign/" in section
    pending = Reminder.objects.filter(follow_up=held, state=Reminder.State.PENDING)
    assert not pending.filter(recipient=caseworker).exists()
    assert pending.filter(recipient=other_coordinator, kind=Reminder.Kind.ESCALATION).exists()


def test_it_shows_the_tasks_whose_assigner_moved_and_stops_their_escalations(
    client_as_coordinator, host, caseworker, partner_organisation
):
    from casework.models import Reminder

    leaving = member(organisation=host, role=Role.COORDINATOR)
    given = follow_up_create(
        case=CaseFactory(owning_organisation=host),
        title="Call the lawyer",
        assignee=caseworker,
        by=leaving,
        due_on=dt.date.today() + dt.timedelta(days=30),
    )
    _move(leaving, partner_organisation)
    section = client_as_coordinator.get("/tasks/").text.split('id="left-tasks"')[1]
    assert given.title in section
    assert "assigned by someone who moved to another organisation" in section
    pending = Reminder.objects.filter(follow_up=given, state=Reminder.State.PENDING)
    assert not pending.filter(recipient=leaving).exists()
    assert pending.filter(recipient=caseworker, kind=Reminder.Kind.DUE).exists()


def test_it_lets_the_old_organisations_coordinator_reassign_a_task_of_a_member_who_moved(
    client_as_coordinator, host, caseworker, coordinator, partner_organisation
):
    from casework.models import Reminder

    held = follow_up_create(
        case=CaseFactory(owning_organisation=host),
        title="Visit in March",
        assignee=caseworker,
        by=coordinator,
        due_on=dt.date.today() + dt.timedelta(days=30),
    )
    _move(caseworker, partner_organisation)
    successor = member(organisation=host, role=Role.CASEWORKER, username="successor")
    response = client_as_coordinator.post(f"/tasks/{held.pk}/reassign/", {"assignee": successor.pk})
    assert response.status_code == 302
    assert 'id="left-tasks"' not in client_as_coordinator.get("/tasks/").text
    assert Reminder.objects.filter(
        follow_up=held, recipient=successor, kind=Reminder.Kind.DUE, state="pending"
    ).exists()
