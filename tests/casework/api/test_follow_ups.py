"""Tasks through the API: those the user may see, marking one done through
casework.followups."""

from __future__ import annotations

import datetime

import pytest

from casework.models import FollowUp, Role
from tests.factories import CaseFactory, FollowUpFactory, member


def test_it_lists_the_user_s_own_tasks_and_not_a_stranger_s(api_as, caseworker, host):
    mine = FollowUpFactory(case=CaseFactory(owning_organisation=host), assignee=caseworker)
    FollowUpFactory(case=CaseFactory(owning_organisation=host))
    response = api_as(caseworker).get("/api/v1/follow-ups/")
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]


def test_it_marks_the_assignee_s_task_done_with_a_note(api_as, caseworker, host):
    task = FollowUpFactory(case=CaseFactory(owning_organisation=host), assignee=caseworker)
    response = api_as(caseworker).post(
        f"/api/v1/follow-ups/{task.pk}/complete/",
        {"note": "Lawyer reached"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    task.refresh_from_db()
    assert (task.status, task.completion_note) == (FollowUp.State.DONE, "Lawyer reached")


def test_it_refuses_to_complete_a_task_the_user_only_assigned(api_as, host):
    assigner = member(organisation=host, role=Role.CASEWORKER, username="assigner")
    task = FollowUpFactory(case=CaseFactory(owning_organisation=host), assigned_by=assigner)
    response = api_as(assigner).post(f"/api/v1/follow-ups/{task.pk}/complete/")
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.status == FollowUp.State.OPEN


@pytest.mark.parametrize("rows", [5, 500])
def test_it_lists_tasks_in_a_bounded_number_of_queries(
    api_as, caseworker, host, rows, django_assert_max_num_queries
):
    case = CaseFactory(owning_organisation=host)
    FollowUpFactory.create_batch(rows, case=case, assignee=caseworker)
    client = api_as(caseworker)
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/follow-ups/", {"page_size": 200})
    assert len(response.json()["results"]) == min(rows, 200)


def test_it_lets_a_coordinator_assign_a_task_about_a_case_by_its_reference(
    api_as, coordinator, caseworker, host
):
    case = CaseFactory(owning_organisation=host)
    response = api_as(coordinator).post(
        "/api/v1/follow-ups/",
        {
            "case": case.reference,
            "title": "Visit the colony",
            "assignee": caseworker.pk,
            "due_on": "2030-01-15",
            "priority": FollowUp.Priority.NORMAL,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    task = FollowUp.objects.get(pk=response.json()["id"])
    assert (task.case, task.assignee, task.assigned_by) == (case, caseworker, coordinator)


def test_it_refuses_a_caseworker_assigning_a_task(api_as, caseworker, host):
    case = CaseFactory(owning_organisation=host)
    response = api_as(caseworker).post(
        "/api/v1/follow-ups/",
        {"case": case.reference, "title": "x", "assignee": caseworker.pk, "due_on": "2030-01-15"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not FollowUp.objects.exists()


def test_it_answers_a_hidden_case_s_reference_with_the_form_s_message(
    api_as, host, partner_organisation
):
    partner_coordinator = member(
        organisation=partner_organisation, role=Role.COORDINATOR, username="pc"
    )
    hidden = CaseFactory(owning_organisation=host)
    response = api_as(partner_coordinator).post(
        "/api/v1/follow-ups/",
        {
            "case": hidden.reference,
            "title": "x",
            "assignee": partner_coordinator.pk,
            "due_on": "2030-01-15",
            "priority": FollowUp.Priority.NORMAL,
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "field": "case",
        "message": f"There is no case “{hidden.reference}” that you can see.",
    }


def _patch(client, task, data, **headers):
    return client.patch(
        f"/api/v1/follow-ups/{task.pk}/", data, content_type="application/json", headers=headers
    )


def test_it_lets_a_coordinator_move_a_task_s_due_date_and_its_reminders_follow(
    api_as, coordinator, caseworker, host
):
    task = FollowUpFactory(
        case=CaseFactory(owning_organisation=host),
        assignee=caseworker,
        assigned_by=coordinator,
        title="Call the lawyer",
        due_on=datetime.date(2031, 3, 1),
    )
    response = _patch(api_as(coordinator), task, {"due_on": "2031-04-01"})
    assert response.status_code == 200, response.content
    task.refresh_from_db()
    assert (task.title, task.due_on) == ("Call the lawyer", datetime.date(2031, 4, 1))
    assert task.history.latest().history_user == coordinator


def test_it_refuses_a_task_change_over_one_made_since_it_was_read(
    api_as, coordinator, caseworker, host
):
    task = FollowUpFactory(
        case=CaseFactory(owning_organisation=host), assignee=caseworker, title="Read"
    )
    client = api_as(coordinator)
    etag = client.get(f"/api/v1/follow-ups/{task.pk}/").headers["ETag"]
    assert _patch(client, task, {"title": "Theirs"}).status_code == 200
    response = _patch(client, task, {"note": "Mine"}, If_Match=etag)
    assert response.status_code == 412
    assert [error["field"] for error in response.json()["errors"]] == ["title"]
    task.refresh_from_db()
    assert (task.title, task.note) == ("Theirs", "")
    again = _patch(client, task, {"note": "Mine"}, If_Match=response.headers["ETag"])
    assert again.status_code == 200, again.content
    assert again.headers["ETag"] == client.get(f"/api/v1/follow-ups/{task.pk}/").headers["ETag"]


def test_it_refuses_a_task_s_status_changed_by_patch_naming_where_it_changes(
    api_as, coordinator, caseworker, host
):
    task = FollowUpFactory(case=CaseFactory(owning_organisation=host), assignee=caseworker)
    response = _patch(api_as(coordinator), task, {"status": "done", "title": "x"})
    assert response.status_code == 400
    errors = {error["field"]: error["message"] for error in response.json()["errors"]}
    assert set(errors) == {"status"}
    assert f"/api/v1/follow-ups/{task.pk}/complete/" in errors["status"]
    task.refresh_from_db()
    assert task.status == FollowUp.State.OPEN


def test_it_leaves_changing_a_task_to_those_who_manage_tasks(api_as, caseworker, host):
    task = FollowUpFactory(
        case=CaseFactory(owning_organisation=host), assignee=caseworker, title="Kept"
    )
    response = _patch(api_as(caseworker), task, {"title": "Mine"})
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.title == "Kept"


def test_it_refuses_to_change_a_task_that_is_done(api_as, coordinator, caseworker, host):
    task = FollowUpFactory(
        case=CaseFactory(owning_organisation=host),
        assignee=caseworker,
        status=FollowUp.State.DONE,
        title="Done",
    )
    response = _patch(api_as(coordinator), task, {"title": "Again"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "Only an open task can be edited."
    task.refresh_from_db()
    assert task.title == "Done"
