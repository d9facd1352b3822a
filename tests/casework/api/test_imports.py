"""Imports through the API: upload, a preview in the command line's JSON shape, confirm;
the file's errors by row and column, writing nothing; another organisation's runs 404."""

from __future__ import annotations

import contextlib
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from casework.models import Case, Confidentiality, ImportMatchDecision, ImportRun, Person
from config.celery import app as celery_app
from tests.casework.import_files import FILES
from tests.factories import CaseFactory, PersonFactory

GOOD = "partner_ru_cp1251.csv"
WITH_ERRORS = "partner_en_utf8_bom_errors.csv"


def _upload(client, name: str, data: bytes | None = None, **fields):
    data = (FILES / name).read_bytes() if data is None else data
    return client.post("/api/v1/imports/", {"file": SimpleUploadedFile(name, data), **fields})


def _confirm(client, run_id: int, **body):
    return client.post(
        f"/api/v1/imports/{run_id}/confirm/", json.dumps(body), content_type="application/json"
    )


def _command_json(name: str, organisation, user, capsys, *options: str) -> dict:
    # A file with errors exits 1 after printing its report.
    with contextlib.suppress(SystemExit):
        call_command(
            "import_cases",
            str(FILES / name),
            *options,
            organisation=organisation.slug,
            user=user.username,
            dry_run=True,
            format="json",
        )
    return json.loads(capsys.readouterr().out)


def test_a_partner_script_imports_a_file_whose_preview_is_the_command_s_json(
    api_as, partner_user, partner_organisation, capsys
):
    expected = _command_json(GOOD, partner_organisation, partner_user, capsys)
    client = api_as(partner_user)

    response = _upload(client, GOOD)

    assert response.status_code == 201, response.content
    run = response.json()
    assert run["state"] == "ready" and run["organisation"] == partner_organisation.pk
    assert run["preview"] == expected
    assert run["preview"]["new"] == 4
    assert Person.objects.count() == 0  # a preview writes nothing

    response = _confirm(client, run["id"])

    assert response.status_code == 200, response.content
    done = response.json()
    assert done["state"] == "done" and done["preview"]["new"] == 4
    cases = Case.objects.filter(owning_organisation=partner_organisation)
    assert sorted(done["created_cases"]) == sorted(cases.values_list("pk", flat=True))
    assert cases.count() == 4
    for case in cases:
        assert case.history.earliest().history_user == partner_user
    assert {person.history.earliest().history_user for person in Person.objects.all()} == {
        partner_user
    }
    assert client.get(f"/api/v1/imports/{run['id']}/").json()["state"] == "done"


def test_it_refuses_to_confirm_a_file_with_errors_naming_row_and_column(
    api_as, partner_user, partner_organisation, capsys
):
    expected = _command_json(WITH_ERRORS, partner_organisation, partner_user, capsys)
    client = api_as(partner_user)
    run = _upload(client, WITH_ERRORS).json()
    assert run["state"] == "checked" and run["preview"] == expected

    response = _confirm(client, run["id"])

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors[0] == {
        "field": None,
        "message": "Fix the errors shown in the preview before confirming.",
    }
    assert {
        "field": "row 3, column D (Detained on)",
        "message": "“31.02.2022” is not a valid date.",
    } in errors
    assert Person.objects.count() == 0 and Case.objects.count() == 0
    assert ImportRun.objects.get(pk=run["id"]).state == ImportRun.State.CHECKED


def test_it_imports_the_valid_rows_only_when_told_to_skip_the_others(
    api_as, partner_user, partner_organisation
):
    client = api_as(partner_user)
    run = _upload(client, WITH_ERRORS).json()

    response = _confirm(client, run["id"], skip_invalid=True)

    assert response.status_code == 200, response.content
    assert response.json()["preview"]["skipped"] == 2
    assert Case.objects.filter(owning_organisation=partner_organisation).count() == 1


def test_it_reads_a_status_word_given_for_the_file_as_the_command_line_does(
    api_as, partner_user, partner_organisation, capsys
):
    word = "под наблюдением=investigation"
    expected = _command_json(
        WITH_ERRORS, partner_organisation, partner_user, capsys, f"--status-word={word}"
    )
    run = _upload(api_as(partner_user), WITH_ERRORS, status_word=[word]).json()
    assert run["preview"] == expected
    assert [error["row"] for error in run["preview"]["errors"]] == [3]


