import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from casework.models import Confidentiality, RestrictedCaseView, Status
from tests.factories import CaseFactory, PersonFactory, cases_bulk_create, people_bulk_create


def _csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_it_exports_exactly_the_filtered_cases_to_csv(client_as_caseworker, host):
    CaseFactory(person=PersonFactory(full_name="Kept Imprisoned"), status=Status.IMPRISONED)
    CaseFactory(person=PersonFactory(full_name="=cmd|' /C calc'!A0"), status=Status.IMPRISONED)
    CaseFactory(
        person=PersonFactory(full_name="Left Out Released"),
        status=Status.RELEASED,
        detained_on=None,
    )
    response = client_as_caseworker.get("/cases/export.csv", {"status": "imprisoned"})
    rows = _csv_rows(response)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    names = sorted(row[1] for row in rows[1:])
    assert names == ["'=cmd|' /C calc'!A0", "Kept Imprisoned"]


def test_it_exports_the_filtered_cases_to_xlsx_with_formulas_escaped(client_as_caseworker, host):
    CaseFactory(person=PersonFactory(full_name="Алмат Жумагулов"), sentence="=1+1")
    CaseFactory(person=PersonFactory(full_name="Someone Else"))
    response = client_as_caseworker.get("/cases/export.xlsx", {"q": "Жумагулов"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    header, row = rows
    assert row[header.index("Person")] == "Алмат Жумагулов"
    assert row[header.index("Sentence")] == "'=1+1"


def test_it_leaves_sensitive_columns_out_of_a_partner_export(
    client_as_partner, partner_organisation
):
    CaseFactory(
        owning_organisation=partner_organisation,
        person=PersonFactory(
            owning_organisation=partner_organisation, family_contacts="Sister phone"
        ),
        sources="Secret source",
        health_notes="Diabetes",
    )
    rows = _csv_rows(client_as_partner.get("/cases/export.csv"))
    flat = " ".join(" ".join(row) for row in rows)
    assert len(rows) == 2
    assert "Sources" not in rows[0]
    assert "Family contacts" not in rows[0]
    assert "Secret source" not in flat and "Diabetes" not in flat and "Sister phone" not in flat


def test_it_includes_sensitive_columns_for_host_staff(client_as_caseworker, host):
    CaseFactory(sources="Lawyer call")
    rows = _csv_rows(client_as_caseworker.get("/cases/export.csv"))
    assert rows[1][rows[0].index("Sources")] == "Lawyer call"


def test_it_exports_only_cases_the_partner_may_see(client_as_partner, host, partner_organisation):
    CaseFactory(owning_organisation=host, person=PersonFactory(full_name="Host Internal"))
    CaseFactory(
        owning_organisation=partner_organisation,
        person=PersonFactory(full_name="Partner Own", owning_organisation=partner_organisation),
    )
    rows = _csv_rows(client_as_partner.get("/cases/export.csv"))
    assert [row[1] for row in rows[1:]] == ["Partner Own"]


@pytest.mark.parametrize("number", [5, 300])
def test_it_exports_in_a_bounded_number_of_queries(
    client_as_caseworker, host, number, django_assert_max_num_queries
):
    cases_bulk_create(people=people_bulk_create(count=number, organisation=host), organisation=host)
    client_as_caseworker.get("/cases/")
    with django_assert_max_num_queries(12):
        response = client_as_caseworker.get("/cases/export.xlsx")
    assert load_workbook(io.BytesIO(response.content)).active.max_row == number + 1


def test_it_exports_names_and_notes_with_control_characters_to_xlsx(client_as_caseworker, host):
    CaseFactory(
        person=PersonFactory(full_name="Almat\x0b Zhumagulov"),
        sentence="7 years\x01",
        summary="pasted from a PDF\x0b\x0cpage 2",
    )
    response = client_as_caseworker.get("/cases/export.xlsx")
    assert response.status_code == 200
    header, row = load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    assert row[header.index("Person")] == "Almat Zhumagulov"
    assert row[header.index("Sentence")] == "7 years"
    assert row[header.index("Summary")] == "pasted from a PDFpage 2"
    csv_row = _csv_rows(client_as_caseworker.get("/cases/export.csv"))[1]
    assert csv_row[1] == "Almat Zhumagulov"


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_the_export_keeps_the_lists_sort_order(client_as_caseworker, host, extension):
    for name in ("Bolat Middle", "Aigul First", "Zara Last"):
        CaseFactory(person=PersonFactory(full_name=name))
    response = client_as_caseworker.get(f"/cases/export.{extension}", {"sort": "-name"})
    if extension == "csv":
        names = [row[1] for row in _csv_rows(response)[1:]]
    else:
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        names = [row[1] for row in rows[1:]]
    assert names == ["Zara Last", "Bolat Middle", "Aigul First"]


def test_an_export_logs_every_restricted_case_in_the_file(client_as_caseworker, caseworker, host):
    restricted = CaseFactory.create_batch(
        3,
        owning_organisation=host,
        confidentiality=Confidentiality.RESTRICTED,
        assigned_caseworker=caseworker,
    )
    CaseFactory(owning_organisation=host, confidentiality=Confidentiality.INTERNAL)
    response = client_as_caseworker.get("/cases/export.csv", {"sort": "reference"})
    assert len(_csv_rows(response)) == 5
    logged = RestrictedCaseView.objects.filter(user=caseworker)
    assert sorted(logged.values_list("case_id", flat=True)) == sorted(c.pk for c in restricted)
    assert set(logged.values_list("path", flat=True)) == {"/cases/export.csv?sort=reference"}


# What an independent probe sent (issue 14): invalid filters, and name searches with no
# searchable part. The list and both exports must give the same answer, never a 500.
BAD_FILTERS = [
    {"status": "bogus"},
    {"detained_from": "x"},
    {"organisation": "999"},
    {"caseworker": "not-a-colleague"},
    {"sort": "x"},
    {"charge": "abc"},
    {"q": "-"},
    {"q": "%"},
    {"q": "_"},
    {"q": "\\"},
    {"q": "(a+)+$"},
    {"q": "\U0001f600"},
    {"q": "\u202e"},
]


@pytest.mark.parametrize("query", BAD_FILTERS, ids=lambda query: repr(query))
@pytest.mark.parametrize("path", ["/cases/", "/cases/export.csv", "/cases/export.xlsx"])
def test_a_bad_filter_gives_the_same_answer_on_the_list_and_the_exports(
    client_as_caseworker, caseworker, host, other_partner_user, path, query
):
    case = CaseFactory(
        owning_organisation=host,
        confidentiality=Confidentiality.RESTRICTED,
        assigned_caseworker=caseworker,
        person=PersonFactory(full_name="Almat Zhumagulov"),
    )
    if query.get("caseworker") == "not-a-colleague":
        query = {"caseworker": str(other_partner_user.pk)}
    response = client_as_caseworker.get(path, query)
    assert response.status_code == 200
    if path.endswith(".csv"):
        rows = _csv_rows(response)
    elif path.endswith(".xlsx"):
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    else:
        rows = None
    listed = case.reference in response.text if rows is None else None
    exported = None if rows is None else any(case.reference in row for row in rows[1:])
    # An invalid filter empties the list; the file says the same.
    assert not (listed or exported)


def test_it_names_the_xlsx_sheet_in_the_readers_language(client_as_caseworker, caseworker, host):
    from casework.models import Membership

    CaseFactory(owning_organisation=host)
    Membership.objects.filter(user=caseworker).update(language="ru")
    response = client_as_caseworker.get("/cases/export.xlsx")
    assert load_workbook(io.BytesIO(response.content)).active.title == "Дела"


def test_it_exports_the_date_charged_beside_the_other_dates_of_the_case(client_as_caseworker, host):
    CaseFactory(
        detained_on=datetime.date(2021, 1, 5),
        charged_on=datetime.date(2021, 2, 1),
        charged_on_precision="month",
    )
    header, row = _csv_rows(client_as_caseworker.get("/cases/export.csv"))
    exported = dict(zip(header, row, strict=True))
    assert header.index("Charged on") == header.index("Detained on") + 1
    assert exported["Charged on"] == "February 2021"


def test_it_exports_the_other_names_of_the_person(client_as_caseworker, host):
    person = PersonFactory(full_name="Yerzhan Seitkali", owning_organisation=host)
    for name in ("Ержан Сейткали", "Erjan Seitkali"):
        person.aliases.create(name=name)
    CaseFactory(person=person, owning_organisation=host)
    header, row = _csv_rows(client_as_caseworker.get("/cases/export.csv"))
    exported = dict(zip(header, row, strict=True))
    assert exported["Other names"] == "Erjan Seitkali; Ержан Сейткали"


def test_it_exports_a_date_known_to_the_month_or_year_as_such(client_as_caseworker, host):
    CaseFactory(
        person=PersonFactory(full_name="Nurlan O'Connor", birth_year=1984),
        detained_on=datetime.date(2021, 1, 1),
        detained_on_precision="year",
        released_on=datetime.date(2022, 3, 1),
        released_on_precision="month",
        sentenced_on=datetime.date(2021, 6, 15),
        status=Status.RELEASED,
    )
    header, row = _csv_rows(client_as_caseworker.get("/cases/export.csv"))
    exported = dict(zip(header, row, strict=True))
    assert (exported["Detained on"], exported["Released on"]) == ("in 2021", "March 2022")
    assert exported["Sentenced on"] == "2021-06-15"
