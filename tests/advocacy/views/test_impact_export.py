"""A document's impact export (/documents/<id>/impact.csv, .xlsx)."""

from __future__ import annotations

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from casework.models import Confidentiality, Status
from tests.factories import (
    CaseFactory,
    MentionFactory,
    PersonFactory,
)


def test_it_exports_the_impact_table_with_formulas_escaped(client_as_caseworker, resolution):
    case = CaseFactory(
        person=PersonFactory(full_name='=HYPERLINK("http://evil")'),
        confidentiality=Confidentiality.PUBLIC,
    )
    MentionFactory(document=resolution, case=case)
    csv_response = client_as_caseworker.get(
        reverse("document_impact_export", args=[resolution.pk, "csv"])
    )
    assert csv_response.status_code == 200
    assert "attachment" in csv_response["Content-Disposition"]
    assert "'=HYPERLINK" in csv_response.content.decode("utf-8-sig")
    xlsx_response = client_as_caseworker.get(
        reverse("document_impact_export", args=[resolution.pk, "xlsx"])
    )
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    assert sheet["A1"].value == "Person"
    assert sheet["A2"].value.startswith("'=")
    assert (
        client_as_caseworker.get(
            reverse("document_impact_export", args=[resolution.pk, "pdf"])
        ).status_code
        == 404
    )


def test_it_exports_the_impact_summary_figures_with_the_table(
    client_as_caseworker, resolution, named_case
):
    detained = CaseFactory(
        person=PersonFactory(full_name="Aset Abishev"),
        confidentiality=Confidentiality.PUBLIC,
        status=Status.IMPRISONED,
    )
    MentionFactory(document=resolution, case=detained)
    csv_text = client_as_caseworker.get(
        reverse("document_impact_export", args=[resolution.pk, "csv"])
    ).content.decode("utf-8-sig")
    summary, table = csv_text.split("\r\n\r\n", 1)
    summary_rows = dict(csv.reader(io.StringIO(summary)))
    assert summary_rows["Reference"] == "P9_TA(2021)0056"
    assert summary_rows["Date"] == "2021-02-11"
    assert (summary_rows["People named"], summary_rows["Released since"]) == ("2", "1")
    assert (summary_rows["Still detained"], summary_rows["Died"]) == ("1", "0")
    assert table.startswith("Person,")

    workbook = load_workbook(
        io.BytesIO(
            client_as_caseworker.get(
                reverse("document_impact_export", args=[resolution.pk, "xlsx"])
            ).content
        )
    )
    assert workbook.sheetnames == ["Impact", "Summary"]
    assert workbook["Impact"]["A1"].value == "Person"
    figures = {row[0]: row[1] for row in workbook["Summary"].iter_rows(values_only=True)}
    assert (figures["People named"], figures["Released since"]) == (2, 1)
    assert (figures["Still detained"], figures["Died"]) == (1, 0)


def test_it_exports_a_passage_with_control_characters_to_xlsx(client_as_caseworker, resolution):
    case = CaseFactory(
        person=PersonFactory(full_name="Aigul\x0b Utepova"), confidentiality=Confidentiality.PUBLIC
    )
    MentionFactory(document=resolution, case=case, passage="calls for\x01 her release")
    response = client_as_caseworker.get(
        reverse("document_impact_export", args=[resolution.pk, "xlsx"])
    )
    assert response.status_code == 200
    header, row = load_workbook(io.BytesIO(response.content))["Impact"].iter_rows(values_only=True)
    assert row[header.index("Person")] == "Aigul Utepova"
    assert row[header.index("Passage")] == "calls for her release"


def test_the_impact_export_logs_the_restricted_cases_it_contains(
    client_as_coordinator, coordinator, resolution, restricted_case, named_case
):
    from casework.models import RestrictedCaseView

    response = client_as_coordinator.get(
        reverse("document_impact_export", args=[resolution.pk, "csv"])
    )
    assert "Hidden Prisoner Restricted" in response.content.decode("utf-8-sig")
    assert "no-store" in response["Cache-Control"]
    assert list(
        RestrictedCaseView.objects.filter(user=coordinator).values_list("case_id", flat=True)
    ) == [restricted_case.pk]
