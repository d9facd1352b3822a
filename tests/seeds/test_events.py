"""seeds.events: the status facts the texts state, on the cases' timelines."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from casework.models import Case, CaseEvent, Provenance, Status
from tests.seeds.seeded import case_of


def test_status_events_name_their_document_and_seed_text(seeded):
    event = case_of("Roza Tuletaeva").events.get(kind=CaseEvent.Kind.STATUS)

    assert event.status == Status.IMPRISONED
    assert event.previous_status == Status.UNKNOWN
    # No text says since when: the event has no date and is recorded as of the day reported.
    assert event.happened_on is None
    assert timezone.localdate(event.recorded_at) == datetime.date(2013, 4, 18)
    assert "P7_TA(2013)0190" in event.source
    assert "003_6578fd821a231ef1.txt" in event.source
    assert "since when is not given" in event.description


def test_a_status_from_the_debate_cites_the_statement_that_reports_it_not_the_resolution(seeded):
    event = case_of("Dulat Agadil").events.get(kind=CaseEvent.Kind.STATUS)

    assert event.status == Status.DIED_IN_CUSTODY
    assert "P9_TA(2021)0056" not in event.source
    assert "MEP Róza Thun (Poland; EPP) highlighted the sensitive case of Agadil" in event.source
    assert "the date of his death is not given" in event.description


def test_each_status_events_status_and_date_have_their_own_source(seeded):
    events = CaseEvent.objects.filter(kind=CaseEvent.Kind.STATUS).prefetch_related("case")

    assert events.count() == 14
    for event in events:
        rows = list(
            Provenance.objects.filter(
                record_type=ContentType.objects.get_for_model(CaseEvent), record_id=event.pk
            )
        )
        assert any("status" in row.fact_names for row in rows), event.case.reference
        assert event.happened_on is None, event.case.reference
        dated = [row for row in rows if "recorded_at" in row.fact_names]
        assert dated, event.case.reference
        for row in dated:
            year = timezone.localdate(event.recorded_at).year
            assert row.basis == "inferred" or str(year) in row.quote


def test_a_status_whose_date_is_inferred_says_why(seeded):
    event = case_of("Bota Jardemalie").events.get(kind=CaseEvent.Kind.STATUS)
    row = Provenance.objects.get(
        record_type=ContentType.objects.get_for_model(CaseEvent),
        record_id=event.pk,
        facts="recorded_at",
    )

    assert (event.status, event.happened_on) == (Status.IN_EXILE, None)
    assert timezone.localdate(event.recorded_at) == datetime.date(2021, 2, 11)
    assert row.basis == "inferred"
    assert "The statement that reports this is not dated" in row.note


def test_no_seeded_status_is_dated_since_a_day_no_text_gives(seeded):
    assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.STATUS, happened_on__isnull=False)
    assert not Case.objects.exclude(status_since=None).exists()
    assert case_of("Roza Tuletaeva").status == Status.IMPRISONED
