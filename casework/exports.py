"""Exports of case lists to CSV and XLSX, and the cell cleaning every spreadsheet we
write must apply (the imports' error reports and the impact export reuse
`cell_escape_formula` and `xlsx_bytes`)."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db.models import Prefetch, QuerySet
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from casework.models import Case, Charge

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection);
# a leading apostrophe makes Excel and LibreOffice show it as text instead.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

EXPORT_CHUNK_SIZE = 500


def cell_escape_formula(value: Any) -> Any:
    r"""The value made safe for a spreadsheet cell: control characters removed, and a quote
    in front if a spreadsheet would read it as a formula.

    Names and passages pasted from PDFs and partner spreadsheets carry stray control
    characters (vertical tab, form feed, \x01...) that XLSX cannot hold (openpyxl raises
    IllegalCharacterError) and that CSV readers mangle. They go first, so that "\x01=cmd"
    cannot become a formula once they are gone. Idempotent: a cleaned value comes back as is.
    """
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def rows_escape_formulas(rows: Iterable[Sequence[Any]]) -> Iterator[list[Any]]:
    for row in rows:
        yield [cell_escape_formula(value) for value in row]


def case_export_columns(*, include_sensitive: bool) -> list[tuple[str, str]]:
    """(key, header) pairs; sensitive columns only for users who may see them."""
    columns = [
        ("reference", "Reference"),
        ("person", "Person"),
        ("native_name", "Native name"),
        ("birth_year", "Year of birth"),
        ("region", "Region"),
        ("occupation", "Occupation"),
        ("status", "Status"),
        ("status_since", "Status since"),
        ("charges", "Charges"),
        ("detention_place", "Detention place"),
        ("detained_on", "Detained on"),
        ("sentenced_on", "Sentenced on"),
        ("sentence", "Sentence"),
        ("expected_release_on", "Expected release"),
        ("released_on", "Released on"),
        ("concerns", "Concerns"),
        ("confidentiality", "Confidentiality"),
        ("owning_organisation", "Owning organisation"),
        ("assigned_caseworker", "Assigned caseworker"),
        ("summary", "Summary"),
    ]
    if include_sensitive:
        columns += [
            ("sources", "Sources"),
            ("health_notes", "Health notes"),
            ("family_contacts", "Family contacts"),
        ]
    return columns


def _case_values(case: Case) -> dict[str, Any]:
    person = case.person
    caseworker = case.assigned_caseworker
    return {
        "reference": case.reference,
        "person": person.full_name,
        "native_name": person.native_name,
        "birth_year": person.year_of_birth,
        "region": person.region,
        "occupation": person.get_occupation_display() if person.occupation else "",
        "status": case.get_status_display(),
        "status_since": case.status_since,
        "charges": "; ".join(str(charge) for charge in case.charges.all()),
        "detention_place": case.detention_place.name if case.detention_place else "",
        "detained_on": case.detained_on,
        "sentenced_on": case.sentenced_on,
        "sentence": case.sentence,
        "expected_release_on": case.expected_release_on,
        "released_on": case.released_on,
        "concerns": "; ".join(case.concerns),
        "confidentiality": case.confidentiality,
        "owning_organisation": case.owning_organisation.name,
        "assigned_caseworker": (caseworker.get_full_name() or caseworker.username)
        if caseworker
        else "",
        "summary": case.summary,
        "sources": case.sources,
        "health_notes": case.health_notes,
        "family_contacts": person.family_contacts,
    }


def cases_export_rows(*, cases: QuerySet[Case], include_sensitive: bool) -> Iterator[list[Any]]:
    """The header, then one escaped row per case, read from the database in chunks."""
    columns = case_export_columns(include_sensitive=include_sensitive)
    yield [header for _, header in columns]
    cases = cases.select_related(
        "person", "owning_organisation", "assigned_caseworker", "detention_place"
    ).prefetch_related(Prefetch("charges", queryset=Charge.objects.order_by("article", "part")))
    if not include_sensitive:
        # Never even load what the user may not see.
        cases = cases.defer(*Case.SENSITIVE_FIELDS, "person__family_contacts")
    for case in cases.iterator(chunk_size=EXPORT_CHUNK_SIZE):
        values = _case_values_safe(case, include_sensitive=include_sensitive)
        yield [cell_escape_formula(values[key]) for key, _ in columns]


def _case_values_safe(case: Case, *, include_sensitive: bool) -> dict[str, Any]:
    if include_sensitive:
        return _case_values(case)
    # Deferred fields would load on access; blank them so nothing sensitive is fetched.
    for name in Case.SENSITIVE_FIELDS:
        case.__dict__[name] = ""
    case.person.__dict__["family_contacts"] = ""
    return _case_values(case)


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def csv_stream(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # A byte-order mark so Excel opens UTF-8 Cyrillic names correctly.
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([_csv_value(value) for value in row])


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def xlsx_bytes(rows: Iterable[Sequence[Any]], *, sheet_title: str = "Cases") -> bytes:
    """A one-sheet workbook; see xlsx_sheets_bytes."""
    return xlsx_sheets_bytes([(sheet_title, rows)])


def xlsx_sheets_bytes(sheets: Iterable[tuple[str, Iterable[Sequence[Any]]]]) -> bytes:
    """A write-only workbook, so memory stays flat however many rows there are. Every text
    cell is cleaned here as well, so no caller can write a formula or a character that
    would make openpyxl refuse the whole file."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title=title)
        for row in rows:
            sheet.append(["" if value is None else cell_escape_formula(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
