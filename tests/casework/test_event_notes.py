"""The notes the app writes on timeline entries (casework.event_notes): stored as the English
message, shown in the reader's language; what a person wrote is shown as written."""

from __future__ import annotations

import datetime
import importlib

from django.apps import apps
from django.utils import translation

from casework.event_notes import IMPORT_RECORDED, IMPORT_SOURCE
from casework.models import CaseEvent, Membership, Status
from casework.timeline_forms import EventCorrectionForm
from tests.factories import CaseEventFactory, CaseFactory
from tests.support.catalogues import every_marked_string_tagged


def _import_event(case, **fields):
    return CaseEventFactory(
        case=case,
        kind=CaseEvent.Kind.STATUS,
        status=Status.IMPRISONED,
        **{"source": IMPORT_SOURCE, "description": IMPORT_RECORDED, **fields},
    )


def test_an_imports_timeline_note_is_shown_in_the_readers_language(
    client_as_caseworker, caseworker, host, monkeypatch
):
    # A partner reading Kazakh imported it; a Russian reader read the Kazakh note.
    every_marked_string_tagged(monkeypatch, "ru", "[ru] ")
    case = CaseFactory(owning_organisation=host)
    _import_event(case)
    CaseEventFactory(case=case, description="Адвокат: слушание перенесено.")
    Membership.objects.filter(user=caseworker).update(language="ru")

    page = client_as_caseworker.get(f"/cases/{case.pk}/").text

    assert "[ru] Status recorded by a spreadsheet import." in page
    assert "[ru] Import" in page
    assert "Адвокат: слушание перенесено." in page  # a person's words, as written


def test_correcting_an_imports_entry_keeps_its_note_in_no_readers_language(
    caseworker, host, monkeypatch
):
    # The form showed the note in the reader's language; saving it stored those words.
    every_marked_string_tagged(monkeypatch, "ru", "[ru] ")
    event = _import_event(CaseFactory(owning_organisation=host))
    with translation.override("ru"):
        form = EventCorrectionForm(event=event, show_sensitive=True)
        data = {name: form[name].value() for name in ("status", "source", "description")}
        assert data["description"] == "[ru] Status recorded by a spreadsheet import."
        form = EventCorrectionForm(
            {**data, "happened_on": "2024-01-05"}, event=event, show_sensitive=True
        )
        assert form.is_valid(), form.errors
        changes = form.changes()

    assert changes["happened_on"] == datetime.date(2024, 1, 5)
    assert "description" not in changes and "source" not in changes


def test_it_turns_the_notes_imports_stored_in_russian_and_kazakh_into_the_message(host):
    migration = importlib.import_module("casework.migrations.0032_import_notes_language_neutral")
    case = CaseFactory(owning_organisation=host)
    kazakh = _import_event(
        case, source="Импорт", description="Мәртебе кестені импорттау арқылы енгізілді."
    )
    russian = _import_event(
        case, source="Импорт", description="Статус изменён импортом таблицы. В файле нет его даты."
    )
    typed = _import_event(case, source="Импорт", description="Статус внесён импортом таблицы, см.")

    migration.notes_neutral(apps, None)

    for event in (kazakh, russian, typed):
        event.refresh_from_db()
    assert (kazakh.source, kazakh.description) == ("Import", IMPORT_RECORDED)
    assert russian.description == (
        "Status changed by a spreadsheet import. The file gives no date for it."
    )
    assert (typed.source, typed.description) == ("Импорт", "Статус внесён импортом таблицы, см.")