def test_it_maps_a_column_by_its_letter(api_as, partner_user):
    run = _upload(api_as(partner_user), WITH_ERRORS, column=["F=", "D=released_on"]).json()
    columns = {column["column"]: column["field"] for column in run["preview"]["columns"]}
    assert columns["F"] is None and columns["D"] == "released_on"


@pytest.mark.parametrize(
    ("column", "field", "message"),
    [
        ("Z=summary", "column", "The file has no column Z."),
        ("A=", "column", "No column holds the “Full name”"),
        ("F=shoe_size", "column", "“shoe_size” is not a field of the import"),
        ("summary", "column", "“summary”: write it as LETTER=field."),
    ],
)
def test_it_refuses_a_column_mapping_it_cannot_use(api_as, partner_user, column, field, message):
    response = _upload(api_as(partner_user), WITH_ERRORS, column=[column])
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["field"] == field and message in error["message"]
    assert Person.objects.count() == 0


def test_it_refuses_a_file_it_cannot_read_and_writes_nothing(api_as, partner_user):
    response = _upload(api_as(partner_user), "empty.csv", b"")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "file", "message": "The submitted file is empty."}
    ]
    response = _upload(api_as(partner_user), "header.csv", b"Full name,Status\r\n")
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "file", "message": "The file has a header but no data rows."}
    ]
    assert Person.objects.count() == 0


def test_it_refuses_an_unknown_status_word_with_its_message(api_as, partner_user):
    response = _upload(api_as(partner_user), GOOD, status_word=["под наблюдением=maybe"])
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["field"] == "status_word" and "“maybe” is not a status" in error["message"]
    assert not ImportRun.objects.exists()


def test_it_answers_another_organisation_s_run_like_a_missing_one(
    api_as, partner_user, other_partner_user
):
    run = _upload(api_as(partner_user), GOOD).json()
    other = api_as(other_partner_user)
    for path in ("{}/", "{}/confirm/"):
        url = "/api/v1/imports/" + path.format(run["id"])
        missing_url = "/api/v1/imports/" + path.format(987654321)
        for method in ("get", "post"):
            got, missing = getattr(other, method)(url), getattr(other, method)(missing_url)
            assert (got.status_code, got.content) == (missing.status_code, missing.content)
            assert got.status_code in (404, 405)
    assert other.get("/api/v1/imports/").json()["results"] == []
    assert ImportRun.objects.get().state == ImportRun.State.READY
    assert Case.objects.count() == 0


def test_it_refuses_an_upload_with_a_read_only_token(api_as, partner_user):
    response = _upload(api_as(partner_user, can_write=False), GOOD)
    assert response.status_code == 403
    assert not ImportRun.objects.exists()


def test_a_read_only_token_reads_the_runs(api_as, partner_user):
    run = _upload(api_as(partner_user), GOOD).json()
    reader = api_as(partner_user, can_write=False)
    assert reader.get(f"/api/v1/imports/{run['id']}/").json()["preview"]["new"] == 4
    assert _confirm(reader, run["id"]).status_code == 403


def test_it_refuses_to_confirm_twice(api_as, partner_user):
    client = api_as(partner_user)
    run = _upload(client, GOOD).json()
    assert _confirm(client, run["id"]).status_code == 200
    response = _confirm(client, run["id"])
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": None, "message": "This import has already been confirmed."}
    ]
    assert Case.objects.count() == 4


@pytest.fixture
def eager_tasks():
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager


