"""The life of an import run: an unexpected write error ends it cleanly, the progress bar
counts the writing too, and uploads nobody confirms do not stay on disk."""

from __future__ import annotations

import datetime
import io
import os
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.db import IntegrityError
from django.utils import timezone, translation
from openpyxl import load_workbook

from casework.importing import writing, writing_cases
from casework.importing.cells import ImportFileError
from casework.importing.runs import (
    import_file_run,
    import_run_columns,
    import_run_confirm,
    import_run_create,
    import_run_execute,
    import_run_preview,
    import_run_progress,
    import_run_report,
    import_run_set_columns,
    import_run_warnings,
    import_uploads_purge,
)
from casework.models import Case, CaseEvent, ImportRun, Person
from casework.tasks import import_uploads_purge_task
from common.storage import storage_read, storage_write, uploads_storage
from tests.casework.import_files import partner_file_import

CSV = "ФИО;Статус;Статья\nИванов Иван;в СИЗО;ст.405\nПетров Пётр;осужден;ст. 174 ч.1\n".encode()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _uploads(settings) -> list[str]:
    """The names of the files under imports/ of the uploads storage (folder or bucket)."""
    try:
        return sorted(f"imports/{name}" for name in uploads_storage().listdir("imports")[1])
    except FileNotFoundError:
        return []


def _raw(name: str) -> bytes:
    """The bytes as stored (encrypted)."""
    return storage_read(uploads_storage(), name)


@pytest.fixture
def refusing_database(monkeypatch):
    """The database refuses the write, as it would on a constraint nobody foresaw."""

    def refuse(**_kwargs):
        raise IntegrityError('duplicate key value violates unique constraint "x"')

    monkeypatch.setattr(writing, "cases_insert", refuse)


def test_an_unexpected_write_error_fails_the_run_cleanly(
    partner_user, partner_organisation, settings, refusing_database
):
    run, summary = import_file_run(
        data=CSV, file_name="a.csv", organisation=partner_organisation, user=partner_user
    )

    assert run.state == ImportRun.State.FAILED
    assert (
        "unexpected error (IntegrityError); nothing was written" in summary["errors"][0]["message"]
    )
    assert Person.objects.count() == 0 and Person.history.count() == 0
    assert _uploads(settings) == []
    assert ImportRun.objects.get().state == ImportRun.State.FAILED


def test_it_writes_nothing_when_the_database_refuses_rows_after_others_went_in(
    partner_user, partner_organisation, monkeypatch
):
    # The people go in first; then the database itself refuses the cases (on PostgreSQL
    # in the thread that sends the rows): the people must go too.
    completed = writing_cases.row_complete

    def case_with_an_unknown_status(*, model, row, now):
        complete = completed(model=model, row=row, now=now)
        return {**complete, "status": "no-such-status"} if model is Case else complete

    monkeypatch.setattr(writing_cases, "row_complete", case_with_an_unknown_status)

    run, summary = import_file_run(
        data=CSV, file_name="a.csv", organisation=partner_organisation, user=partner_user
    )

    assert run.state == ImportRun.State.FAILED
    assert "IntegrityError" in summary["errors"][0]["message"]
    assert Person.objects.count() == 0 and Person.history.count() == 0
    assert Case.objects.count() == 0 and CaseEvent.objects.count() == 0


