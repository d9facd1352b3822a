"""New task and editing a task (/tasks/new/, /tasks/<id>/edit/)."""

from __future__ import annotations

import datetime as dt

from casework.models import Confidentiality, FollowUp, Membership
from tests.factories import CaseFactory, OrganisationFactory
from tests.support.catalogues import translations_given


def test_it_lets_a_coordinator_assign_a_task_from_a_case(client_as_coordinator, case, caseworker):
    form = client_as_coordinator.get(f"/tasks/new/?case={case.pk}")
    assert form.status_code == 200
    assert f'value="{case.reference}"' in form.text
    response = client_as_coordinator.post(
        "/tasks/new/",
        {
            "case": case.reference,
            "title": "Call the lawyer",
            "assignee": caseworker.pk,
            "due_on": "2030-05-20",
            "priority": 3,
            "recurrence_days": "",
            "note": "",
        },
    )
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
    hidden = CaseFactory(
        confidentiality=Confidentiality.RESTRICTED, owning_organisation=OrganisationFactory()
    )
    response = client_as_coordinator.post(
        "/tasks/new/",
        {
            "case": hidden.reference,
            "title": "Call",
            "assignee": caseworker.pk,
            "due_on": "2030-05-20",
            "priority": 2,
        },
    )
    assert response.status_code == 200
    assert f"There is no case “{hidden.reference}” that you can see." in response.text
    assert not FollowUp.objects.exists()


def test_it_lets_a_caseworker_record_a_task_for_themselves(client_as_caseworker, caseworker, case):
    form = client_as_caseworker.get(f"/tasks/new/?case={case.pk}")
    assert form.status_code == 200
    assert [user.pk for user in form.context["form"].fields["assignee"].queryset] == [caseworker.pk]
    response = client_as_caseworker.post(
        "/tasks/new/",
        {
            "case": case.reference,
            "title": "Call the lawyer",
            "assignee": caseworker.pk,
            "due_on": "2030-05-20",
            "priority": 2,
        },
    )
    assert response.status_code == 302
    assert FollowUp.objects.get().assignee == caseworker


def test_it_refuses_the_create_page_to_a_partner_user(client_as_partner):
    response = client_as_partner.get("/tasks/new/")
    assert response.status_code == 403
    assert "Partner users do not record tasks" in response.text


def test_it_asks_before_assigning_a_task_due_in_the_past(client_as_coordinator, case, caseworker):
    data = {
        "case": case.reference,
        "title": "Call",
        "assignee": caseworker.pk,
        "due_on": "2020-01-06",
        "priority": 2,
    }
    response = client_as_coordinator.post("/tasks/new/", data)
    assert response.status_code == 200
    assert "This date has passed — assign anyway?" in response.text
    assert 'type="checkbox" name="assign_anyway"' in response.text
    assert not FollowUp.objects.exists()
    confirmed = client_as_coordinator.post("/tasks/new/", {**data, "assign_anyway": "on"})
    assert confirmed.status_code == 302
    assert FollowUp.objects.get().due_on == dt.date(2020, 1, 6)


def test_it_edits_the_due_date(client_as_coordinator, task):
    client_as_coordinator.post(
        f"/tasks/{task.pk}/edit/",
        {"title": task.title, "due_on": "2030-06-01", "priority": 2, "note": ""},
    )
    task.refresh_from_db()
    assert task.due_on == dt.date(2030, 6, 1)


def test_it_says_in_the_readers_language_that_the_case_is_not_one_they_can_see(
    client_as_coordinator, coordinator, caseworker, monkeypatch
):
    translations_given(
        monkeypatch,
        "ru",
        {
            "There is no case “%(reference)s” that you can see.": "Нет доступного вам дела «%(reference)s»."
        },
    )
    Membership.objects.filter(user=coordinator).update(language="ru")
    response = client_as_coordinator.post(
        "/tasks/new/",
        {
            "case": "НЕТ-ТАКОГО",
            "title": "Звонок",
            "assignee": caseworker.pk,
            "due_on": "2030-05-20",
            "priority": 2,
        },
    )
    assert response.status_code == 200
    assert "Нет доступного вам дела «НЕТ-ТАКОГО»." in response.text
    assert not FollowUp.objects.exists()


def test_it_refuses_a_due_date_in_year_9999_beside_the_field(
    client_as_coordinator, case, caseworker, task
):
    data = {"title": "Call", "due_on": "9999-12-31", "priority": 2, "note": ""}
    created = client_as_coordinator.post(
        "/tasks/new/", {**data, "case": case.reference, "assignee": caseworker.pk}
    )
    edited = client_as_coordinator.post(f"/tasks/{task.pk}/edit/", data)

    for response in (created, edited):
        assert response.status_code == 200
        assert response.context["form"].errors == {
            "due_on": ["Enter a due date between 1900 and 2100."]
        }
    assert list(FollowUp.objects.values_list("pk", "due_on")) == [(task.pk, task.due_on)]


def test_it_refuses_an_edit_over_a_colleagues_edit_since_the_form_was_opened(
    client_as_coordinator, case, coordinator, caseworker
):
    import re

    from casework.followups import follow_up_create, follow_up_update

    task = follow_up_create(
        case=case, title="Visit", assignee=caseworker, by=coordinator, due_on=dt.date(2030, 5, 20)
    )
    url = f"/tasks/{task.pk}/edit/"
    opened = re.search(r'name="edit_stamp" value="([^"]*)"', client_as_coordinator.get(url).text)
    # Meanwhile another coordinator moves the due date after a call with the lawyer.
    follow_up_update(follow_up=task, by=coordinator, due_on=dt.date(2030, 6, 1))

    mine = {"title": "Visit in SIZO-1", "due_on": "2030-05-25", "priority": "2", "note": ""}
    refused = client_as_coordinator.post(url, {**mine, "edit_stamp": opened[1]})

    assert refused.status_code == 200
    assert "Someone else changed this since you opened it:" in refused.text
    task.refresh_from_db()
    assert (task.title, task.due_on) == ("Visit", dt.date(2030, 6, 1))
