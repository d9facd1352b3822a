"""Reminder failures (/tasks/failures/): shown to the coordinators concerned, sent again."""

from __future__ import annotations

import datetime as dt

from casework.models import Membership, Reminder
from tests.support.catalogues import translations_given


def test_it_shows_failures_and_sends_them_again(client_as_coordinator, task):
    Reminder.objects.filter(follow_up=task, kind=Reminder.Kind.DUE).update(
        state=Reminder.State.FAILED, attempts=5, last_error="ConnectionRefusedError: SMTP down"
    )
    page = client_as_coordinator.get("/tasks/failures/")
    assert "SMTP down" in page.text
    failed = Reminder.objects.get(follow_up=task, kind=Reminder.Kind.DUE)
    client_as_coordinator.post("/tasks/failures/", {"reminder": [failed.pk]})
    failed.refresh_from_db()
    assert failed.state == Reminder.State.PENDING
    assert failed.attempts == 0


def test_it_shows_a_failed_weekly_digest_to_the_coordinators_of_its_organisation(
    client_as_coordinator, caseworker, partner_user
):
    Reminder.objects.create(
        recipient=caseworker,
        kind=Reminder.Kind.DIGEST,
        sequence=20301021,
        due_at=dt.datetime(2030, 10, 21, 8, tzinfo=dt.UTC),
        state=Reminder.State.FAILED,
        attempts=5,
        last_error="SMTPRecipientsRefused: mailbox full",
    )
    # A partner's digest is the partner's coordinators' business, not the host's.
    Reminder.objects.create(
        recipient=partner_user,
        kind=Reminder.Kind.DIGEST,
        sequence=20301021,
        due_at=dt.datetime(2030, 10, 21, 8, tzinfo=dt.UTC),
        state=Reminder.State.FAILED,
        attempts=5,
        last_error="SMTPRecipientsRefused: partner mailbox",
    )
    page = client_as_coordinator.get("/tasks/failures/")
    assert "mailbox full" in page.text
    assert "Weekly digest" in page.text
    assert "partner mailbox" not in page.text
    assert "1 reminder could not be sent" in client_as_coordinator.get("/tasks/").text
    digest = Reminder.objects.get(recipient=caseworker)
    client_as_coordinator.post("/tasks/failures/", {"reminder": [digest.pk]})
    digest.refresh_from_db()
    assert digest.state == Reminder.State.PENDING


def test_it_names_each_checkbox_in_the_readers_language(
    client_as_coordinator, coordinator, task, monkeypatch
):
    translations_given(
        monkeypatch, "ru", {"Retry reminder %(number)s": "Повторить напоминание %(number)s"}
    )
    Reminder.objects.filter(follow_up=task, kind=Reminder.Kind.DUE).update(
        state=Reminder.State.FAILED, attempts=5, last_error="SMTP down"
    )
    failed = Reminder.objects.get(follow_up=task, kind=Reminder.Kind.DUE)
    Membership.objects.filter(user=coordinator).update(language="ru")
    page = client_as_coordinator.get("/tasks/failures/").text
    assert f'aria-label="Повторить напоминание {failed.pk}"' in page


def test_it_sends_again_only_the_ids_it_can_read(client_as_coordinator, task):
    Reminder.objects.filter(follow_up=task, kind=Reminder.Kind.DUE).update(
        state=Reminder.State.FAILED, attempts=5
    )
    failed = Reminder.objects.get(follow_up=task, kind=Reminder.Kind.DUE)
    response = client_as_coordinator.post("/tasks/failures/", {"reminder": ["²", failed.pk]})
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.state == Reminder.State.PENDING
    assert client_as_coordinator.get("/tasks/new/", {"case": "²"}).status_code == 200