def test_a_confirmed_run_that_cannot_be_written_ends_failed_not_running(
    client_as_partner, partner_user, settings, refusing_database
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client_as_partner.post("/imports/new/", {"file": SimpleUploadedFile("a.csv", CSV)})
    run = ImportRun.objects.get()
    client_as_partner.get(f"/imports/{run.pk}/preview/")

    response = client_as_partner.post(f"/imports/{run.pk}/confirm/", {"confirm": "1"})

    assert response.status_code == 302
    run.refresh_from_db()
    assert run.state == ImportRun.State.FAILED and run.finished_at is not None
    assert "nothing was written" in run.errors[0]["message"]
    assert run.stored_path == "" and _uploads(settings) == []
    page = client_as_partner.get(f"/imports/{run.pk}/")
    assert page.status_code == 200 and "unexpected error" in page.text
    assert Case.objects.count() == 0 and CaseEvent.objects.count() == 0


def test_the_writing_reports_its_progress_round_by_round(
    partner_user, partner_organisation, monkeypatch
):
    monkeypatch.setattr(writing, "WRITE_CHUNK", 2)
    lines = "".join(f"Человек{chr(1072 + number)} Иван;в СИЗО\n" for number in range(5))
    run = import_run_create(
        data=f"ФИО;Статус\n{lines}".encode(),
        file_name="a.csv",
        organisation=partner_organisation,
        user=partner_user,
    )
    plan = import_run_preview(run=run, user=partner_user)
    written = []

    writing.import_plan_write(
        plan=plan, user=partner_user, reference_prefix="T", on_progress=written.append
    )

    assert written == [2, 4, 5]
    assert Case.objects.count() == 5


def test_the_progress_bar_is_not_full_until_the_rows_are_written(
    partner_user, partner_organisation, time_machine
):
    run = import_run_create(
        data=CSV, file_name="a.csv", organisation=partner_organisation, user=partner_user
    )
    import_run_preview(run=run, user=partner_user)
    run = import_run_confirm(run=run, user=partner_user, decisions={})
    assert run.state == ImportRun.State.DONE
    done = import_run_progress(run=run)
    assert done["rows_done"] == done["rows_total"] == 2 and done["finished"]

    # A run half-way: every row checked, none written yet.
    from casework.importing.run_progress import progress_write as _progress_write

    # Time stands still, so a slow machine cannot move the estimate out of its range.
    time_machine.move_to(timezone.now(), tick=False)
    checking = ImportRun.objects.create(
        organisation=partner_organisation,
        user=partner_user,
        file_name="big.xlsx",
        file_sha256="0" * 64,
        stored_path="imports/big.upload",
        state=ImportRun.State.RUNNING,
        rows_total=10_000,
        started_at=timezone.now() - datetime.timedelta(seconds=40),
    )
    _progress_write(checking, phase="checking", done=10_000, total=10_000)
    progress = import_run_progress(run=checking)
    assert progress["phase"] == "checking" and progress["rows_done"] == 4_000
    assert 50 <= progress["seconds_left"] <= 70  # 40 s for 40 %: about 60 s to go

    _progress_write(checking, phase="writing", done=5_000, total=10_000)
    progress = import_run_progress(run=checking)
    assert progress["phase"] == "writing" and progress["rows_done"] == 7_000
    assert (progress["phase_done"], progress["phase_total"]) == (5_000, 10_000)
    assert progress["finished"] is False


def _stored_aged(name: str, hours: float) -> bool:
    """A file stored `hours` ago in the local folder; an object store's LastModified cannot
    be backdated, so there it is stored now. Whether it could be aged."""
    storage_write(uploads_storage(), name, b"names")
    if not isinstance(uploads_storage(), FileSystemStorage):
        return False
    moment = (timezone.now() - datetime.timedelta(hours=hours)).timestamp()
    os.utime(uploads_storage().path(name), (moment, moment))
    return True


def test_it_deletes_the_files_of_uploads_nobody_confirmed_within_an_hour(
    partner_user, partner_organisation, settings
):
    def upload() -> ImportRun:
        return import_run_create(
            data=CSV, file_name="a.csv", organisation=partner_organisation, user=partner_user
        )

    abandoned, recent = upload(), upload()
    ImportRun.objects.filter(pk=abandoned.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=61)
    )
    orphan = "imports/0123.upload"
    aged = _stored_aged(orphan, 2)
    fresh_orphan = "imports/4567.upload"
    storage_write(uploads_storage(), fresh_orphan, b"names")

    samples = f"imports/{Path(abandoned.stored_path).stem}.samples.json"
    assert uploads_storage().exists(samples)

    deleted = import_uploads_purge(now=timezone.now())

    # The abandoned upload, the sample values its mapping page showed, and the old orphan.
    assert deleted == (3 if aged else 2)
    assert not uploads_storage().exists(samples)
    abandoned.refresh_from_db()
    assert abandoned.state == ImportRun.State.FAILED and abandoned.stored_path == ""
    assert "Not confirmed within 1 hour" in abandoned.errors[0]["message"]
    recent.refresh_from_db()
    assert recent.state == ImportRun.State.UPLOADED
    assert uploads_storage().exists(recent.stored_path)
    assert uploads_storage().exists(fresh_orphan)
    if not aged:  # in a bucket: the orphan goes once it is as old, in a later purge
        assert uploads_storage().exists(orphan)
        import_uploads_purge(now=timezone.now() + datetime.timedelta(minutes=61))
    assert not uploads_storage().exists(orphan)


