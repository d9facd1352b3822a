"""Adding a timeline event (/cases/<id>/events/new/)."""

from __future__ import annotations

from casework.models import CaseEvent


def test_it_adds_a_timeline_event(client_as_caseworker, zhumagulov_case):
    response = client_as_caseworker.post(
        f"/cases/{zhumagulov_case.pk}/events/new/",
        {
            "kind": CaseEvent.Kind.HEARING,
            "happened_on": "2024-04-02",
            "source": "Court",
            "description": "Appeal hearing",
        },
    )
    assert response.status_code == 302
    assert zhumagulov_case.events.get().description == "Appeal hearing"
