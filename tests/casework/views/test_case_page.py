"""A case's page (/cases/<id>/): the case, its timeline, mentions, tasks and history, as
the viewer may see them."""

from __future__ import annotations

import datetime

import time_machine

from casework.models import CaseEvent, Confidentiality, Membership, Role
from tests.factories import (
    CaseEventFactory,
    CaseFactory,
    DocumentFactory,
    FollowUpFactory,
    MentionFactory,
    PersonAliasFactory,
    PersonFactory,
    member,
)


def test_it_answers_404_for_a_restricted_case_outside_the_team(client_as_partner, host):
    case = CaseFactory(owning_organisation=host, confidentiality=Confidentiality.RESTRICTED)
    response = client_as_partner.get(f"/cases/{case.pk}/")
    assert response.status_code == 404
    assert "not visible to you" in response.text


def test_it_shows_the_case_page(client_as_caseworker, zhumagulov_case, caseworker):
    PersonAliasFactory(person=zhumagulov_case.person, name="Zhumagulov A.")
    CaseEventFactory(
        case=zhumagulov_case,
        kind=CaseEvent.Kind.HEARING,
        happened_on=datetime.date(2024, 3, 1),
        description="First hearing in Almaty",
    )
    CaseEventFactory(
        case=zhumagulov_case,
        kind=CaseEvent.Kind.VISIT,
        happened_on=datetime.date(2024, 5, 1),
        description="Lawyer visited",
    )
    document = DocumentFactory(title="European Parliament resolution on Kazakhstan")
    MentionFactory(
        document=document, case=zhumagulov_case, passage="calls for the release of Almat Zhumagulov"
    )
    FollowUpFactory(
        case=zhumagulov_case, title="Call the lawyer", assignee=caseworker, assigned_by=caseworker
    )
    zhumagulov_case.sources = "Lawyer's phone call"
    zhumagulov_case.save()
    response = client_as_caseworker.get(f"/cases/{zhumagulov_case.pk}/")
    text = response.text
    assert response.status_code == 200
    assert "Алмат Жумагулов" in text
    assert "Zhumagulov A." in text
    assert "Participation in a banned extremist organisation" in text
    assert text.index("Lawyer visited") < text.index("First hearing in Almaty")  # newest first
    assert "calls for the release of Almat Zhumagulov" in text
    assert "European Parliament resolution on Kazakhstan" in text
    assert "Call the lawyer" in text
    assert "Lawyer&#x27;s phone call" in text
    assert "Change history" in text


def test_it_shows_who_changed_what_in_the_history(
    client_as_caseworker, zhumagulov_case, caseworker
):
    client_as_caseworker.post(
        f"/cases/{zhumagulov_case.pk}/edit/",
        {
            "confidentiality": Confidentiality.INTERNAL,
            "sentence": "7 years",
            "detained_on": "2024-01-10",
        },
    )
    response = client_as_caseworker.get(f"/cases/{zhumagulov_case.pk}/")
    history = response.text[response.text.index("Change history") :]
    assert "caseworker" in history
    assert "7 years" in history
    assert "Sentence" in history


def test_it_hides_sensitive_fields_from_a_partner(client_as_partner, partner_organisation):
    case = CaseFactory(
        owning_organisation=partner_organisation,
        person=PersonFactory(
            owning_organisation=partner_organisation, family_contacts="Sister: +7 701 000"
        ),
        sources="Secret source",
        health_notes="Diabetes",
    )
    text = client_as_partner.get(f"/cases/{case.pk}/").text
    assert "Secret source" not in text
    assert "Diabetes" not in text
    assert "+7 701 000" not in text


def test_the_case_page_runs_a_bounded_number_of_queries(
    client_as_caseworker, zhumagulov_case, django_assert_max_num_queries
):
    CaseEventFactory.create_batch(10, case=zhumagulov_case)
    for index in range(5):
        zhumagulov_case.sentence = f"{index} years"
        zhumagulov_case.save()
    client_as_caseworker.get("/cases/")
    with django_assert_max_num_queries(20):
        assert client_as_caseworker.get(f"/cases/{zhumagulov_case.pk}/").status_code == 200


def test_it_shows_the_label_of_the_confidentiality_level(client_as_caseworker, zhumagulov_case):
    text = client_as_caseworker.get(f"/cases/{zhumagulov_case.pk}/").text
    assert "Internal — owning and host organisations" in text


def test_it_hides_the_source_of_a_timeline_event_from_a_partner(
    client, partner_user, caseworker, partner_organisation
):
    from tests.conftest import verify_second_factor

    case = CaseFactory(
        owning_organisation=partner_organisation,
        person=PersonFactory(owning_organisation=partner_organisation),
        confidentiality=Confidentiality.PUBLIC,
    )
    CaseEventFactory(
        case=case,
        kind=CaseEvent.Kind.VISIT,
        happened_on=datetime.date(2024, 5, 1),
        description="Lawyer visited",
        source="His cellmate's wife, phone +7 701 555",
    )
    client.force_login(partner_user)
    text = client.get(f"/cases/{case.pk}/").text
    assert "Lawyer visited" in text
    assert "+7 701 555" not in text
    client.force_login(caseworker)
    verify_second_factor(client, caseworker)
    assert "+7 701 555" in client.get(f"/cases/{case.pk}/").text


def test_the_case_page_lists_the_organisations_own_tasks_not_a_partners(
    client_as_caseworker, host, caseworker, coordinator, partner_organisation, partner_user
):
    case = CaseFactory(person=PersonFactory(owning_organisation=host), owning_organisation=host)
    partner_coordinator = member(organisation=partner_organisation, role=Role.COORDINATOR)
    FollowUpFactory(
        case=case, title="Visit in SIZO-1", assignee=caseworker, assigned_by=coordinator
    )
    FollowUpFactory(
        case=case,
        title="Ask the cellmate's sister",
        assignee=partner_user,
        assigned_by=partner_coordinator,
    )
    response = client_as_caseworker.get(f"/cases/{case.pk}/")
    assert "Visit in SIZO-1" in response.text
    assert "cellmate" not in response.text


def test_it_marks_a_task_overdue_by_the_day_it_is_where_the_user_works(
    client_as_caseworker, caseworker, host
):
    # 19:30 UTC on 7 December is already 8 December in Almaty: a task due on the 7th is
    # late there, as the Tasks page says.
    Membership.objects.filter(user=caseworker).update(timezone="Asia/Almaty")
    case = CaseFactory(owning_organisation=host)
    due = datetime.date(2026, 12, 7)
    FollowUpFactory(case=case, due_on=due, assignee=caseworker, assigned_by=caseworker)

    moment = datetime.datetime(2026, 12, 7, 19, 30, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        page = client_as_caseworker.get(f"/cases/{case.pk}/").text
        tasks = client_as_caseworker.get("/tasks/").text

    overdue = '<span class="badge badge--detained">overdue</span>'
    assert overdue in tasks
    assert overdue in page


def test_the_case_page_lists_open_tasks_before_done_and_cancelled_ones(
    client_as_caseworker, host, caseworker, coordinator
):
    case = CaseFactory(owning_organisation=host)
    titles = {"Done first": "done", "Cancelled": "cancelled", "Still open": "open"}
    for number, (title, status) in enumerate(titles.items()):
        FollowUpFactory(
            case=case,
            title=title,
            status=status,
            due_on=datetime.date(2026, 11, 1 + number),
            assignee=caseworker,
            assigned_by=coordinator,
        )
    page = client_as_caseworker.get(f"/cases/{case.pk}/").text
    assert page.index("Still open") < page.index("Done first") < page.index("Cancelled")