def test_the_periodic_task_purges(partner_user, partner_organisation, settings):
    run = import_run_create(
        data=CSV, file_name="a.csv", organisation=partner_organisation, user=partner_user
    )
    ImportRun.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )

    # The upload and the sample values of its columns.
    assert import_uploads_purge_task() == 2
    assert _uploads(settings) == []


def test_beat_purges_abandoned_uploads_often_with_a_task_the_worker_knows():
    from django.conf import settings as django_settings

    from config.celery import app

    entry = django_settings.CELERY_BEAT_SCHEDULE["imports-purge-abandoned-uploads"]
    assert entry["task"] == "casework.tasks.import_uploads_purge_task"
    # Every ten minutes: an unconfirmed upload lives at most its hour and ten minutes.
    assert entry["schedule"] == 600.0
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks


def test_a_finished_run_keeps_no_file(partner_user, partner_organisation, settings):
    run, _summary = import_file_run(
        data=CSV, file_name="a.csv", organisation=partner_organisation, user=partner_user
    )
    failed, _summary = import_file_run(
        data=b"\x7fELF" + b"\x00" * 64,
        file_name="b.csv",
        organisation=partner_organisation,
        user=partner_user,
    )

    assert run.state == ImportRun.State.DONE and failed.state == ImportRun.State.FAILED
    assert ImportRun.objects.exclude(stored_path="").count() == 0
    assert _uploads(settings) == []
    assert import_run_execute(import_run_id=run.pk).state == ImportRun.State.DONE  # left alone


def test_a_dry_run_writes_nothing(partner_user, partner_organisation):
    _run, summary = partner_file_import(
        "partner_ru_cp1251.csv", partner_user, partner_organisation, dry_run=True
    )

    assert summary["new"] == 4
    assert Person.objects.count() == 0 and Case.objects.count() == 0


def test_the_time_an_upload_is_kept_unconfirmed_is_configurable(
    partner_user, partner_organisation, settings
):
    settings.IMPORT_UNCONFIRMED_MINUTES = 20
    run = import_run_create(
        data=CSV, file_name="a.csv", organisation=partner_organisation, user=partner_user
    )
    ImportRun.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=21)
    )

    import_uploads_purge(now=timezone.now())

    run.refresh_from_db()
    assert run.state == ImportRun.State.FAILED
    assert "Not confirmed within 20 minutes" in run.errors[0]["message"]
    assert _uploads(settings) == []


def test_a_refused_upload_is_deleted_at_once(partner_user, partner_organisation, settings):
    run = import_run_create(
        data=b"%PDF-1.7 not a spreadsheet",
        file_name="a.xlsx",
        organisation=partner_organisation,
        user=partner_user,
    )

    assert run.state == ImportRun.State.FAILED
    assert _uploads(settings) == []


