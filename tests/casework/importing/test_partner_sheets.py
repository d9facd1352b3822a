"""The messy Russian sheet of issue 13, as a partner imports it: every column mapped or
knowingly ignored, the unknown status word chosen once and remembered for the next file,
the bad rows skipped by choice and fixed from their own sheet."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import load_workbook

from casework.importing.runs import import_file_run
from casework.models import Case, ImportRun, Person, Status, StatusWord
from casework.partial_dates import Precision
from tests.casework.import_files import FILES, partner_file_import, text_import

SHEET = "partner_unknown_words.xlsx"


def _upload(client, name: str = SHEET, data: bytes | None = None) -> ImportRun:
    data = (FILES / name).read_bytes() if data is None else data
    client.post("/imports/new/", {"file": SimpleUploadedFile(name, data)})
    return ImportRun.objects.latest("pk")


def test_the_mapping_page_shows_samples_and_lists_what_will_be_ignored(client_as_partner):
    run = _upload(client_as_partner)

    page = client_as_partner.get(f"/imports/{run.pk}/mapping/")

    assert "2 columns will be ignored:" in page.text
    assert "“Контакты родственников”" in page.text and "сестра, мать, брат" in page.text
    for sample in ("Ермеков Данияр", "Есенова Мадина", "Калиев Бахыт"):
        assert f'<span class="sample">{sample}</span>' in page.text


def test_the_preview_groups_an_unknown_word_and_the_choice_is_remembered_for_the_next_file(
    client_as_partner, partner_organisation
):
    run = _upload(client_as_partner)
    page = client_as_partner.get(f"/imports/{run.pk}/preview/")
    assert "Status words the app does not know yet" in page.text
    assert "«под наблюдением»" in page.text and "3 rows" in page.text
    assert "Checked — 4 errors" in client_as_partner.get("/imports/").text

    client_as_partner.post(
        f"/imports/{run.pk}/status-words/",
        {"word": "под наблюдением", "written": "под наблюдением", "word_0": Status.INVESTIGATION},
    )
    client_as_partner.get(f"/imports/{run.pk}/preview/")

    run.refresh_from_db()
    assert run.count_errors == 1  # the impossible birth date is left
    word = StatusWord.objects.get()
    assert (word.organisation, word.status) == (partner_organisation, Status.INVESTIGATION)
    # The organisation's next file is not asked again.
    again = _upload(client_as_partner)
    page = client_as_partner.get(f"/imports/{again.pk}/preview/")
    assert "Status words the app does not know yet" not in page.text


def test_skipping_the_invalid_rows_writes_exactly_the_valid_ones_and_their_sheet_reimports(
    client_as_partner, partner_user, partner_organisation, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    StatusWord.objects.create(
        organisation=partner_organisation,
        word="под наблюдением",
        written="под наблюдением",
        status=Status.INVESTIGATION,
    )
    run = _upload(client_as_partner)
    page = client_as_partner.get(f"/imports/{run.pk}/preview/")
    assert "Import the 5 valid rows and skip the 1 with errors" in page.text

    response = client_as_partner.post(f"/imports/{run.pk}/confirm/", {"skip_invalid": "1"})

    assert response.status_code == 302
    run.refresh_from_db()
    assert (run.state, run.count_new, run.count_skipped) == (ImportRun.State.DONE, 5, 1)
    assert not Person.objects.filter(native_name="Мухамедиев Арман").exists()
    assert Person.objects.count() == 5
    detail = client_as_partner.get(f"/imports/{run.pk}/")
    assert "Imported — 1 row skipped" in detail.text
    sheet = client_as_partner.get(f"/imports/{run.pk}/rows-to-fix.xlsx")
    assert sheet.status_code == 200
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.values)
    assert rows[0] == (
        "№",
        "ФИО",
        "Дата рожд.",
        "Статья",
        "Текущее положение",
        "Где содержится",
        "Контакты родственников",
        "Error",
    )
    assert rows[1][:6] == (
        4,
        "Мухамедиев Арман",
        "31.02.1985",
        "ст. 174",
        "в СИЗО",
        "СИЗО-1 Алматы",
    )
    assert "“31.02.1985” is not a valid date." in rows[1][-1]

    # The partner fixes the date in the sheet and imports it: one new person, no error.
    workbook = load_workbook(io.BytesIO(sheet.content))
    workbook.active["C2"] = "31.01.1985"
    fixed = io.BytesIO()
    workbook.save(fixed)
    again, summary = import_file_run(
        data=fixed.getvalue(),
        file_name="fixed.xlsx",
        organisation=partner_organisation,
        user=partner_user,
    )
    assert (again.state, summary["new"], summary["errors"]) == (ImportRun.State.DONE, 1, [])
    assert Person.objects.get(native_name="Мухамедиев Арман").birth_date.isoformat() == "1985-01-31"
    assert Person.objects.count() == 6


def test_all_or_nothing_stays_the_default(client_as_partner):
    run = _upload(client_as_partner)
    client_as_partner.get(f"/imports/{run.pk}/preview/")

    client_as_partner.post(f"/imports/{run.pk}/confirm/", {"confirm": "1"})

    run.refresh_from_db()
    assert run.state == ImportRun.State.CHECKED
    assert Person.objects.count() == 0


def test_the_command_line_takes_status_words_skips_invalid_rows_and_lists_ignored_columns(
    partner_user, partner_organisation, capsys
):
    call_command(
        "import_cases",
        str(FILES / SHEET),
        organisation=partner_organisation.slug,
        user=partner_user.username,
        skip_invalid=True,
        status_word=["под наблюдением=investigation"],
    )

    out = capsys.readouterr().out
    assert "Imported: 5 new cases (5 new people, 0 people already recorded)" in out
    assert "1 rows skipped" in out
    assert "2 columns ignored:\n    A №\n    G Контакты родственников" in out
    assert Case.objects.filter(status=Status.INVESTIGATION).count() == 3
    # Words given on the command line are for that file: nothing is remembered.
    assert not StatusWord.objects.exists()


def test_the_command_line_uses_the_organisation_s_remembered_words(
    partner_user, partner_organisation, capsys
):
    StatusWord.objects.create(
        organisation=partner_organisation,
        word="под наблюдением",
        written="под наблюдением",
        status=Status.INVESTIGATION,
    )

    with pytest.raises(SystemExit):
        call_command(
            "import_cases",
            str(FILES / SHEET),
            organisation=partner_organisation.slug,
            format="json",
        )

    printed = json.loads(capsys.readouterr().out)
    assert [error["row"] for error in printed["errors"]] == [6]
    assert {"column": "G", "header": "Контакты родственников", "field": None} in printed["columns"]


def test_an_unknown_status_word_on_the_command_line_is_refused(partner_user, partner_organisation):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="is not a status"):
        call_command(
            "import_cases",
            str(FILES / SHEET),
            organisation=partner_organisation.slug,
            user=partner_user.username,
            status_word=["под наблюдением=maybe"],
        )


def test_the_statuses_sheet_keeps_what_the_words_say_beyond_the_status(
    partner_user, partner_organisation
):
    partner_file_import("partner_statuses_ru_cp1251.csv", partner_user, partner_organisation)

    parole = Case.objects.get(person__native_name="Сагынова Айгерим")
    assert parole.status == Status.RELEASED
    assert "Текущее положение: освобождена по УДО" in parole.summary
    # "март 2019": the month is stored as the date's precision, not as a note.
    assert (parole.detained_on, parole.detained_on_precision) == (
        datetime.date(2019, 3, 1),
        Precision.MONTH,
    )
    assert "Дата задержания" not in parole.summary
    assert Case.objects.get(person__native_name="Тлеуов Даулет").status == Status.IN_EXILE
    assert Case.objects.get(person__native_name="Жаксыбеков Нурлан").status == Status.WANTED
    assert Case.objects.filter(detention_place__name="ИК-158/2").count() == 4


def test_skipping_when_the_valid_rows_are_already_recorded_still_gives_the_rows_to_fix(
    partner_user, partner_organisation, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    words = {"под наблюдением": Status.INVESTIGATION}

    def skipping() -> tuple[ImportRun, dict]:
        return partner_file_import(
            SHEET, partner_user, partner_organisation, skip_invalid=True, status_words=words
        )

    skipping()
    again, summary = skipping()

    assert (again.state, summary["unchanged"], summary["skipped"]) == (ImportRun.State.DONE, 5, 1)
    assert again.skipped_path


def test_skipping_when_every_row_has_an_error_writes_nothing_and_fails(
    partner_user, partner_organisation
):
    run, summary = import_file_run(
        data="ФИО;Статус\nИванов Иван;улетел\n".encode(),
        file_name="a.csv",
        organisation=partner_organisation,
        user=partner_user,
        skip_invalid=True,
    )

    assert run.state == ImportRun.State.FAILED and summary["skipped"] == 0


@pytest.mark.parametrize(
    "header",
    ["Фамилия;Имя;Отчество", "Тегі;Аты;Әкесінің аты", "Surname;First name;Patronymic"],
)
def test_it_reads_a_name_written_in_columns_of_its_parts_as_one_name(
    header, partner_user, partner_organisation
):
    # The columns were refused ("Columns A (Фамилия) and B (Имя) both mean “Full name”;
    # keep one of them"), and keeping one made people of family names alone.
    _run, summary = text_import(
        f"{header};Статус\r\nЖумагулов;Алмат;Серикович;в СИЗО\r\nТокаева;Дана;;осуждена\r\n",
        partner_user,
        partner_organisation,
    )

    assert summary["errors"] == [] and summary["new"] == 2
    assert sorted(Person.objects.values_list("full_name", "native_name")) == [
        ("Almat Zhumagulov", "Жумагулов Алмат Серикович"),
        ("Dana Tokaeva", "Токаева Дана"),
    ]


def test_two_columns_that_each_hold_a_whole_name_are_still_refused(
    partner_user, partner_organisation
):
    _run, summary = text_import(
        "ФИО;Full name;Статус\r\nИванов Иван;Ivan Ivanov;в СИЗО\r\n",
        partner_user,
        partner_organisation,
    )

    assert "both mean “Full name”" in summary["errors"][0]["message"]


def test_a_part_of_the_name_the_whole_name_already_holds_is_not_written_twice(
    partner_user, partner_organisation
):
    _run, summary = text_import(
        "ФИО;Отчество;Статус\r\nЖумагулов Алмат Серикович;Серикович;в СИЗО\r\n"
        "Токаева Дана;Маратовна;осуждена\r\n",
        partner_user,
        partner_organisation,
    )

    assert summary["errors"] == []
    assert sorted(Person.objects.values_list("native_name", flat=True)) == [
        "Жумагулов Алмат Серикович",
        "Токаева Дана Маратовна",
    ]
