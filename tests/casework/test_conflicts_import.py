"""A partner's import that contradicts the host's record: the import's functions as they
are, then casework.status.timelines_recompute (what the import must call after writing),
and the host's coordinator seeing and resolving the conflict on the pages."""

from __future__ import annotations

import datetime

import pytest

from casework.importing.runs import import_file_run
from casework.models import Case, Confidentiality, Notification, Status, StatusConflict
from casework.status import timelines_recompute
from tests.factories import PersonFactory, case_with_status

PARTNER_FILE = (
    "ФИО,Год рождения,Статус,Дата освобождения\n"
    "Козлов Владимир Иванович,1960,Освобождён,2024-05-02\n"
).encode()


@pytest.fixture
def host_kozlov(host, coordinator):
    return case_with_status(
        person=PersonFactory(
            full_name="Vladimir Kozlov", birth_year=1960, owning_organisation=host
        ),
        organisation=host,
        status=Status.IMPRISONED,
        on=datetime.date(2016, 3, 30),
        source="European Parliament resolution",
        by=coordinator,
        reference="SEED-KOZLOV",
        confidentiality=Confidentiality.PUBLIC,
    )


def _partner_import(partner_user, partner_organisation):
    run, summary = import_file_run(
        data=PARTNER_FILE,
        file_name="kibhr.csv",
        organisation=partner_organisation,
        user=partner_user,
    )
    assert summary["errors"] == [] and summary["new"] == 1, summary
    # What the import must call after writing (the lead wires it into the import itself).
    timelines_recompute(case_ids=[*run.created_case_ids, *run.updated_case_ids], by=partner_user)
    return Case.objects.get(owning_organisation=partner_organisation)


def test_a_partner_import_that_contradicts_the_host_raises_a_conflict(
    host_kozlov, partner_user, partner_organisation, coordinator
):
    partner_case = _partner_import(partner_user, partner_organisation)

    assert partner_case.person_id == host_kozlov.person_id
    assert (partner_case.status, partner_case.status_since) == (
        Status.RELEASED,
        datetime.date(2024, 5, 2),
    )
    conflict = StatusConflict.objects.get(closed_at__isnull=True)
    assert {conflict.first_case_id, conflict.second_case_id} == {host_kozlov.pk, partner_case.pk}
    told = Notification.objects.get(user=coordinator)
    assert told.case == host_kozlov
    assert "reports “Released” since 2 May 2024" in told.body


def test_the_host_coordinator_sees_the_conflict_and_records_the_partners_status(
    host_kozlov, partner_user, partner_organisation, client_as_coordinator, coordinator
):
    partner_case = _partner_import(partner_user, partner_organisation)
    conflict = StatusConflict.objects.get(closed_at__isnull=True)

    page = client_as_coordinator.get(f"/people/{host_kozlov.person_id}/").text
    assert "Status conflict" in page
    assert partner_case.reference in page and "since 2 May 2024" in page
    assert f"/people/conflicts/{conflict.pk}/record/" in page

    response = client_as_coordinator.post(
        f"/people/conflicts/{conflict.pk}/record/", {"case": host_kozlov.pk}
    )

    assert response.status_code == 302
    host_kozlov.refresh_from_db()
    assert (host_kozlov.status, host_kozlov.status_since) == (
        Status.RELEASED,
        datetime.date(2024, 5, 2),
    )
    conflict.refresh_from_db()
    assert (conflict.outcome, conflict.closed_by) == (StatusConflict.Outcome.RECORDED, coordinator)
    page = client_as_coordinator.get(f"/people/{host_kozlov.person_id}/").text
    assert "Resolved status conflicts" in page
    assert "Status conflict:" not in page


def test_it_says_a_conflict_sent_twice_is_already_resolved_and_records_once(
    host_kozlov, partner_user, partner_organisation, client_as_coordinator
):
    _partner_import(partner_user, partner_organisation)
    conflict = StatusConflict.objects.get(closed_at__isnull=True)
    record = f"/people/conflicts/{conflict.pk}/record/"

    client_as_coordinator.post(record, {"case": host_kozlov.pk})
    again = client_as_coordinator.post(record, {"case": host_kozlov.pk}, follow=True)
    dismiss = client_as_coordinator.get(f"/people/conflicts/{conflict.pk}/dismiss/")

    assert again.status_code == 200
    assert "This conflict was already resolved." in again.text
    assert dismiss.status_code == 302
    assert host_kozlov.events.filter(status=Status.RELEASED).count() == 1


def test_recording_an_imports_status_cites_its_source_in_the_recorders_language(
    host_kozlov, partner_user, partner_organisation, coordinator, monkeypatch
):
    from django.utils import translation

    from casework.status import status_conflict_record
    from tests.support.catalogues import every_marked_string_tagged

    # The import's source is stored as the English message (casework.event_notes): cited
    # as stored, it was English amid the Russian citation.
    every_marked_string_tagged(monkeypatch, "ru", "[ru] ")
    _partner_import(partner_user, partner_organisation)
    conflict = StatusConflict.objects.get(closed_at__isnull=True)
    with translation.override("ru"):
        event = status_conflict_record(conflict=conflict, case=host_kozlov, by=coordinator)

    assert event.source.splitlines()[-1] == "[ru] Import"


def test_the_host_coordinator_dismisses_it_with_a_reason(
    host_kozlov, partner_user, partner_organisation, client_as_coordinator
):
    _partner_import(partner_user, partner_organisation)
    conflict = StatusConflict.objects.get(closed_at__isnull=True)
    url = f"/people/conflicts/{conflict.pk}/dismiss/"

    refused = client_as_coordinator.post(url, {"reason": ""})
    assert refused.status_code == 200 and "This field is required" in refused.text
    response = client_as_coordinator.post(url, {"reason": "Confirmed with his lawyer: still held"})

    assert response.status_code == 302
    conflict.refresh_from_db()
    assert conflict.outcome == StatusConflict.Outcome.DISMISSED
    host_kozlov.refresh_from_db()
    assert host_kozlov.status == Status.IMPRISONED
    page = client_as_coordinator.get(f"/people/{host_kozlov.person_id}/").text
    assert "Confirmed with his lawyer: still held" in page


def test_a_caseworker_sees_the_conflict_but_may_not_resolve_it(
    host_kozlov, partner_user, partner_organisation, client_as_caseworker
):
    _partner_import(partner_user, partner_organisation)
    conflict = StatusConflict.objects.get(closed_at__isnull=True)

    page = client_as_caseworker.get(f"/cases/{host_kozlov.pk}/").text
    assert "Status conflict" in page
    assert f"/people/conflicts/{conflict.pk}/record/" not in page
    response = client_as_caseworker.post(
        f"/people/conflicts/{conflict.pk}/record/", {"case": host_kozlov.pk}
    )
    assert response.status_code == 403
    assert (
        client_as_caseworker.post(
            f"/people/conflicts/{conflict.pk}/dismiss/", {"reason": "no"}
        ).status_code
        == 403
    )