def test_a_large_file_is_checked_and_written_in_the_background(
    api_as, partner_user, settings, django_capture_on_commit_callbacks, eager_tasks
):
    settings.IMPORT_ASYNC_ROWS = 2  # this five-row file counts as large here
    client = api_as(partner_user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _upload(client, GOOD)
    assert response.status_code == 202
    planning = response.json()
    assert planning["state"] == "planning" and planning["preview"] is None
    assert client.get(f"/api/v1/imports/{planning['id']}/").status_code == 202
    assert _confirm(client, planning["id"]).json()["errors"][0]["message"] == (
        "The rows are still being checked: confirm once the preview is ready."
    )

    callbacks[0]()  # the commit happens: the task checks the file (eagerly here)

    ready = client.get(f"/api/v1/imports/{planning['id']}/")
    assert ready.status_code == 200 and ready.json()["preview"]["new"] == 4
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queued = _confirm(client, planning["id"])
    assert queued.status_code == 202 and queued.json()["state"] == "queued"
    callbacks[0]()
    done = client.get(f"/api/v1/imports/{planning['id']}/").json()
    assert done["state"] == "done" and len(done["created_cases"]) == 4


def test_a_host_coordinator_imports_for_a_partner_naming_the_organisation(
    api_as, coordinator, partner_organisation
):
    client = api_as(coordinator)
    assert _upload(client, GOOD).status_code == 400  # which organisation?
    response = _upload(client, GOOD, organisation=partner_organisation.pk)
    assert response.status_code == 201
    assert response.json()["organisation"] == partner_organisation.pk


@pytest.mark.parametrize("rows", [5, 500])
def test_it_lists_runs_in_a_bounded_number_of_queries(
    api_as, partner_user, partner_organisation, rows, django_assert_max_num_queries
):
    ImportRun.objects.bulk_create(
        ImportRun(
            organisation=partner_organisation,
            user=partner_user,
            file_name=f"file-{number}.csv",
            file_sha256="0" * 64,
        )
        for number in range(rows)
    )
    client = api_as(partner_user)
    with django_assert_max_num_queries(5):
        response = client.get("/api/v1/imports/", {"page_size": 50})
    assert len(response.json()["results"]) == min(rows, 50)
    assert response.json()["results"][0]["summary"]["new"] == 0


# --- Possible duplicates: the preview's questions and their answers ------------------------

NEAR_DUPLICATE = (
    "ФИО;Год рождения;Статус;Дата задержания\n"
    "Сейткали Даурен;1981;под стражей;12.03.2020\n"
    "Бекова Динара;1990;осуждена;01.02.2021\n"
).encode()


@pytest.fixture
def seitkali(host):
    person = PersonFactory(full_name="Dauren Seitkali", birth_year=1980, owning_organisation=host)
    CaseFactory(person=person, owning_organisation=host, confidentiality=Confidentiality.PUBLIC)
    return person


def _decide(client, run_id: int, *decisions: dict):
    return client.post(
        f"/api/v1/imports/{run_id}/decisions/",
        json.dumps({"decisions": list(decisions)}),
        content_type="application/json",
    )


def test_the_preview_lists_a_possible_duplicate_with_its_candidate(api_as, partner_user, seitkali):
    run = _upload(api_as(partner_user), "partner.csv", NEAR_DUPLICATE).json()

    assert run["preview"]["possible_duplicates"] == 1
    [row] = run["undecided_rows"]
    assert row["row"] == 2 and row["native_name"] == "Сейткали Даурен"
    assert [(one["id"], one["full_name"], one["birth_year"]) for one in row["candidates"]] == [
        (seitkali.pk, "Dauren Seitkali", 1980)
    ]
    assert set(row["candidates"][0]) == {"id", "full_name", "native_name", "birth_year", "score"}


def test_it_attaches_the_case_to_the_person_chosen_as_the_same(
    api_as, partner_user, partner_organisation, seitkali
):
    client = api_as(partner_user)
    run = _upload(client, "partner.csv", NEAR_DUPLICATE).json()

    response = _decide(client, run["id"], {"row": 2, "person": seitkali.pk})

    assert response.status_code == 200, response.content
    decided = response.json()
    assert decided["undecided_rows"] == [] and decided["preview"]["possible_duplicates"] == 0
    assert _confirm(client, run["id"]).json()["state"] == "done"
    case = Case.objects.get(owning_organisation=partner_organisation, person=seitkali)
    assert case.history.earliest().history_user == partner_user
    assert Person.objects.filter(full_name__icontains="seitkali").count() == 1
    decision = ImportMatchDecision.objects.get()
    assert (decision.person, decision.choice) == (seitkali, ImportMatchDecision.Choice.SAME)


def test_it_makes_a_new_person_when_told_the_row_is_nobody_on_file(
    api_as, partner_user, partner_organisation, seitkali
):
    client = api_as(partner_user)
    run = _upload(client, "partner.csv", NEAR_DUPLICATE).json()

    response = _decide(client, run["id"], {"row": 2, "person": "new"})

    assert response.status_code == 200, response.content
    assert response.json()["preview"]["new_people"] == 2
    assert _confirm(client, run["id"]).json()["preview"]["new"] == 2
    assert not Case.objects.filter(owning_organisation=partner_organisation, person=seitkali)
    assert Person.objects.filter(owning_organisation=partner_organisation).count() == 2
    decision = ImportMatchDecision.objects.get()
    assert (decision.person, decision.choice) == (seitkali, ImportMatchDecision.Choice.NEW)


@pytest.mark.parametrize(
    ("decision", "field", "message"),
    [
        (
            {"row": 2, "person": "other"},
            "row 2",
            "Person {other} is not one of this row’s candidates: give one of them, or “new”.",
        ),
        (
            {"row": 3, "person": "new"},
            "row 3",
            "This row asks no question about who the person is.",
        ),
        ({"row": 2}, "decisions", None),
        ({"row": True, "person": "new"}, "decisions", None),
    ],
)
def test_it_refuses_a_decision_it_cannot_take_naming_the_row_and_records_nothing(
    api_as, partner_user, seitkali, decision, field, message
):
    other = PersonFactory(
        full_name="Dauren Seitkaliev", owning_organisation=seitkali.owning_organisation
    )
    if decision.get("person") == "other":
        decision = {**decision, "person": other.pk}
        message = message.format(other=other.pk)
    client = api_as(partner_user)
    run = _upload(client, "partner.csv", NEAR_DUPLICATE).json()

    # A valid answer beside the wrong one is not recorded either.
    response = _decide(client, run["id"], decision, {"row": 2, "person": "new"})

    assert response.status_code == 400, response.content
    [error] = [error for error in response.json()["errors"] if error["field"] == field]
    assert message is None or error["message"] == message
    assert ImportRun.objects.get(pk=run["id"]).decisions == {}
    assert len(client.get(f"/api/v1/imports/{run['id']}/").json()["undecided_rows"]) == 1


def test_another_organisation_s_person_is_never_a_candidate(
    api_as, partner_user, other_partner_organisation
):
    hidden = PersonFactory(
        full_name="Dauren Seitkali", birth_year=1980, owning_organisation=other_partner_organisation
    )
    CaseFactory(person=hidden, owning_organisation=other_partner_organisation)
    client = api_as(partner_user)
    run = _upload(client, "partner.csv", NEAR_DUPLICATE).json()

    assert str(hidden.pk) not in json.dumps(run["undecided_rows"])
    response = _decide(client, run["id"], {"row": 2, "person": hidden.pk})

    assert response.status_code == 400
    assert Case.objects.filter(person=hidden).count() == 1


def test_it_refuses_decisions_on_a_confirmed_run(api_as, partner_user, seitkali):
    client = api_as(partner_user)
    run = _upload(client, "partner.csv", NEAR_DUPLICATE).json()
    _confirm(client, run["id"])

    response = _decide(client, run["id"], {"row": 2, "person": seitkali.pk})

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "This import has already been confirmed."


def test_a_large_file_s_questions_are_answered_once_its_preview_is_ready(
    api_as,
    partner_user,
    partner_organisation,
    seitkali,
    settings,
    eager_tasks,
    django_capture_on_commit_callbacks,
):
    settings.IMPORT_ASYNC_ROWS = 1  # this two-row file counts as large here
    client = api_as(partner_user)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = _upload(client, "partner.csv", NEAR_DUPLICATE).json()
    refused = _decide(client, run["id"], {"row": 2, "person": seitkali.pk})
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["message"] == (
        "The rows are still being checked: answer once the preview is ready."
    )
    callbacks[0]()
    ready = client.get(f"/api/v1/imports/{run['id']}/").json()
    assert [row["row"] for row in ready["undecided_rows"]] == [2]

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        decided = _decide(client, run["id"], {"row": 2, "person": seitkali.pk})
    assert decided.status_code == 202 and decided.json()["state"] == "planning"
    callbacks[0]()  # the preview is made again with the answer
    assert client.get(f"/api/v1/imports/{run['id']}/").json()["undecided_rows"] == []
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert _confirm(client, run["id"]).status_code == 202
    callbacks[0]()

    assert Case.objects.get(owning_organisation=partner_organisation, person=seitkali)


def test_it_refuses_a_status_word_holding_a_nul_naming_the_option(api_as, partner_user):
    # Found by hand: taken, and kept in the run's JSON, which PostgreSQL refuses (a 500).
    response = _upload(api_as(partner_user), GOOD, status_word=["под\x00наблюдением=released"])
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "status_word", "message": "Null characters are not allowed."}
    ]
    assert not ImportRun.objects.exists()


def test_it_refuses_a_list_for_skip_invalid_and_writes_nothing(api_as, partner_user):
    # Found by hand: [1] read as true, and the rows without errors were imported.
    client = api_as(partner_user)
    run = _upload(client, WITH_ERRORS).json()
    response = _confirm(client, run["id"], skip_invalid=[1])
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "skip_invalid", "message": "Send true or false."}
    ]
    assert not Case.objects.exists()
