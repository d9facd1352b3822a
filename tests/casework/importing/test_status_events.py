"""A status the file gives no date for is never dated the import's day: the case keeps it
since an unknown date, and the dashboard does not list it as a recent change."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from advocacy.dashboard import dashboard_recent_status_changes
from casework.models import Case, CaseEvent, ImportRun, Status
from tests.casework.import_files import text_import


def test_a_new_case_with_an_undated_status_is_since_an_unknown_date(
    partner_user, partner_organisation
):
    _run, summary = text_import(
        "ФИО;Статус;Дата задержания\nБекова Динара;освобождена;12.03.2020\n",
        partner_user,
        partner_organisation,
    )

    assert (summary["new"], summary["errors"]) == (1, [])
    case = Case.objects.get()
    assert (case.status, case.status_since) == (Status.RELEASED, None)
    assert not CaseEvent.objects.filter(happened_on=timezone.localdate()).exists()
    today = timezone.localdate()
    assert list(dashboard_recent_status_changes(user=partner_user, today=today)) == []


def test_a_status_the_row_dates_is_dated_so(partner_user, partner_organisation):
    text_import(
        "ФИО;Статус;Дата задержания\nБекова Динара;под стражей;12.03.2020\n",
        partner_user,
        partner_organisation,
    )

    case = Case.objects.get()
    assert case.status_since == datetime.date(2020, 3, 12)
    event = case.events.get(kind=CaseEvent.Kind.STATUS)
    assert (event.status, event.happened_on) == (Status.PRETRIAL_DETENTION, case.status_since)


def test_an_undated_status_change_is_on_the_timeline_saying_the_file_gave_no_date(
    partner_user, partner_organisation
):
    header = "ФИО;Статус;Дата задержания;Дата приговора\n"
    text_import(
        f"{header}Бекова Динара;осуждена;12.03.2020;01.02.2021\n",
        partner_user,
        partner_organisation,
    )

    _run, summary = text_import(
        f"{header}Бекова Динара;освобождена;12.03.2020;01.02.2021\n",
        partner_user,
        partner_organisation,
    )

    assert summary["updated"] == 1
    case = Case.objects.get()
    assert (case.status, case.status_since) == (Status.RELEASED, None)
    event = case.events.filter(kind=CaseEvent.Kind.STATUS).order_by("-pk").first()
    assert (event.status, event.previous_status) == (Status.RELEASED, Status.IMPRISONED)
    # Undated, never the import's day; recorded now, so it follows the dated entries.
    assert event.happened_on is None
    assert event.recorded_at.date() == timezone.localdate()
    assert "gives no date" in event.description
    assert case.history.first().history_user == partner_user


def test_the_preview_says_a_status_has_no_date(client_as_partner):
    data = "ФИО;Статус\nБекова Динара;осуждена\n".encode()
    client_as_partner.post("/imports/new/", {"file": SimpleUploadedFile("s.csv", data)})
    run = ImportRun.objects.get()

    page = client_as_partner.get(f"/imports/{run.pk}/preview/")

    assert (
        "The file gives no date for the status “Imprisoned”: it is recorded as since an "
        "unknown date." in page.text
    )


def test_new_cases_are_written_as_the_timeline_rule_derives_them(
    partner_user, partner_organisation
):
    from casework.status import timelines_recompute

    text_import(
        "ФИО;Статус;Дата задержания;Дата освобождения\n"
        "Бекова Динара;под стражей;12.03.2020;\n"
        "Серикова Айгуль;освобождена;12.03.2020;01.02.2021\n"
        "Жанова Алма;освобождена;;\n"
        "Омарова Сауле;;;\n",
        partner_user,
        partner_organisation,
    )

    cases = list(Case.objects.order_by("pk"))
    events = {event.case_id: event for event in CaseEvent.objects.all()}
    assert [case.status_event_id for case in cases] == [
        events[cases[0].pk].pk,
        events[cases[1].pk].pk,
        events[cases[2].pk].pk,
        None,
    ]
    assert {event.previous_status for event in events.values()} == {Status.UNKNOWN}
    # Nothing left for the rule to rewrite, so each new case has its one history row, and
    # each event's history row records the previous status stored.
    assert timelines_recompute(case_ids=[case.pk for case in cases]) == 0
    assert [case.history.count() for case in cases] == [1, 1, 1, 1]
    assert {event.history.get().previous_status for event in events.values()} == {Status.UNKNOWN}


def test_a_new_case_and_a_changed_one_in_one_file_each_get_their_own_status_event(
    partner_user, partner_organisation
):
    header = "ФИО;Статус;Дата задержания\n"
    text_import(f"{header}Бекова Динара;осуждена;12.03.2020\n", partner_user, partner_organisation)

    _run, summary = text_import(
        f"{header}Бекова Динара;в СИЗО;12.03.2020\nСерикова Айгуль;в СИЗО;01.02.2021\n",
        partner_user,
        partner_organisation,
    )

    assert (summary["new"], summary["updated"], summary["errors"]) == (1, 1, [])
    statuses = {
        case.person.native_name: (case.status, case.status_event.status)
        for case in Case.objects.select_related("person", "status_event")
    }
    assert statuses == {
        "Бекова Динара": (Status.PRETRIAL_DETENTION, Status.PRETRIAL_DETENTION),
        "Серикова Айгуль": (Status.PRETRIAL_DETENTION, Status.PRETRIAL_DETENTION),
    }
    assert CaseEvent.objects.count() == 3


def test_the_timeline_entry_of_an_import_is_written_in_no_readers_language(
    partner_user, partner_organisation, monkeypatch
):
    from django.utils import translation

    from casework.models import Membership
    from tests.support.catalogues import every_marked_string_tagged

    # It was written in the uploader's language, which the case's other readers read too
    # (casework.event_notes shows it in each reader's).
    every_marked_string_tagged(monkeypatch, "ru", "[ru] ")
    Membership.objects.filter(user=partner_user).update(language="ru")
    with translation.override("ru"):
        text_import(
            "ФИО;Статус;Дата задержания\nБекова Динара;под стражей;12.03.2020\n",
            partner_user,
            partner_organisation,
        )
    event = Case.objects.get().events.get(kind=CaseEvent.Kind.STATUS)
    assert (event.source, event.description) == (
        "Import",
        "Status recorded by a spreadsheet import.",
    )
    with translation.override("ru"):
        assert (event.source_shown, event.description_shown) == (
            "[ru] Import",
            "[ru] Status recorded by a spreadsheet import.",
        )


def test_it_dates_a_status_by_the_date_its_own_cell_writes(partner_user, partner_organisation):
    # "освобождена 15.05.2023" in the status column: released on that day, not "since an
    # unknown date" with the date left in the note; a future one is not a start.
    _run, summary = text_import(
        "ФИО;Статус\nКим Ольга;освобождена 15.05.2023\nИванов Иван;в СИЗО до 01.01.2099\n",
        partner_user,
        partner_organisation,
    )

    assert summary["errors"] == []
    cases = {case.person.native_name: case for case in Case.objects.select_related("person")}
    assert cases["Ким Ольга"].status_since == datetime.date(2023, 5, 15)
    assert cases["Иванов Иван"].status_since is None
