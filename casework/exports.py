"""The case list's CSV and XLSX export: the rows of casework.resources.CaseExportResource
(the columns are declared there once, for this page and the admin), written by
common.spreadsheets."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from casework.models import Case

# The spreadsheet writers live in common.spreadsheets; these names stay importable from
# here for the callers not yet pointed there (casework.importing.values, the import views).
from common.spreadsheets import (
    FORMULA_TRIGGERS,
    cell_escape_formula,
    csv_stream,
    rows_escape_formulas,
    xlsx_bytes,
    xlsx_sheets_bytes,
)

__all__ = [
    "FORMULA_TRIGGERS",
    "cases_export_rows",
    "cell_escape_formula",
    "csv_stream",
    "rows_escape_formulas",
    "xlsx_bytes",
    "xlsx_sheets_bytes",
]


def cases_export_rows(*, cases: QuerySet[Case], include_sensitive: bool) -> Iterator[list[Any]]:
    """The header, then one cleaned row per case, read from the database in chunks, with
    dates and numbers as such (the XLSX keeps them typed; the CSV writes ISO dates)."""
    # Imported here, not at the top: casework.resources loads import_export (and tablib),
    # which the URLconf, and so every reverse() of a worker, need not (config/urls.py).
    from casework.resources import CaseExportResource

    resource = CaseExportResource(include_sensitive=include_sensitive)
    yield resource.get_export_headers()
    for case in resource.iter_queryset(resource.filter_export(cases)):
        yield resource.export_resource(case, force_native_type=True)
