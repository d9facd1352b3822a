"""Changing a case's status (/cases/<id>/status/), through the timeline."""

from __future__ import annotations

import datetime

import time_machine
from django.utils import timezone

from casework.models import CaseEvent, Membership, Status


def test_it_changes_the_status_through_the_timeline(
    client_as_caseworker, zhumagulov_case, caseworker
):
    response = client_as_caseworker.post(
        f"/cases/{zhumagulov_case.pk}/status/",
        {
            "status": Status.RELEASED,
            "on": "2024-06-01",
            "source": "Family",
            "note": "Released on parole",
        },
    )
    assert response.status_code == 302
    zhumagulov_case.refresh_from_db()
    assert zhumagulov_case.status == Status.RELEASED
    event = zhumagulov_case.events.get(kind=CaseEvent.Kind.STATUS)
    assert event.created_by == caseworker
    assert event.source == "Family"
    page = client_as_caseworker.get(f"/cases/{zhumagulov_case.pk}/").text
    assert "Released on parole" in page
    assert "Status changed" in page


def test_it_refuses_a_status_change_in_the_future(client_as_caseworker, zhumagulov_case):
    future = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client_as_caseworker.post(
        f"/cases/{zhumagulov_case.pk}/status/",
        {"status": Status.RELEASED, "on": future, "source": "x"},
    )
    assert response.status_code == 200
    assert "A status cannot change in the future." in response.text
    zhumagulov_case.refresh_from_db()
    assert zhumagulov_case.status == Status.PRETRIAL_DETENTION


def test_it_refuses_a_status_change_dated_before_1900_beside_the_date(
    client_as_caseworker, zhumagulov_case
):
    response = client_as_caseworker.post(
        f"/cases/{zhumagulov_case.pk}/status/",
        {"status": Status.RELEASED, "on": "0021-03-01", "source": "x"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "on": ["A date on the timeline cannot be before 1900."]
    }
    assert not zhumagulov_case.events.filter(kind=CaseEvent.Kind.STATUS).exists()


def test_it_records_one_change_when_the_form_is_sent_twice(client_as_caseworker, zhumagulov_case):
    data = {"status": Status.RELEASED, "on": "2024-06-01", "source": "Family"}
    first = client_as_caseworker.post(f"/cases/{zhumagulov_case.pk}/status/", data)
    again = client_as_caseworker.post(f"/cases/{zhumagulov_case.pk}/status/", data)

    assert (first.status_code, again.status_code) == (302, 302)
    changes = zhumagulov_case.events.filter(kind=CaseEvent.Kind.STATUS, status=Status.RELEASED)
    assert changes.count() == 1


def test_it_takes_a_change_of_the_users_today_where_they_work(
    client_as_caseworker, caseworker, zhumagulov_case
):
    # 19:30 UTC on 7 December is 00:30 on 8 December in Almaty: a release that night is
    # not "in the future" for a caseworker there.
    Membership.objects.filter(user=caseworker).update(timezone="Asia/Almaty")
    moment = datetime.datetime(2026, 12, 7, 19, 30, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        response = client_as_caseworker.post(
            f"/cases/{zhumagulov_case.pk}/status/",
            {"status": Status.RELEASED, "on": "2026-12-08", "source": "Family"},
        )
        too_late = client_as_caseworker.post(
            f"/cases/{zhumagulov_case.pk}/status/",
            {"status": Status.IMPRISONED, "on": "2026-12-09", "source": "Family"},
        )

    assert response.status_code == 302
    zhumagulov_case.refresh_from_db()
    assert (zhumagulov_case.status, zhumagulov_case.status_since) == (
        Status.RELEASED,
        datetime.date(2026, 12, 8),
    )
    assert too_late.context["form"].errors == {"on": ["A status cannot change in the future."]}
