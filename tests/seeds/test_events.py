"""seeds.events: the status facts the texts state, on the cases' timelines."""

from __future__ import annotations

import datetime

from casework.models import CaseEvent, Status
from tests.seeds.seeded import case_of


def test_status_events_name_their_document_and_seed_text(seeded):
    event = case_of("Roza Tuletaeva").events.get(kind=CaseEvent.Kind.STATUS)

    assert event.status == Status.IMPRISONED
    assert event.previous_status == Status.UNKNOWN
    assert event.happened_on == datetime.date(2013, 4, 18)
    assert "P7_TA(2013)0190" in event.source
    assert "003_6578fd821a231ef1.txt" in event.source
