"""The impact table of a document as CSV and XLSX.

Names and passages come from outside (partner spreadsheets, pasted texts), so every cell
goes through the formula escaping that the case-list export uses.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import Workbook

from advocacy.impact import DocumentImpact
from casework.exports import cell_escape_formula

IMPACT_HEADER = [
    "Person",
    "Native name",
    "Case reference",
    "Status on the document's date",
    "Status today",
    "Release date",
    "Days from document to release",
    "Released since",
    "Demands",
    "Passage",
]


def impact_export_rows(*, impact: DocumentImpact) -> list[list[object]]:
    rows: list[list[object]] = [IMPACT_HEADER]
    for row in impact.rows:
        rows.append(
            [
                row.person.full_name,
                row.person.native_name,
                row.case.reference,
                row.status_on_document_date_label,
                row.status_today_label,
                row.released_on,
                row.days_to_release,
                "yes" if row.released_since else "no",
                ", ".join(row.mention.demands),
                row.mention.passage,
            ]
        )
    return rows


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return cell_escape_formula(value)


def impact_export_csv(*, impact: DocumentImpact) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in impact_export_rows(impact=impact):
        writer.writerow([_csv_cell(value) for value in row])
    # A byte-order mark so Excel opens Cyrillic names as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def impact_export_xlsx(*, impact: DocumentImpact) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Impact"
    for row in impact_export_rows(impact=impact):
        sheet.append([cell_escape_formula(value) for value in row])
    for cell in sheet["F"][1:]:
        cell.number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
