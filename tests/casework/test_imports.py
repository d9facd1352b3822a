"""Partner spreadsheet imports: the realistic files, duplicates, updates, history, who may
change what, bounded queries, the command line, the template and the error reports."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.importing.runs import import_file_run
from casework.importing.template import import_template_xlsx
from casework.models import Case, CaseEvent, Confidentiality, ImportRun, Person, Status
from tests.factories import CaseFactory, PersonFactory

FILES = Path(__file__).resolve().parent / "import_files"
EXPECTED = json.loads((FILES / "expected.json").read_text())


@pytest.fixture
def zhumagulov(host):
    person = PersonFactory(full_name="Almat Zhumagulov", birth_year=1985, owning_organisation=host)
    CaseFactory(person=person, owning_organisation=host, confidentiality=Confidentiality.PUBLIC)
    return person


@pytest.fixture
def tokayeva(partner_organisation):
    return PersonFactory(
        full_name="Dana Tokayeva", birth_year=1992, owning_organisation=partner_organisation
    )


def _import(name: str, user, organisation, **options):
    return import_file_run(
        data=(FILES / name).read_bytes(),
        file_name=name,
        organisation=organisation,
        user=user,
        **options,
    )


def test_it_matches_a_person_written_in_cyrillic_to_the_existing_latin_record(
    partner_user, partner_organisation, zhumagulov
):
    _import("partner_ru_cp1251.csv", partner_user, partner_organisation)

    assert Person.objects.filter(full_name__icontains="zhumagulov").count() == 1
    partner_case = Case.objects.get(owning_organisation=partner_organisation, person=zhumagulov)
    assert partner_case.status == Status.PRETRIAL_DETENTION
    assert partner_case.charges.get().article == "174"
    zhumagulov.refresh_from_db()
    assert zhumagulov.native_name == ""  # the host's record is not the partner's to change


def test_it_creates_one_person_for_the_same_person_twice_in_one_file(
    partner_user, partner_organisation
):
    _import("partner_ru_cp1251.csv", partner_user, partner_organisation)

    ivanova = Person.objects.get(native_name="Иванова Мария Петровна")
    assert ivanova.full_name == "Mariya Ivanova"
    assert ivanova.cases.count() == 1
    case = ivanova.cases.get()
    assert case.summary == '=HYPERLINK("http://x")'  # a formula is stored as text
    assert case.sentence == "7 лет"
    assert str(case.detained_on) == "2022-01-15"


def test_it_reads_dates_written_every_way(partner_user, partner_organisation):
    _import("partner_ru_cp1251.csv", partner_user, partner_organisation)

    serikbaev = Person.objects.get(native_name="Серикбаев Нурлан")
    assert serikbaev.birth_year == 1978
    case = serikbaev.cases.get()
    assert str(case.detained_on) == "2021-12-31"  # Excel serial 44561
    assert sorted((c.article, c.part) for c in case.charges.all()) == [("174", "1"), ("405", "2")]
    akhmetova = Person.objects.get(native_name="Ахметова Гульнара")
    assert akhmetova.cases.get().status == Status.HOUSE_ARREST  # from the measure of restraint


def test_it_updates_a_changed_row_with_a_status_event_and_history_by_the_importer(
    partner_user, partner_organisation
):
    _import("partner_ru_cp1251.csv", partner_user, partner_organisation)
    # Back in pre-trial detention (after an appeal): a status the row dates, by its date of
    # detention. (One it does not date is kept without a timeline event: see
    # test_imports_status_dates.)
    changed = (
        (FILES / "partner_ru_cp1251.csv")
        .read_bytes()
        .replace("осуждена".encode("cp1251"), "в СИЗО".encode("cp1251"))
    )

    _run, summary = import_file_run(
        data=changed, file_name="changed.csv", organisation=partner_organisation, user=partner_user
    )

    assert summary["updated"] == 1 and summary["unchanged"] == 4 and summary["new"] == 0
    case = Case.objects.get(person__native_name="Иванова Мария Петровна")
    assert case.status == Status.PRETRIAL_DETENTION
    assert str(case.status_since) == "2022-01-15"
    event = case.events.get(kind=CaseEvent.Kind.STATUS, status=Status.PRETRIAL_DETENTION)
    assert event.previous_status == Status.IMPRISONED
    assert str(event.happened_on) == "2022-01-15"
    assert event.created_by == partner_user
    latest = case.history.first()
    assert latest.history_type == "~" and latest.history_user == partner_user
    assert latest.status == Status.PRETRIAL_DETENTION
    assert {link.charge.article for link in latest.charges.all()} == {"405"}


def test_it_records_history_with_the_importer_as_actor_for_every_record(
    partner_user, partner_organisation
):
    _import("partner_ru_cp1251.csv", partner_user, partner_organisation)

    people = Person.objects.filter(owning_organisation=partner_organisation)
    cases = Case.objects.filter(owning_organisation=partner_organisation)
    assert people.count() == 4 and cases.count() == 4
    for model, queryset in ((Person, people), (Case, cases)):
        history = model.history.filter(id__in=queryset.values("pk"))
        assert history.count() == queryset.count()
        assert set(history.values_list("history_user", flat=True)) == {partner_user.pk}
    events = CaseEvent.objects.filter(case__in=cases)
    assert (
        CaseEvent.history.filter(id__in=events.values("pk"), history_user=partner_user).count()
        == events.count()
    )


def test_a_possible_duplicate_waits_for_a_choice_and_same_person_links_to_the_record(
    partner_user, partner_organisation, tokayeva
):
    # Born 1993 in the file, 1992 in the record: the same name, but not certainly the same person.
    data = "ФИО;Год рождения;Статья\r\nТокаева Дана;1993;ст.405\r\n".encode()

    def run_with(decisions):
        return import_file_run(data=data, file_name="d.csv", organisation=partner_organisation,
                               user=partner_user, decisions=decisions)  # fmt: skip

    run, summary = run_with(None)
    assert summary["possible_duplicates"] == 1 and summary["new"] == 0
    assert run.state == ImportRun.State.DONE
    assert Person.objects.count() == 1 and Case.objects.count() == 0  # undecided: not written

    _, summary = run_with({"2": {"choice": "same", "person_id": tokayeva.pk}})

    assert summary["possible_duplicates"] == 0 and summary["new"] == 1
    assert Person.objects.count() == 1
    assert Case.objects.get().person == tokayeva


def test_choosing_new_person_creates_a_second_record(partner_user, partner_organisation, tokayeva):
    data = "ФИО;Год рождения\r\nТокаева Дана;1993\r\n".encode()

    _, summary = import_file_run(
        data=data, file_name="d.csv", organisation=partner_organisation, user=partner_user,
        decisions={"2": {"choice": "new", "person_id": tokayeva.pk}},
    )  # fmt: skip

    assert summary["new"] == 1
    assert Person.objects.filter(native_name="Токаева Дана", birth_year=1993).exists()


def test_a_dry_run_writes_nothing(partner_user, partner_organisation):
    _run, summary = _import(
        "partner_ru_cp1251.csv", partner_user, partner_organisation, dry_run=True
    )

    assert summary["new"] == 4
    assert Person.objects.count() == 0 and Case.objects.count() == 0


def test_a_partner_file_naming_another_organisations_case_changes_nothing_there(
    partner_user, partner_organisation, other_partner_organisation
):
    theirs = PersonFactory(full_name="Bolat Secret", owning_organisation=other_partner_organisation)
    their_case = CaseFactory(
        reference="OTHER-001", person=theirs, owning_organisation=other_partner_organisation
    )
    history_before = Case.history.filter(id=their_case.pk).count()
    data = "ФИО;Номер дела;Статус;Регион\r\nBolat Secret;OTHER-001;освобожден;Нигде\r\n".encode()

    run, summary = import_file_run(
        data=data, file_name="x.csv", organisation=partner_organisation, user=partner_user
    )

    # The same answer as for a reference nobody uses: a new case of the partner's own.
    assert run.state == ImportRun.State.DONE
    assert (summary["new"], summary["errors"]) == (1, [])
    mine = Case.objects.get(owning_organisation=partner_organisation)
    assert mine.reference == f"BOSTANDYQ-PA.{partner_organisation.pk}:OTHER-001"
    assert mine.person != theirs
    their_case.refresh_from_db()
    theirs.refresh_from_db()
    assert their_case.status == Status.PRETRIAL_DETENTION and theirs.region == ""
    assert Case.history.filter(id=their_case.pk).count() == history_before


def test_a_partner_never_sees_or_links_another_organisations_person(
    partner_user, partner_organisation, other_partner_organisation
):
    theirs = PersonFactory(full_name="Bolat Secret", owning_organisation=other_partner_organisation)
    CaseFactory(person=theirs, owning_organisation=other_partner_organisation)
    data = "ФИО;Регион\r\nBolat Secret;Астана\r\n".encode()

    _run, summary = import_file_run(
        data=data, file_name="x.csv", organisation=partner_organisation, user=partner_user
    )

    assert summary["possible_duplicates"] == 0 and summary["new"] == 1
    theirs.refresh_from_db()
    assert theirs.region == "" and theirs.cases.count() == 1
    mine = Person.objects.get(full_name="Bolat Secret", owning_organisation=partner_organisation)
    assert mine.pk != theirs.pk


def test_a_partner_cannot_import_into_another_organisation(
    partner_user, other_partner_organisation
):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        _import("partner_ru_cp1251.csv", partner_user, other_partner_organisation)
    assert Person.objects.count() == 0


SYLLABLES = ["ba", "ku", "to", "ren", "sa", "li", "mo", "dar", "ne", "zhu", "ka", "vi"]


def generated_name(number: int) -> str:
    """A distinct two-word name per number, far from every other (no near misses)."""
    digits = [(number // 12**power) % 12 for power in range(4)]
    given = "".join(SYLLABLES[digit] for digit in digits).capitalize()
    family = "".join(SYLLABLES[(digit * 5 + 3) % 12] for digit in reversed(digits)).capitalize()
    return f"{given} {family}ov"


def _generated_csv(rows: int) -> bytes:
    lines = ["ФИО;Год рождения;Статья;Статус;Место содержания;Дата задержания"]
    for number in range(rows):
        lines.append(
            f"{generated_name(number)};{1960 + number % 40};ст. {174 + number % 3} ч.1;"
            f"{'в СИЗО' if number % 2 else 'осужден'};ИК-{number % 5};{1 + number % 28:02d}.03.2021"
        )
    return ("\r\n".join(lines) + "\r\n").encode()


def test_the_write_path_runs_a_bounded_number_of_queries(
    partner_user, partner_organisation, django_assert_max_num_queries
):
    def prepare(rows: int) -> bytes:
        CaseEvent.objects.all().delete()
        Case.objects.all().delete()
        Person.objects.all().delete()
        # Half the people already exist, so the create and the update paths both run.
        import_file_run(data=_generated_csv(rows // 2), file_name="a.csv",
                        organisation=partner_organisation, user=partner_user)  # fmt: skip
        return _generated_csv(rows).replace("в СИЗО".encode(), "освобожден".encode())

    def run(data: bytes, rows: int) -> None:
        _, summary = import_file_run(
            data=data, file_name="b.csv", organisation=partner_organisation, user=partner_user
        )
        assert summary["new"] == rows - rows // 2 and summary["updated"] == rows // 4

    counts = {}
    for rows in (8, 160):
        data = prepare(rows)
        with CaptureQueriesContext(connection) as captured:
            run(data, rows)
        counts[rows] = len(captured)
    # Twenty times the rows, a handful more statements: SQLite caps the rows per INSERT at
    # its variable limit, so bulk inserts come in a few batches, never one per row.
    assert counts[160] <= counts[8] + 10, counts
    data = prepare(40)
    # 46: one of them reads the organisation's remembered possible-duplicate choices.
    with django_assert_max_num_queries(46):
        run(data, 40)


def test_the_command_prints_the_exact_json_and_exits_non_zero_on_errors(
    partner_user, partner_organisation, capsys
):
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "import_cases",
            str(FILES / "partner_en_utf8_bom_errors.csv"),
            organisation=partner_organisation.slug,
            user=partner_user.username,
            format="json",
        )

    assert exit_info.value.code == 1
    printed = json.loads(capsys.readouterr().out)
    assert printed == EXPECTED["partner_en_utf8_bom_errors.csv"]["first"]
    assert list(printed) == ["new", "updated", "unchanged", "possible_duplicates", "errors"]


def test_the_command_imports_and_a_dry_run_reports_without_writing(
    partner_user, partner_organisation, capsys
):
    path = str(FILES / "partner_ru_cp1251.csv")
    call_command("import_cases", path, organisation=partner_organisation.slug, dry_run=True,
                 format="json")  # fmt: skip
    assert json.loads(capsys.readouterr().out)["new"] == 4
    assert Person.objects.count() == 0

    call_command("import_cases", path, organisation=partner_organisation.slug)

    assert "Imported: 4 new" in capsys.readouterr().out
    assert Case.objects.filter(owning_organisation=partner_organisation).count() == 4
    assert ImportRun.objects.get(dry_run=False).user == partner_user


def test_the_template_has_both_languages_and_a_status_drop_down(partner_organisation):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(import_template_xlsx()))
    sheet = workbook["Cases"]
    headers = [cell.value for cell in sheet[1]]
    assert "ФИО / Full name" in headers and "Статус / Status" in headers
    validation = sheet.data_validations.dataValidation[0]
    assert validation.type == "list" and "Statuses" in validation.formula1
    assert "в СИЗО" in [row[0].value for row in workbook["Statuses"].iter_rows()]


def test_the_template_filled_in_imports_cleanly(partner_user, partner_organisation):
    _run, summary = import_file_run(
        data=import_template_xlsx(),
        file_name="template.xlsx",
        organisation=partner_organisation,
        user=partner_user,
    )
    assert summary["errors"] == [] and summary["new"] == 1
    assert Person.objects.get().native_name == "Жумагулов Алмат Серикович"


def _import_csv(text: str, user, organisation):
    return import_file_run(
        data=text.encode("utf-8"), file_name="people.csv", organisation=organisation, user=user
    )


def test_it_never_makes_two_people_of_one_name_written_with_and_without_a_year(
    partner_user, partner_organisation
):
    people_before = Person.objects.count()
    _run, summary = _import_csv(
        "ФИО,Год рождения,Статус\nTokayeva Dana,,в СИЗО\nТокаева Дана,1993,в СИЗО\n",
        partner_user,
        partner_organisation,
    )

    # The second row is the first one's person: either it repeats the row or, as here,
    # it says something different about the same case, which the partner must resolve.
    assert summary["errors"] == [
        {
            "row": 3,
            "column": "A (ФИО)",
            "message": "Row 2 describes the same person and case with different values; "
            "keep one of the two rows.",
        }
    ]
    assert Person.objects.count() == people_before


def test_it_takes_a_repeated_row_without_the_year_as_the_same_person(
    partner_user, partner_organisation
):
    _run, summary = _import_csv(
        "ФИО,Статус\nTokayeva Dana,в СИЗО\nTokayeva Dana ,в СИЗО\n",
        partner_user,
        partner_organisation,
    )

    assert (summary["new"], summary["unchanged"], summary["errors"]) == (1, 1, [])
    assert Person.objects.filter(owning_organisation=partner_organisation).count() == 1


def test_it_keeps_namesakes_with_different_birth_years_apart(partner_user, partner_organisation):
    _import_csv(
        "ФИО,Год рождения,Статус\nDana Tokaeva,1990,в СИЗО\nDana Tokayeva,1993,осуждена\n",
        partner_user,
        partner_organisation,
    )

    assert Person.objects.filter(owning_organisation=partner_organisation).count() == 2


def test_it_refuses_to_guess_which_namesake_a_row_without_a_year_means(
    partner_user, partner_organisation
):
    people_before = Person.objects.count()
    _run, summary = _import_csv(
        "ФИО,Год рождения,Статус\n"
        "Dana Tokaeva,1990,в СИЗО\nDana Tokayeva,1993,осуждена\nДана Токаева,,осуждена\n",
        partner_user,
        partner_organisation,
    )

    assert summary["errors"] == [
        {
            "row": 4,
            "column": "B (Год рождения)",
            "message": "Rows 2 and 3 name different people with this name; "
            "give the birth year to say which one.",
        }
    ]
    assert Person.objects.count() == people_before
