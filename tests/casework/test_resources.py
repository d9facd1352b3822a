import csv
import datetime
import io

import pytest
import tablib
from openpyxl import load_workbook

from casework.models import Affiliation, Charge, DetentionPlace
from casework.resources import (
    AffiliationResource,
    CaseExportResource,
    ChargeResource,
    DetentionPlaceResource,
)
from tests.factories import CaseFactory, ChargeFactory, PersonFactory


def _imported(resource, rows: list[dict]):
    dataset = tablib.Dataset(headers=list(rows[0]))
    for row in rows:
        dataset.append(list(row.values()))
    return resource.import_data(dataset, dry_run=False, raise_errors=False)


def test_it_exports_charges_and_imports_them_back_with_an_edit_and_a_new_row(db):
    ChargeFactory(article="174", part="1", title="Inciting social discord")
    exported = ChargeResource().export()
    assert exported.headers == ["jurisdiction", "code", "article", "part", "title", "title_ru"]
    rows = [dict(zip(exported.headers, row, strict=True)) for row in exported]
    rows[0]["title"] = "Inciting social, national or religious discord"
    rows.append({**rows[0], "article": "405", "part": "", "title": "Banned organisation"})
    result = _imported(ChargeResource(), rows)
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["update"] == 1 and result.totals["new"] == 1
    edited = Charge.objects.get(article="174", part="1")
    assert edited.title == "Inciting social, national or religious discord"
    assert edited.history.count() == 2  # created, then changed by the import
    assert Charge.objects.filter(article="405").exists()


def test_it_escapes_a_formula_on_export_and_takes_the_escape_off_on_import(db):
    DetentionPlace.objects.create(name='=HYPERLINK("http://x")', region="Almaty")
    exported = DetentionPlaceResource().export()
    assert exported[0][0] == '\'=HYPERLINK("http://x")'
    rows = [dict(zip(exported.headers, exported[0], strict=True))]
    rows[0]["region"] = "Almaty region"
    result = _imported(DetentionPlaceResource(), rows)
    assert result.totals["update"] == 1
    place = DetentionPlace.objects.get()
    assert place.name == '=HYPERLINK("http://x")'
    assert place.region == "Almaty region"


def test_it_reports_an_invalid_vocabulary_row_and_writes_nothing_for_it(db):
    result = _imported(
        AffiliationResource(),
        [
            {"name": "Koshe Party", "slug": "koshe", "kind": "party"},
            {"name": "Nameless kind", "slug": "nameless", "kind": "not-a-kind"},
        ],
    )
    assert result.has_validation_errors()
    assert [row.number for row in result.invalid_rows] == [2]
    assert not Affiliation.objects.filter(slug="nameless").exists()


def _csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize(
    ("client_fixture", "include_sensitive"),
    [("client_as_caseworker", True), ("client_as_partner", False)],
)
def test_the_case_list_export_has_the_resources_columns(request, client_fixture, include_sensitive):
    client = request.getfixturevalue(client_fixture)
    header = _csv_rows(client.get("/cases/export.csv"))[0]
    resource = CaseExportResource(include_sensitive=include_sensitive)
    assert header == resource.get_export_headers()
    assert ("Sources" in header) is include_sensitive


def test_the_xlsx_export_keeps_dates_and_years_typed(client_as_caseworker, host):
    CaseFactory(
        person=PersonFactory(full_name="Almat Zhumagulov", birth_year=1980),
        detained_on=datetime.date(2021, 3, 4),
    )
    response = client_as_caseworker.get("/cases/export.xlsx")
    header, row = load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    assert row[header.index("Detained on")] == datetime.datetime(2021, 3, 4)
    assert row[header.index("Year of birth")] == 1980


def test_the_admin_export_of_cases_leaves_sensitive_columns_out_and_escapes_formulas(host):
    CaseFactory(person=PersonFactory(full_name="=cmd|' /C calc'!A0"), sources="Lawyer")
    dataset = CaseExportResource(include_sensitive=False).export()
    assert "Sources" not in dataset.headers and "Family contacts" not in dataset.headers
    assert dataset[0][dataset.headers.index("Person")] == "'=cmd|' /C calc'!A0"
    assert "Lawyer" not in dataset.csv


def test_the_export_writes_the_confidentiality_in_the_readers_language(
    client_as_caseworker, caseworker, host
):
    from casework.models import Confidentiality, Membership

    CaseFactory(owning_organisation=host, confidentiality=Confidentiality.PUBLIC)
    Membership.objects.filter(user=caseworker).update(language="ru")
    header, row = _csv_rows(client_as_caseworker.get("/cases/export.csv"))
    assert row[header.index("Конфиденциальность")] == "Открытое — все вошедшие пользователи"
