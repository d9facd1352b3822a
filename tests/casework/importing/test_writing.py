"""Writing a plan: updates with their status events and history, the importer as the
history's actor, and a bounded number of queries whatever the number of rows."""

from __future__ import annotations

import datetime

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.importing.runs import import_file_run
from casework.models import Case, CaseEvent, Confidentiality, Person, Status, StatusConflict
from casework.partial_dates import partial_date_format
from tests.casework.import_files import FILES, partner_file_import
from tests.factories import PersonFactory, case_with_status


def test_it_updates_a_changed_row_with_a_status_event_and_history_by_the_importer(
    partner_user, partner_organisation
):
    partner_file_import("partner_ru_cp1251.csv", partner_user, partner_organisation)
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
    partner_file_import("partner_ru_cp1251.csv", partner_user, partner_organisation)

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
        import_file_run(
            data=_generated_csv(rows // 2),
            file_name="a.csv",
            organisation=partner_organisation,
            user=partner_user,
        )
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
    # 48: one reads the organisation's remembered possible-duplicate choices, one its
    # remembered status words, one the regions its rows may be written as; 20 more for the
    # timeline rule in bulk (casework.status.timelines_recompute: the chains, the cases'
    # derived fields and their history, the status conflicts), and one the status events
    # of the cases the rows match (where a status the file dates lands in their
    # timelines), whatever the rows.
    with django_assert_max_num_queries(69):
        run(data, 40)


def test_its_history_rows_stay_without_an_actor_when_the_importing_user_is_deleted(
    partner_user, partner_organisation
):
    # The acting user is no database foreign key on these history tables (the import's
    # speed); Django's SET_NULL still clears it, and the rows stay.
    partner_file_import("partner_ru_cp1251.csv", partner_user, partner_organisation)
    histories = [Person.history, Case.history, CaseEvent.history]
    counts = [history.filter(history_user=partner_user).count() for history in histories]
    assert all(counts)

    partner_user.delete()

    assert [history.filter(history_user__isnull=True).count() for history in histories] == counts


def test_a_date_known_to_the_year_or_month_is_stored_with_its_precision_and_changes_it_later(
    partner_user, partner_organisation, tmp_path
):
    first = tmp_path / "first.csv"
    first.write_text(
        "ФИО,Дата задержания,Дата приговора\nОспанов Ерлан,2018,март 2019\n", encoding="utf-8"
    )
    import_file_for_precision(first, partner_user, partner_organisation)
    case = Case.objects.get(person__native_name="Оспанов Ерлан")
    assert (case.detained_on, case.detained_on_precision) == (datetime.date(2018, 1, 1), "year")
    assert (case.sentenced_on, case.sentenced_on_precision) == (datetime.date(2019, 3, 1), "month")
    assert partial_date_format(case.detained_on, case.detained_on_precision) == "in 2018"

    second = tmp_path / "second.csv"
    second.write_text(
        "ФИО,Дата задержания,Дата приговора\nОспанов Ерлан,14.05.2018,март 2019\n",
        encoding="utf-8",
    )
    import_file_for_precision(second, partner_user, partner_organisation)
    case.refresh_from_db()
    assert (case.detained_on, case.detained_on_precision) == (datetime.date(2018, 5, 14), "day")
    assert case.sentenced_on_precision == "month"


def import_file_for_precision(path, user, organisation) -> None:
    call_command("import_cases", str(path), organisation=organisation.slug, user=user.username)


def test_a_file_that_knows_a_date_less_exactly_leaves_the_exact_one_alone(
    partner_user, partner_organisation, tmp_path
):
    exact = tmp_path / "exact.csv"
    exact.write_text("ФИО,Дата задержания\nОспанов Ерлан,14.05.2018\n", encoding="utf-8")
    import_file_for_precision(exact, partner_user, partner_organisation)
    vague = tmp_path / "vague.csv"
    vague.write_text("ФИО,Дата задержания\nОспанов Ерлан,2018\n", encoding="utf-8")
    import_file_for_precision(vague, partner_user, partner_organisation)

    case = Case.objects.get(person__native_name="Оспанов Ерлан")
    assert (case.detained_on, case.detained_on_precision) == (datetime.date(2018, 5, 14), "day")
    assert Case.objects.filter(person__native_name="Оспанов Ерлан").count() == 1


def test_a_new_case_of_a_person_another_organisation_records_opens_their_conflict(
    host, coordinator, partner_user, partner_organisation
):
    # The import leaves the new cases of the people it creates out of the timeline rule
    # (nothing there to derive or to conflict with), never those of recorded people.
    host_case = case_with_status(
        person=PersonFactory(
            full_name="Vladimir Kozlov", birth_year=1960, owning_organisation=host
        ),
        organisation=host,
        status=Status.IMPRISONED,
        on=datetime.date(2016, 3, 30),
        source="European Parliament resolution",
        by=coordinator,
        confidentiality=Confidentiality.PUBLIC,
    )
    _, summary = import_file_run(
        data=(
            "ФИО,Год рождения,Статус,Дата освобождения\n"
            "Козлов Владимир Иванович,1960,Освобождён,2024-05-02\n"
            "Омарова Сауле,1971,Освобождена,2024-05-02\n"
        ).encode(),
        file_name="kibhr.csv",
        organisation=partner_organisation,
        user=partner_user,
    )

    assert summary["errors"] == [] and summary["new"] == 2, summary
    partner_case = Case.objects.get(
        person=host_case.person_id, owning_organisation=partner_organisation
    )
    conflict = StatusConflict.objects.get(closed_at__isnull=True)
    assert {conflict.first_case_id, conflict.second_case_id} == {host_case.pk, partner_case.pk}
