"""The impact table of a document as CSV and XLSX, with its summary figures.

Names and passages come from outside (partner spreadsheets, pasted texts), so every cell
goes through the cleaning that the case-list export uses (casework.exports): formula
escaping and removal of the control characters XLSX cannot hold.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from advocacy.impact import DocumentImpact
from casework.exports import cell_escape_formula, xlsx_sheets_bytes

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


def impact_summary_rows(*, impact: DocumentImpact) -> list[list[object]]:
    """The figures advocates quote (the same ones the document page shows), with what they
    are about, so a file forwarded on its own still says which document and which date."""
    document = impact.document
    return [
        ["Document", document.title],
        ["Reference", document.reference],
        ["Date", document.issued_on],
        ["People named", impact.named],
        ["Cases named", impact.cases_named],
        ["Released since", impact.released_since],
        ["Still detained", impact.still_detained],
        ["Died", impact.died],
        [
            "Counted among",
            "cases the exporting user may see; each person once, by the most recent dated "
            "status of their cases",
        ],
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
    """The summary block, an empty line, then the table with its header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in impact_summary_rows(impact=impact):
        writer.writerow([_csv_cell(value) for value in row])
    writer.writerow([])
    for row in impact_export_rows(impact=impact):
        writer.writerow([_csv_cell(value) for value in row])
    # A byte-order mark so Excel opens Cyrillic names as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def impact_export_xlsx(*, impact: DocumentImpact) -> bytes:
    """The table on the first sheet, so it stays a plain table a spreadsheet can sort and
    filter; the figures on a second sheet."""
    return xlsx_sheets_bytes(
        [
            ("Impact", impact_export_rows(impact=impact)),
            ("Summary", impact_summary_rows(impact=impact)),
        ]
    )
