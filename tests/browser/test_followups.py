"""A coordinator assigns a task in the browser; the caseworker sees it under My tasks and,
once the reminder is dispatched and sent, the bell shows the unread count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from casework.models import FollowUp, Notification
from casework.reminders import reminders_dispatch_due
from config.celery import app
from tests.factories import CaseFactory, FollowUpFactory, PersonFactory


@pytest.fixture
def eager_celery():
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def test_a_coordinator_assigns_a_task_and_the_caseworker_is_reminded(
    page, sign_in, host, coordinator, caseworker, screenshot, eager_celery
):
    case = CaseFactory(
        reference="KZ-2024-0042",
        person=PersonFactory(full_name="Almat Zhumagulov", owning_organisation=host),
        assigned_caseworker=caseworker,
    )
    sign_in(coordinator, at=f"/cases/{case.pk}/")
    page.get_by_role("link", name="Add follow-up").click()
    expect(page.get_by_label("Case reference")).to_have_value(case.reference)
    page.get_by_label("Task", exact=True).fill("Visit Almat in SIZO-1")
    page.get_by_label("Assign to").select_option(label=caseworker.username)
    due = timezone.localdate() + dt.timedelta(days=1)
    page.get_by_label("Due date").fill(due.isoformat())
    page.get_by_label("Priority").select_option(label="High")
    page.get_by_role("button", name="Assign task").click()
    expect(page.get_by_text("assigned to caseworker")).to_be_visible()
    assert FollowUp.objects.get().assignee == caseworker

    page.get_by_role("button", name="Sign out").click()
    sign_in(caseworker, at="/tasks/")
    my_tasks = page.locator("section", has=page.get_by_role("heading", name="My tasks"))
    expect(my_tasks.get_by_text("Visit Almat in SIZO-1")).to_be_visible()
    expect(page.get_by_test_id("unread-count")).to_have_count(0)

    # What beat and the worker do every minute, in-process: the assignment notice is due
    # now, so it is claimed, sent (eagerly) and lands under the bell.
    assert reminders_dispatch_due(now=timezone.now()) == 1
    assert Notification.objects.filter(user=caseworker).count() == 1
    page.reload()
    expect(page.get_by_test_id("unread-count")).to_contain_text("1")
    screenshot("followups-my-tasks")

    page.get_by_role("link", name="Notifications").click()
    expect(page.get_by_text("New task for you: Visit Almat in SIZO-1")).to_be_visible()
    screenshot("followups-notifications")
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_test_id("unread-count")).to_have_count(0)


def test_a_phone_shows_every_task_whole_with_its_done_button_in_view(
    page, sign_in, host, coordinator, caseworker, screenshot
):
    case = CaseFactory(
        reference="KZ-2024-0042",
        person=PersonFactory(full_name="Dametkan Aspandiyarova", owning_organisation=host),
        assigned_caseworker=caseworker,
    )
    today = timezone.localdate()
    FollowUpFactory(
        case=case,
        title="Brief the rapporteur before the urgency debate",
        note="Bring the medical report and the list of visits refused since March.",
        assignee=coordinator,
        assigned_by=coordinator,
        due_on=today - dt.timedelta(days=3),
        recurrence_days=30,
    )
    FollowUpFactory(
        case=case,
        title="Call the lawyer",
        assignee=caseworker,
        assigned_by=coordinator,
        due_on=today - dt.timedelta(days=1),
    )
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(coordinator, at="/tasks/")
    done_buttons = page.get_by_role("link", name="Done", exact=True)
    # One under My tasks, one under Tasks I assigned, both under Who is late.
    expect(done_buttons).to_have_count(4)
    for button in done_buttons.all():
        box = button.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    for wrap in page.locator("main .table-wrap").all():
        assert wrap.evaluate("element => element.scrollWidth <= element.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("followups-phone")


def test_a_caseworker_records_a_follow_up_for_themselves_on_a_phone(
    page, sign_in, host, caseworker, screenshot
):
    page.set_viewport_size({"width": 390, "height": 844})
    case = CaseFactory(
        reference="KZ-2024-0077",
        person=PersonFactory(full_name="Aigul Kenzhebekova", owning_organisation=host),
        assigned_caseworker=caseworker,
    )
    sign_in(caseworker, at=f"/cases/{case.pk}/")
    page.get_by_role("link", name="Add follow-up").click()
    expect(page.get_by_label("Case reference")).to_have_value(case.reference)
    expect(page.get_by_label("Assign to")).to_have_value(str(caseworker.pk))
    page.get_by_label("Task", exact=True).fill("Ask the lawyer for the appeal date")
    page.get_by_label("Due date").fill((timezone.localdate() - dt.timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Record task").click()
    # A date already past is asked about, not refused or taken silently.
    expect(page.get_by_text("This date has passed — assign anyway?")).to_be_visible()
    screenshot("followups-caseworker-past-date-phone")
    page.get_by_label("Assign anyway").check()
    page.get_by_role("button", name="Record task").click()
    expect(page.get_by_role("status")).to_contain_text("recorded for you")
    screenshot("followups-caseworker-own-task-phone")
    follow_up = FollowUp.objects.get()
    assert (follow_up.assignee, follow_up.assigned_by) == (caseworker, caseworker)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
