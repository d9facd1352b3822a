"""The impact table of a document as CSV and XLSX, with its summary figures.

Names and passages come from outside (partner spreadsheets, pasted texts); the writers of
common.spreadsheets clean every cell (formula escaping, control characters XLSX cannot hold).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from advocacy.impact import DocumentImpact
from casework.partial_dates import partial_date_cell
from common.spreadsheets import csv_bytes, xlsx_sheets_bytes

# Lazy: a file is written in the language of the user who downloads it.
IMPACT_HEADER = [
    gettext_lazy("Person"),
    gettext_lazy("Native name"),
    gettext_lazy("Case reference"),
    gettext_lazy("Status on the document's date"),
    gettext_lazy("Status today"),
    gettext_lazy("Release date"),
    gettext_lazy("Days from document to release"),
    gettext_lazy("Released since"),
    gettext_lazy("Demands"),
    gettext_lazy("Passage"),
]


def impact_summary_rows(*, impact: DocumentImpact) -> list[Sequence[object]]:
    """The figures advocates quote (the same ones the document page shows), with what they
    are about, so a file forwarded on its own still says which document and which date."""
    document = impact.document
    return [
        [_("Document"), document.title],
        [_("Reference"), document.reference],
        [_("Date"), partial_date_cell(document.issued_on, document.issued_on_precision)],
        [_("People named"), impact.named],
        [_("Cases named"), impact.cases_named],
        [_("Released since"), impact.released_since],
        [_("Still detained"), impact.still_detained],
        [_("Died"), impact.died],
        [
            _("Counted among"),
            _(
                "cases the exporting user may see; each person once, by the most recent dated "
                "status of their cases"
            ),
        ],
    ]


def impact_export_rows(*, impact: DocumentImpact) -> list[Sequence[object]]:
    rows: list[Sequence[object]] = [[str(title) for title in IMPACT_HEADER]]
    for row in impact.rows:
        rows.append(
            [
                row.person.full_name,
                row.person.native_name,
                row.case.reference,
                row.status_on_document_date_label,
                row.status_today_label,
                row.released_on,
                row.days_to_release if row.days_to_release is not None else row.time_to_release,
                _("yes") if row.released_since else _("no"),
                ", ".join(row.mention.demands),
                row.mention.passage,
            ]
        )
    return rows


def impact_export_csv(*, impact: DocumentImpact) -> bytes:
    """The summary block, an empty line, then the table with its header."""
    return csv_bytes([*impact_summary_rows(impact=impact), [], *impact_export_rows(impact=impact)])


def impact_export_xlsx(*, impact: DocumentImpact) -> bytes:
    """The table on the first sheet, so it stays a plain table a spreadsheet can sort and
    filter; the figures on a second sheet."""
    return xlsx_sheets_bytes(
        [
            (_("Impact"), impact_export_rows(impact=impact)),
            (pgettext("a spreadsheet of figures", "Summary"), impact_summary_rows(impact=impact)),
        ]
    )