def test_no_file_an_import_keeps_holds_a_cell_in_plain_text(
    client_as_partner, partner_organisation, settings, django_capture_on_commit_callbacks
):
    """The upload, the sample values, a large file's plan and the sheet of skipped rows are
    encrypted at rest: none contains a name from the file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from config.celery import app as celery_app

    name = "Секретова Зарина"
    data = f"ФИО;Статус\n{name};в СИЗО\nИванов Иван;улетел\n".encode()
    settings.IMPORT_ASYNC_ROWS = 1  # a large file: its plan is kept in a file
    eager, celery_app.conf.task_always_eager = celery_app.conf.task_always_eager, True
    try:
        client_as_partner.post("/imports/new/", {"file": SimpleUploadedFile("s.csv", data)})
        run = ImportRun.objects.get()
        with django_capture_on_commit_callbacks(execute=True):
            client_as_partner.get(f"/imports/{run.pk}/preview/")
    finally:
        celery_app.conf.task_always_eager = eager
    page = client_as_partner.get(f"/imports/{run.pk}/preview/")
    assert name in page.text  # the plan was made, and kept
    kept = {Path(name).name.split(".", 1)[1] for name in _uploads(settings)}
    assert {"upload", "samples.json", "plan.json"} <= kept
    for path in _uploads(settings):
        content = _raw(path)
        assert name.encode() not in content and name.encode("cp1251") not in content, path

    settings.IMPORT_ASYNC_ROWS = 1000
    client_as_partner.get(f"/imports/{run.pk}/preview/")
    client_as_partner.post(f"/imports/{run.pk}/confirm/", {"skip_invalid": "1"})
    run.refresh_from_db()
    assert run.state == ImportRun.State.DONE and run.skipped_path
    skipped = _raw(run.skipped_path)
    assert "Иванов".encode() not in skipped and not skipped.startswith(b"PK")
    sheet = client_as_partner.get(f"/imports/{run.pk}/rows-to-fix.xlsx")
    assert sheet.content.startswith(b"PK")  # decrypted for the partner who may see it


def test_the_report_is_the_summary_and_the_sheet_s_columns(partner_user, partner_organisation):
    run = import_run_create(
        data=CSV, file_name="a.csv", organisation=partner_organisation, user=partner_user
    )
    import_run_preview(run=run, user=partner_user)
    report = import_run_report(run=run)
    assert report["new"] == 2 and report["errors"] == []
    assert report["columns"] == [
        {"column": "A", "header": "ФИО", "field": "full_name"},
        {"column": "B", "header": "Статус", "field": "status"},
        {"column": "C", "header": "Статья", "field": "charges"},
    ]


def test_it_changes_the_columns_named_by_letter_and_keeps_the_others(
    partner_user, partner_organisation
):
    run = import_run_create(
        data=CSV, file_name="a.csv", organisation=partner_organisation, user=partner_user
    )
    import_run_set_columns(run=run, columns={"C": ""})
    run.refresh_from_db()
    assert run.mapping == {"0": "full_name", "1": "status"}
    with pytest.raises(ImportFileError, match="The file has no column D"):
        import_run_set_columns(run=run, columns={"D": "summary"})


def test_it_says_in_the_uploaders_language_that_the_file_is_no_longer_kept(
    partner_user, partner_organisation, monkeypatch
):
    from django.utils import translation

    from casework.importing.run_planning import import_run_table
    from tests.support.catalogues import every_marked_string_tagged

    run = import_run_create(
        data=CSV, file_name="a.csv", organisation=partner_organisation, user=partner_user
    )
    uploads_storage().delete(run.stored_path)
    every_marked_string_tagged(monkeypatch, "ru", "[ru] ")
    with translation.override("ru"), pytest.raises(ImportFileError) as refused:
        import_run_table(run=ImportRun.objects.get(pk=run.pk))
    assert str(refused.value) == "[ru] The uploaded file is no longer kept; upload it again."


@pytest.mark.parametrize(
    ("data", "row"),
    [
        ('ФИО;Статус\r\nИванов Иван;в СИЗО\r\n"Петров Пётр;осужден\r\n'.encode(), 3),
        (
            ("ФИО;Статус\r\nИванов Иван;в СИЗО\r\nПетров Пётр;осужден" + ";x" * 250).encode(),
            3,
        ),
    ],
    ids=["quotation mark never closed", "too many columns"],
)
def test_a_refused_file_lists_its_error_on_the_row_the_message_names(
    data, row, partner_user, partner_organisation
):
    run = import_run_create(
        data=data, file_name="a.csv", organisation=partner_organisation, user=partner_user
    )

    assert run.state == ImportRun.State.FAILED
    (error,) = run.errors
    assert error["row"] == row and error["message"].startswith(f"Row {row}")


def test_an_upload_that_fails_unforeseen_gives_the_number_of_its_run(
    partner_user, partner_organisation, monkeypatch
):
    from casework.importing import runs

    def unforeseen(**_kwargs):
        raise KeyError("x")

    monkeypatch.setattr(runs, "import_file_read", unforeseen)

    run = import_run_create(
        data=CSV, file_name="a.csv", organisation=partner_organisation, user=partner_user
    )

    assert run.pk is not None and run.state == ImportRun.State.FAILED
    assert run.errors[0]["message"].endswith(f"under import run {run.pk}.")


def test_a_column_of_values_without_a_header_is_listed_and_kept_in_the_rows_to_fix(
    partner_user, partner_organisation, client_as_partner
):
    # Column C has values but no header: it was left out of the columns (not even listed
    # as ignored), and out of the sheet of rows to fix.
    data = (
        "ФИО;Статус\r\nИванов Иван;в СИЗО;важная заметка\r\nПетров Пётр;непонятно;ещё заметка\r\n"
    ).encode()
    run = import_run_create(
        data=data, file_name="a.csv", organisation=partner_organisation, user=partner_user
    )

    columns = import_run_columns(run=run)
    assert [(column.letter, column.header, column.field) for column in columns] == [
        ("A", "ФИО", "full_name"),
        ("B", "Статус", "status"),
        ("C", "", None),
    ]
    assert columns[2].samples == ["важная заметка", "ещё заметка"]

    import_run_preview(run=run, user=partner_user)
    client_as_partner.post(f"/imports/{run.pk}/confirm/", {"skip_invalid": "1"})
    sheet = client_as_partner.get(f"/imports/{run.pk}/rows-to-fix.xlsx")
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert rows[1][:3] == ("Петров Пётр", "непонятно", "ещё заметка")


UNKNOWN_WORD_CSV = "ФИО;Статус\nИванов Иван;в СИЗО\nПетров Пётр;улетел\n".encode()


@pytest.mark.parametrize("large", [False, True], ids=["in the request", "in a worker"])
def test_the_rows_skipped_read_in_the_language_the_user_confirmed_in(
    large, partner_user, partner_organisation, settings
):
    # The account names no language (the browser's): the run was written in English, the
    # "in the request" case included, since the work ran under override(None).
    settings.IMPORT_ASYNC_ROWS = 1 if large else 1000
    run = import_run_create(
        data=UNKNOWN_WORD_CSV,
        file_name="a.csv",
        organisation=partner_organisation,
        user=partner_user,
    )
    with translation.override("ru"):
        import_run_preview(run=run, user=partner_user)
        run = import_run_confirm(run=run, user=partner_user, decisions={}, skip_invalid=True)
    if large:
        assert run.state == ImportRun.State.QUEUED
        with translation.override("en"):  # a worker speaks English of its own
            run = import_run_execute(import_run_id=run.pk)
    assert run.state == ImportRun.State.DONE
    (error,) = run.errors
    assert error["message"].startswith("Статус"), error["message"]


def test_an_upload_nobody_confirmed_ends_saying_why_in_the_uploaders_language(
    partner_user, partner_organisation, monkeypatch
):
    # The purge wrote "Not confirmed within 1 hour: …" in English for every user.
    from django.utils.translation import trans_real

    catalogue = trans_real.translation("ru")._catalog._catalogs[0]
    singular = (
        "Not confirmed within %(count)s hour: the uploaded file was deleted. "
        "Upload it again to import it."
    )
    monkeypatch.setitem(catalogue, (singular, 0), "Не подтверждён за %(count)s час: файл удалён.")
    with translation.override("ru"):
        run = import_run_create(
            data=CSV, file_name="a.csv", organisation=partner_organisation, user=partner_user
        )
    ImportRun.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=61)
    )

    import_uploads_purge(now=timezone.now())

    run.refresh_from_db()
    assert run.errors[0]["message"] == "Не подтверждён за 1 час: файл удалён."


def test_the_pages_name_the_sheet_read_of_a_workbook_that_shows_several(
    partner_user, partner_organisation
):
    # A summary sheet first ("Регион", "Количество") was read, and the pages said only
    # that no column holds the name: nothing told the partner which sheet had been read.
    from openpyxl import Workbook

    def workbook(*sheets: str) -> bytes:
        book = Workbook()
        book.active.title = sheets[0]
        book.active.append(["Регион", "Количество"])
        book.active.append(["Алматы", 3])
        for title in sheets[1:]:
            book.create_sheet(title).append(["ФИО", "Статус"])
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    def warnings(data: bytes) -> list[str]:
        run = import_run_create(
            data=data, file_name="a.xlsx", organisation=partner_organisation, user=partner_user
        )
        return import_run_warnings(run=run)

    assert (
        "Read from the sheet “Сводка”; the workbook shows 2 sheets. If the cases are on "
        "another sheet, move it to the front and upload the file again."
    ) in warnings(workbook("Сводка", "Список"))
    assert not any("Read from the sheet" in warning for warning in warnings(workbook("Сводка")))


def test_the_pages_say_which_rows_the_sheet_hides_and_that_they_are_imported(
    partner_user, partner_organisation
):
    # A partner's hidden rows were imported and no page said so.
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["ФИО", "Статус"])
    for name in ("Иванов Иван", "Петров Пётр", "Сидоров Сидор"):
        sheet.append([name, "осуждён"])
    sheet.row_dimensions[3].hidden = True
    sheet.row_dimensions[4].hidden = True
    sheet.row_dimensions[9].hidden = True  # blank: no row of the file
    buffer = io.BytesIO()
    book.save(buffer)

    run = import_run_create(
        data=buffer.getvalue(),
        file_name="a.xlsx",
        organisation=partner_organisation,
        user=partner_user,
    )

    assert (
        "2 rows of the sheet are hidden (rows 3, 4); they are imported like the others. If "
        "some should not be, delete them from the file and upload it again."
    ) in import_run_warnings(run=run)
    assert run.rows_total == 3
