"""The import pages: upload -> columns -> preview -> confirm -> result, history, reports."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.importing.run_files import StoredFile
from casework.importing.runs import import_file_run
from casework.models import Case, ColumnMapping, Confidentiality, ImportRun, Membership, Person
from common.storage import uploads_storage
from config.celery import app as celery_app
from tests.casework.import_files import FILES
from tests.factories import CaseFactory, PersonFactory


def _upload(client, name: str, data: bytes | None = None):
    data = data if data is not None else (FILES / name).read_bytes()
    return client.post("/imports/new/", {"file": SimpleUploadedFile(name, data)})


def test_a_partner_uploads_previews_confirms_and_sees_the_result(client_as_partner, partner_user):
    response = _upload(client_as_partner, "partner_ru_cp1251.csv")
    run = ImportRun.objects.get()
    assert response.url == f"/imports/{run.pk}/mapping/"
    assert run.header_row == 2 and run.rows_total == 5  # the title row above is skipped

    mapping = client_as_partner.get(f"/imports/{run.pk}/mapping/")
    assert "Дата задержания" in mapping.text
    assert 'value="detained_on" selected' in mapping.text

    post = {f"column_{index}": key for index, key in run.mapping.items()}
    response = client_as_partner.post(f"/imports/{run.pk}/mapping/", post)
    assert response.url == f"/imports/{run.pk}/preview/"

    preview = client_as_partner.get(f"/imports/{run.pk}/preview/")
    assert preview.status_code == 200
    assert "Mariya Ivanova" in preview.text and "Repeats row 5." in preview.text
    assert Person.objects.count() == 0  # a preview writes nothing

    stored = StoredFile(run.stored_path)
    assert stored.exists()
    response = client_as_partner.post(f"/imports/{run.pk}/confirm/", {"confirm": "1"})
    assert response.url == f"/imports/{run.pk}/"
    assert not stored.exists()  # once imported, only the SHA-256 of the file is kept
    detail = client_as_partner.get(response.url)
    assert "Imported" in detail.text and run.file_name in detail.text
    assert (
        Case.objects.filter(owning_organisation=partner_user.membership.organisation).count() == 4
    )

    history = client_as_partner.get("/imports/")
    assert run.file_sha256[:12] in history.text and "partner_ru_cp1251.csv" in history.text


def test_confirming_twice_imports_once(client_as_partner):
    _upload(client_as_partner, "partner_utf16.txt")
    run = ImportRun.objects.get()
    client_as_partner.get(f"/imports/{run.pk}/preview/")
    client_as_partner.post(f"/imports/{run.pk}/confirm/", {"confirm": "1"})
    client_as_partner.post(f"/imports/{run.pk}/confirm/", {"confirm": "1"})
    assert Person.objects.count() == 1


def test_the_mapping_is_remembered_for_the_organisations_next_file(
    client_as_partner, partner_organisation
):
    data = "Кто;Статус\r\nИванов Иван;в СИЗО\r\n".encode()
    _upload(client_as_partner, "a.csv", data)
    run = ImportRun.objects.get()
    assert run.mapping == {"1": "status"}  # "Кто" is not a known header
    client_as_partner.post(
        f"/imports/{run.pk}/mapping/", {"column_0": "full_name", "column_1": "status"}
    )
    assert (
        ColumnMapping.objects.get(organisation=partner_organisation, header="кто").field
        == "full_name"
    )

    _upload(client_as_partner, "b.csv", data)

    assert ImportRun.objects.first().mapping == {"0": "full_name", "1": "status"}


def test_a_refused_file_says_why_and_stays_in_the_history(client_as_partner):
    response = _upload(client_as_partner, "evil.xlsx", b"MZ\x90\x00" + b"\x00" * 64)
    run = ImportRun.objects.get()
    assert run.state == ImportRun.State.FAILED
    page = client_as_partner.get(response.url)
    assert "a Windows program, not a spreadsheet" in page.text


def test_the_error_report_downloads_as_csv_and_xlsx_with_formulas_escaped(client_as_partner):
    from openpyxl import load_workbook

    _upload(client_as_partner, "partner_en_utf8_bom_errors.csv")
    run = ImportRun.objects.get()
    preview = client_as_partner.get(f"/imports/{run.pk}/preview/")
    assert "“31.02.2022” is not a valid date." in preview.text
    # A report must never hand a spreadsheet a formula, whatever the file contained.
    ImportRun.objects.filter(pk=run.pk).update(
        errors=[
            *ImportRun.objects.get().errors,
            {"row": 9, "column": "=cmd", "message": "@SUM(A1)"},
        ]
    )

    response = client_as_partner.get(f"/imports/{run.pk}/errors.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["Row", "Column", "Message"]
    assert rows[1] == ["3", "D (Detained on)", "“31.02.2022” is not a valid date."]
    assert rows[-1] == ["9", "'=cmd", "'@SUM(A1)"]

    response = client_as_partner.get(f"/imports/{run.pk}/errors.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[4]] == [9, "'=cmd", "'@SUM(A1)"]


def test_the_error_report_never_carries_a_control_character(client_as_partner):
    from openpyxl import load_workbook

    _upload(client_as_partner, "partner_en_utf8_bom_errors.csv")
    run = ImportRun.objects.get()
    ImportRun.objects.filter(pk=run.pk).update(
        errors=[{"row": 2, "column": "B (\x1bФИО)", "message": "“a\x1fb\x07c” is not known"}]
    )

    response = client_as_partner.get(f"/imports/{run.pk}/errors.xlsx")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[2]] == [2, "B (ФИО)", "“abc” is not known"]


def test_another_organisations_import_is_not_found(client, other_partner_user, client_as_partner):
    _upload(client_as_partner, "partner_utf16.txt")
    run = ImportRun.objects.get()
    client.force_login(other_partner_user)
    for path in ("", "mapping/", "preview/", "progress.json", "errors.csv", "errors.xlsx"):
        assert client.get(f"/imports/{run.pk}/{path}").status_code == 404
    assert client.post(f"/imports/{run.pk}/confirm/").status_code == 404
    assert "partner_utf16.txt" not in client.get("/imports/").text


def test_the_template_downloads(client_as_partner):
    response = client_as_partner.get("/imports/template.xlsx")
    assert response.status_code == 200
    assert response.content.startswith(b"PK")


@pytest.fixture
def eager_tasks():
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager


def test_a_large_preview_is_checked_once_in_a_task_and_the_page_then_only_reads_it(
    client_as_partner, settings, django_capture_on_commit_callbacks, eager_tasks
):
    settings.IMPORT_ASYNC_ROWS = 2  # this five-row file counts as large here
    _upload(client_as_partner, "partner_ru_cp1251.csv")
    run = ImportRun.objects.get()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page = client_as_partner.get(f"/imports/{run.pk}/preview/")
        again = client_as_partner.get(f"/imports/{run.pk}/preview/")
    assert 'id="import-progress"' in page.text and "Checking" in page.text
    assert "Confirm and import" not in page.text
    assert len(callbacks) == 1  # coming back while it is checked asks for nothing more
    assert 'id="import-progress"' in again.text
    checking = client_as_partner.get(f"/imports/{run.pk}/progress.json").json()
    assert checking["state"] == "planning" and checking["finished"] is False

    callbacks[0]()  # the commit happens: the task checks the file (eagerly here)

    assert client_as_partner.get(f"/imports/{run.pk}/progress.json").json()["finished"] is True
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        page = client_as_partner.get(f"/imports/{run.pk}/preview/")
        page_again = client_as_partner.get(f"/imports/{run.pk}/preview/")
    assert callbacks == []  # the kept plan is read, not made again
    for shown in (page, page_again):
        assert "Mariya Ivanova" in shown.text and "Repeats row 5." in shown.text
        assert "Confirm and import" in shown.text
    run.refresh_from_db()
    assert run.state == ImportRun.State.READY and run.count_new == 4


def test_a_large_import_runs_in_a_task_and_reports_progress(
    client_as_partner, settings, django_capture_on_commit_callbacks, eager_tasks
):
    settings.IMPORT_ASYNC_ROWS = 2
    _upload(client_as_partner, "partner_ru_cp1251.csv")
    run = ImportRun.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client_as_partner.get(f"/imports/{run.pk}/preview/")
    stored = StoredFile(run.stored_path)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client_as_partner.post(f"/imports/{run.pk}/confirm/", {"confirm": "1"})
    queued = client_as_partner.get(f"/imports/{run.pk}/progress.json").json()
    assert queued["state"] == "queued" and queued["finished"] is False
    page = client_as_partner.get(f"/imports/{run.pk}/")
    assert 'id="import-progress"' in page.text and "data-progress-url" in page.text
    assert len(callbacks) == 1
    callbacks[0]()  # the commit happens: the task runs (eagerly here)

    progress = client_as_partner.get(f"/imports/{run.pk}/progress.json").json()
    assert progress["state"] == "done" and progress["finished"] is True
    assert progress["rows_done"] == progress["rows_total"] == 5
    assert progress["counts"]["new"] == 4
    assert Case.objects.count() == 4
    assert not stored.exists()
    storage = uploads_storage()
    assert [
        name for name in storage.listdir("imports")[1] if name.startswith(f"run-{run.pk}.")
    ] == []  # no plan or progress left


@pytest.mark.parametrize("path", ["/imports/", "/imports/new/", "/imports/template.xlsx"])
def test_the_import_pages_need_a_sign_in(client, path):
    assert client.get(path).status_code == 302


def test_a_coordinator_imports_on_a_partners_behalf(client_as_coordinator, partner_organisation):
    page = client_as_coordinator.get("/imports/new/")
    assert "Import into" in page.text and partner_organisation.name in page.text
    data = "ФИО;Статус\r\nИванов Иван;в СИЗО\r\n".encode()

    client_as_coordinator.post(
        "/imports/new/",
        {"file": SimpleUploadedFile("a.csv", data), "organisation": partner_organisation.pk},
    )

    run = ImportRun.objects.get()
    assert run.organisation == partner_organisation
    client_as_coordinator.get(f"/imports/{run.pk}/preview/")
    client_as_coordinator.post(f"/imports/{run.pk}/confirm/", {"confirm": "1"})
    assert Case.objects.get().owning_organisation == partner_organisation


def test_the_progress_of_a_running_import_gives_the_time_left(
    client_as_partner, partner_user, time_machine
):
    import datetime

    from django.utils import timezone

    # Time stands still, so a slow machine cannot move the estimate out of its range.
    time_machine.move_to(timezone.now(), tick=False)
    run = ImportRun.objects.create(
        organisation=partner_user.membership.organisation,
        user=partner_user,
        file_name="big.xlsx",
        file_sha256="0" * 64,
        state=ImportRun.State.RUNNING,
        rows_total=10_000,
        rows_done=2_500,
        started_at=timezone.now() - datetime.timedelta(seconds=30),
    )

    progress = client_as_partner.get(f"/imports/{run.pk}/progress.json").json()

    assert progress["rows_done"] == 2_500 and progress["rows_total"] == 10_000
    assert 85 <= progress["seconds_left"] <= 95  # 30 s for a quarter: about 90 s to go
    assert progress["finished"] is False


def test_the_history_shows_a_run_made_from_the_command_line_without_a_user(
    client_as_partner, partner_user
):
    _upload(client_as_partner, "partner_ru_cp1251.csv")
    run = ImportRun.objects.get()
    ImportRun.objects.filter(pk=run.pk).update(user=None)
    listing = client_as_partner.get("/imports/")
    assert listing.status_code == 200
    assert "partner_ru_cp1251.csv" in listing.text
    detail = client_as_partner.get(f"/imports/{run.pk}/")
    assert detail.status_code == 200
    assert "Imported by</dt><dd>—</dd>" in detail.text


def _import(data: str, *, user) -> ImportRun:
    run, _summary = import_file_run(
        data=data.encode(),
        file_name="cases.csv",
        organisation=user.membership.organisation,
        user=user,
    )
    return run


def test_the_result_links_to_the_cases_the_import_created_and_updated(
    client_as_partner, partner_user
):
    first = _import("ФИО;Статус\nИванов Иван;в СИЗО\nПетров Пётр;в СИЗО\n", user=partner_user)
    ivanov = Case.objects.get(pk__in=first.created_case_ids, person__native_name="Иванов Иван")

    second = _import("ФИО;Статус\nИванов Иван;осужден\nСидоров Сидор;в СИЗО\n", user=partner_user)

    second.refresh_from_db()
    created = Case.objects.exclude(pk__in=first.created_case_ids).get()
    assert second.created_case_ids == [created.pk] and second.updated_case_ids == [ivanov.pk]
    page = client_as_partner.get(f"/imports/{second.pk}/")
    assert page.context["cases_written"]["created"]["cases"] == [created]
    assert page.context["cases_written"]["updated"]["cases"] == [ivanov]
    assert f'<a href="/cases/{created.pk}/">{created.reference}</a>' in page.text
    assert f'<a href="/cases/{ivanov.pk}/">{ivanov.reference}</a>' in page.text
    assert ivanov.person.full_name in page.text and created.person.full_name in page.text
    assert "Cases created" in page.text and "Cases updated" in page.text


def test_the_result_lists_only_the_cases_the_viewer_may_see(client_as_coordinator, partner_user):
    run = _import("ФИО;Статус\nИванов Иван;в СИЗО\nПетров Пётр;в СИЗО\n", user=partner_user)
    hidden, shown = Case.objects.filter(pk__in=run.created_case_ids).order_by("pk")
    # Restricted to its team, which a coordinator of the host organisation is not on.
    Case.objects.filter(pk=hidden.pk).update(confidentiality="restricted")

    page = client_as_coordinator.get(f"/imports/{run.pk}/")

    assert page.context["cases_written"]["created"] == {"cases": [shown], "more": 1}
    assert shown.reference in page.text and hidden.reference not in page.text
    assert "And 1 more not listed here" in page.text


def test_the_result_keeps_the_first_cases_and_counts_the_rest_in_bounded_queries(
    client_as_partner, partner_user, monkeypatch
):
    monkeypatch.setattr(ImportRun, "CASES_KEPT", 3)
    names = ["Иванов Иван", "Петров Пётр", "Сидоров Сидор", "Жумагулов Алмат", "Ким Ольга"]
    small = _import("ФИО;Статус\nАхметов Ерлан;в СИЗО\n", user=partner_user)
    large = _import("ФИО;Статус\n" + "".join(f"{n};в СИЗО\n" for n in names), user=partner_user)
    client_as_partner.get(f"/imports/{small.pk}/")  # the session is saved once, on the first

    with CaptureQueriesContext(connection) as one_case:
        client_as_partner.get(f"/imports/{small.pk}/")
    with CaptureQueriesContext(connection) as three_cases:
        page = client_as_partner.get(f"/imports/{large.pk}/")

    assert len(large.created_case_ids) == 3
    assert len(page.context["cases_written"]["created"]["cases"]) == 3
    assert "And 2 more not listed here" in page.text
    assert len(three_cases.captured_queries) == len(one_case.captured_queries)


@pytest.mark.parametrize("number", [5, 500])
def test_it_lists_import_runs_in_a_bounded_number_of_queries(
    client_as_caseworker, caseworker, host, number, django_assert_max_num_queries
):
    ImportRun.objects.bulk_create(
        [
            ImportRun(
                organisation=host,
                user=caseworker,
                file_name=f"partner-{index}.xlsx",
                file_sha256=f"{index:064d}",
                state=ImportRun.State.DONE,
            )
            for index in range(number)
        ]
    )
    client_as_caseworker.get("/imports/")  # the session row exists from now on
    with django_assert_max_num_queries(12):
        response = client_as_caseworker.get("/imports/")
    assert response.status_code == 200
    # Each run's file name is written once, with the whole name in the cell's title.
    assert response.text.count('title="partner-') == min(number, 200)


def test_the_remembered_status_words_are_listed_and_changed_on_their_page(
    client_as_partner, partner_organisation, other_partner_organisation
):
    from casework.models import Status, StatusWord

    mine = StatusWord.objects.create(
        organisation=partner_organisation,
        word="под наблюдением",
        written="Под наблюдением",
        status=Status.INVESTIGATION,
    )
    theirs = StatusWord.objects.create(
        organisation=other_partner_organisation,
        word="их слово",
        written="Их слово",
        status=Status.UNKNOWN,
    )

    page = client_as_partner.get("/imports/status-words/")
    assert "«Под наблюдением»" in page.text and "Их слово" not in page.text

    client_as_partner.post(
        f"/imports/status-words/{mine.pk}/", {"status": Status.RESTRICTED_FREEDOM}
    )
    mine.refresh_from_db()
    assert mine.status == Status.RESTRICTED_FREEDOM

    assert (
        client_as_partner.post(f"/imports/status-words/{theirs.pk}/", {"forget": "1"}).status_code
        == 404
    )
    client_as_partner.post(f"/imports/status-words/{mine.pk}/", {"forget": "1"})
    assert list(StatusWord.objects.all()) == [theirs]


def test_the_rows_to_fix_of_another_organisation_s_import_are_not_found(
    client_as_partner, other_partner_user
):
    run, _summary = import_file_run(
        data="ФИО;Статус\nИванов Иван;улетел\n".encode(),
        file_name="x.csv",
        organisation=other_partner_user.membership.organisation,
        user=other_partner_user,
    )

    assert client_as_partner.get(f"/imports/{run.pk}/rows-to-fix.xlsx").status_code == 404


def test_the_preview_s_same_person_choice_attaches_the_case_to_that_person(
    client_as_partner, partner_organisation, host
):
    person = PersonFactory(full_name="Dauren Seitkali", birth_year=1980, owning_organisation=host)
    CaseFactory(person=person, owning_organisation=host, confidentiality=Confidentiality.PUBLIC)
    sheet = "ФИО;Год рождения;Статус\nСейткали Даурен;1981;под стражей\n"
    _upload(client_as_partner, "partner.csv", sheet.encode())
    run = ImportRun.objects.get()
    assert "Dauren Seitkali" in client_as_partner.get(f"/imports/{run.pk}/preview/").text

    client_as_partner.post(
        f"/imports/{run.pk}/confirm/", {"decision_2": "same", "candidate_2": str(person.pk)}
    )

    assert ImportRun.objects.get().state == ImportRun.State.DONE
    assert Case.objects.get(owning_organisation=partner_organisation).person == person


def test_the_error_report_names_its_sheet_in_the_uploaders_language(
    client_as_partner, partner_user
):
    from openpyxl import load_workbook

    from casework.models import Membership

    Membership.objects.filter(user=partner_user).update(language="ru")
    _upload(client_as_partner, "partner_en_utf8_bom_errors.csv")
    run = ImportRun.objects.get()
    response = client_as_partner.get(f"/imports/{run.pk}/errors.xlsx")
    assert load_workbook(io.BytesIO(response.content)).active.title == "Ошибки"


def test_the_sheet_of_rows_to_fix_is_named_in_the_uploaders_language(monkeypatch):
    from django.utils import translation
    from openpyxl import load_workbook

    from casework.importing.skipped import skipped_rows_xlsx
    from tests.support.catalogues import every_marked_string_tagged

    every_marked_string_tagged(monkeypatch, "ru", "(ru) ")  # a sheet title takes no "["
    with translation.override("ru"):
        data = skipped_rows_xlsx(
            headers=["ФИО"], rows=[(2, ["Ж."])], errors=[{"row": 2, "message": "x"}]
        )
    assert load_workbook(io.BytesIO(data)).active.title == "(ru) Rows to fix"


def test_the_progress_of_a_large_check_is_worded_in_the_uploaders_language(
    client_as_partner, partner_user, settings, django_capture_on_commit_callbacks, monkeypatch
):
    from casework.models import Membership
    from tests.support.catalogues import every_marked_string_tagged

    # imports.js wrote "Checking 0 of 5 rows. You can leave this page…" in English over
    # the page's own Russian or Kazakh sentence, and the state said "Checking the rows".
    every_marked_string_tagged(monkeypatch, "ru", "[ru] ")
    Membership.objects.filter(user=partner_user).update(language="ru")
    settings.IMPORT_ASYNC_ROWS = 2  # this five-row file counts as large here
    _upload(client_as_partner, "partner_ru_cp1251.csv")
    run = ImportRun.objects.get()
    with django_capture_on_commit_callbacks(execute=False):
        client_as_partner.get(f"/imports/{run.pk}/preview/")
    progress = client_as_partner.get(f"/imports/{run.pk}/progress.json").json()
    assert progress["state_label"] == "[ru] Checking the rows"
    assert progress["text"] == (
        "[ru] Checking 0 of 5 rows. [ru] You can leave this page and come back."
    )


def test_the_error_report_heads_its_columns_in_the_uploaders_language(
    client_as_partner, partner_user, monkeypatch
):
    from tests.support.catalogues import every_marked_string_tagged

    every_marked_string_tagged(monkeypatch, "ru", "[ru] ")
    Membership.objects.filter(user=partner_user).update(language="ru")
    _upload(client_as_partner, "partner_en_utf8_bom_errors.csv")
    run = ImportRun.objects.get()
    response = client_as_partner.get(f"/imports/{run.pk}/errors.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0] == "[ru] Row,[ru] Column,[ru] Message"


def test_the_columns_and_preview_pages_quote_the_file_in_the_readers_quotation_marks(
    client_as_partner, partner_user
):
    # The ignored columns and the cells each row was read from were quoted “…” on the
    # Russian and Kazakh pages, where every other message quotes «…».
    Membership.objects.filter(user=partner_user).update(language="ru")
    _upload(client_as_partner, "import.csv", "№;ФИО;Статус\n1;Иванов Иван;осуждён\n".encode())
    run = ImportRun.objects.get()

    mapping = client_as_partner.get(f"/imports/{run.pk}/mapping/")
    post = {f"column_{index}": key for index, key in run.mapping.items()}
    client_as_partner.post(f"/imports/{run.pk}/mapping/", post)
    preview = client_as_partner.get(f"/imports/{run.pk}/preview/")

    assert "«№»" in mapping.text and "“№”" not in mapping.text
    assert "← «Иванов Иван»" in preview.text and "“Иванов Иван”" not in preview.text


@pytest.mark.parametrize(("rows", "word"), [(1, "новое"), (2, "новых")])
def test_the_count_of_new_cases_agrees_with_its_number(
    client_as_partner, partner_user, monkeypatch, rows, word
):
    # "1 новых": the word after the count was one translation for every number.
    from django.utils.translation import trans_real

    catalogue = trans_real.translation("ru")._catalog._catalogs[0]
    context = "how many new cases an import makes, after the number\x04new"
    for index, text in enumerate(["новое", "новых", "новых"]):
        monkeypatch.setitem(catalogue, (context, index), text)
    Membership.objects.filter(user=partner_user).update(language="ru")
    lines = "".join(f"Иванов Иван{'а' * row};осуждён\n" for row in range(rows))
    run = _import("ФИО;Статус\n" + lines, user=partner_user)

    detail = client_as_partner.get(f"/imports/{run.pk}/")

    assert f"<strong>{rows}</strong> {word}<span" in detail.text


def test_the_sheet_of_rows_to_fix_gives_each_error_of_a_row_a_line_of_its_own():
    from openpyxl import load_workbook

    from casework.importing.skipped import skipped_rows_xlsx

    data = skipped_rows_xlsx(
        headers=["ФИО", "Дата рождения", "Дата задержания"],
        rows=[(2, ["Иванов Иван", "31.02.1990", "13.13.2021"])],
        errors=[
            {"row": 2, "column": "B (Дата рождения)", "message": "Not a valid date."},
            {"row": 2, "column": "C (Дата задержания)", "message": "Not a valid date."},
        ],
    )

    error = list(load_workbook(io.BytesIO(data)).active.iter_rows())[1][-1]
    assert error.value == (
        "B (Дата рождения): Not a valid date.\nC (Дата задержания): Not a valid date."
    )
    assert error.alignment.wrap_text  # so Excel shows the lines


def test_a_file_refused_before_any_row_was_read_shows_no_counts_of_zero(client_as_partner):
    # A PDF's page listed "0 new … 0 updated … 1 error" beside the reason it was refused.
    _upload(client_as_partner, "scan.xlsx", b"%PDF-1.7\n1 0 obj<<>>endobj\n")
    run = ImportRun.objects.get()

    page = client_as_partner.get(f"/imports/{run.pk}/")

    assert "a PDF document, not a spreadsheet" in page.text
    assert 'aria-label="Counts"' not in page.text
