"""People, cases and their timelines in the admin (casework/admin/records.py): status
events read-only, other events through the timeline, sensitive fields left out for
partner staff, search by any spelling, restricted cases logged."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from casework.models import (
    CaseEvent,
    Confidentiality,
    RestrictedCaseView,
    Role,
    Status,
)
from tests.conftest import _signed_in
from tests.factories import CaseFactory, PersonFactory, member
from tests.support.admin_forms import admin_change_page_post


def test_it_refuses_a_status_event_added_in_the_admin(client, host_admin):
    case = CaseFactory()
    _signed_in(client, host_admin)
    response = client.post(
        "/admin/casework/caseevent/add/",
        {
            "case": case.pk,
            "kind": CaseEvent.Kind.STATUS,
            "status": Status.RELEASED,
            "happened_on": "2024-03-01",
        },
    )
    assert response.status_code == 200  # the form again, with the kind refused
    assert not CaseEvent.objects.filter(case=case).exists()
    case.refresh_from_db()
    assert case.status == Status.PRETRIAL_DETENTION


def test_it_adds_other_events_in_the_admin_through_the_case_timeline(client, host_admin):
    case = CaseFactory()
    _signed_in(client, host_admin)
    response = client.post(
        "/admin/casework/caseevent/add/",
        {
            "case": case.pk,
            "kind": CaseEvent.Kind.HEARING,
            "happened_on": "2024-03-01",
            "source": "court",
        },
    )
    assert response.status_code == 302, response.text[:3000]
    event = CaseEvent.objects.get(case=case)
    assert event.created_by == host_admin
    assert event.history.latest().history_user == host_admin


def test_it_shows_status_events_read_only(client, host_admin, coordinator):
    from casework.status import case_change_status

    case = CaseFactory()
    event = case_change_status(
        case=case, status=Status.RELEASED, on=datetime.date(2024, 5, 1), by=coordinator
    )
    _signed_in(client, host_admin)
    url = f"/admin/casework/caseevent/{event.pk}/change/"
    assert client.get(url).status_code == 200
    assert (
        client.post(url, {"kind": CaseEvent.Kind.STATUS, "status": Status.KILLED}).status_code
        == 403
    )
    event.refresh_from_db()
    assert event.status == Status.RELEASED
    # On the case page the status is a link to the case's status form, not a field.
    data, response = admin_change_page_post(client, f"/admin/casework/case/{case.pk}/change/")
    assert "status" not in data
    assert response.status_code == 302, response.text[:3000]
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_it_logs_the_restricted_cases_a_person_page_in_the_admin_lists(client, host_admin):
    person = PersonFactory()
    restricted = CaseFactory(person=person, confidentiality=Confidentiality.RESTRICTED)
    CaseFactory(person=person)
    _signed_in(client, host_admin)
    assert client.get(f"/admin/casework/person/{person.pk}/change/").status_code == 200
    assert list(
        RestrictedCaseView.objects.filter(user=host_admin).values_list("case_id", flat=True)
    ) == [restricted.pk]


def test_it_keeps_sensitive_fields_out_of_a_partner_staff_users_admin_pages(
    client, partner_organisation
):
    partner_staff = member(
        organisation=partner_organisation, role=Role.PARTNER, username="p-staff", is_staff=True
    )
    person = PersonFactory(owning_organisation=partner_organisation, family_contacts="FAMILY-X")
    case = CaseFactory(person=person, owning_organisation=partner_organisation, sources="SOURCE-X")
    case.sources = "SOURCE-Y"
    case.save()
    _signed_in(client, partner_staff)
    for url in (
        f"/admin/casework/case/{case.pk}/change/",
        f"/admin/casework/case/{case.pk}/history/",
        f"/admin/casework/person/{person.pk}/change/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        for marker in ("SOURCE-X", "SOURCE-Y", "FAMILY-X"):
            assert marker not in response.text, (url, marker)


def test_it_finds_a_person_by_another_spelling_within_the_chosen_filter(client, host_admin):
    from casework.people import person_refresh_name_keys

    person = PersonFactory(full_name="Almat Zhumagulov", region="Almaty")
    other = PersonFactory(full_name="Almat Zhumagulov", region="Aktobe")
    for record in (person, other):
        person_refresh_name_keys(person=record)
    _signed_in(client, host_admin)
    page = client.get("/admin/casework/person/", {"q": "Жумагулов", "region": "Almaty"})
    assert f"/admin/casework/person/{person.pk}/change/" in page.text
    assert f"/admin/casework/person/{other.pk}/change/" not in page.text


@pytest.fixture
def zhumagulov_and_another(host):
    almat = PersonFactory(full_name="Almat Zhumagulov", owning_organisation=host)
    other = PersonFactory(full_name="Aset Abishev", owning_organisation=host)
    for person in (almat, other):
        CaseFactory(person=person, owning_organisation=host, confidentiality=Confidentiality.PUBLIC)
    return almat, other


@pytest.mark.parametrize("query", ["Жумагулов", "Jumagulov", "Алмат Жумагулов", "Zhumagulov A."])
def test_the_person_changelist_finds_almat_zhumagulov_by_another_spelling(
    client_as_admin, zhumagulov_and_another, query
):
    almat, other = zhumagulov_and_another

    response = client_as_admin.get(reverse("admin:casework_person_changelist"), {"q": query})

    assert response.status_code == 200
    found = list(response.context["cl"].result_list)
    assert found == [almat]
    assert other not in found


def test_it_speaks_the_admins_language_about_a_cases_status(
    client, host_admin, coordinator, monkeypatch
):
    from django.core.exceptions import PermissionDenied
    from django.utils import translation

    from casework.admin.records import case_event_save
    from casework.models import Membership
    from casework.status import case_change_status
    from tests.support.catalogues import every_marked_string_tagged

    every_marked_string_tagged(monkeypatch, "ru", "[ru] ")
    Membership.objects.filter(user=host_admin).update(language="ru")
    _signed_in(client, host_admin)
    added = client.get("/admin/casework/case/add/").text
    assert "[ru] Unknown (set it on the case page once the case is saved)." in added
    event = case_change_status(
        case=CaseFactory(), status=Status.RELEASED, on=datetime.date(2024, 5, 1), by=coordinator
    )
    with translation.override("ru"), pytest.raises(PermissionDenied) as refused:
        case_event_save(event=event, by=host_admin)
    with translation.override("ru"):
        assert str(refused.value) == "[ru] Status events change through the case's status form."
