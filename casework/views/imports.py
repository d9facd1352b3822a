"""Partner spreadsheet import pages: upload -> mapping -> preview -> confirm -> result, the
history, error reports and the template. Thin: every rule lives in casework.importing."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework.exports import csv_stream, rows_escape_formulas, xlsx_bytes
from casework.importing.forms import ImportMappingForm, ImportUploadForm
from casework.importing.mapping import column_letter, mapping_validate
from casework.importing.matching import ERROR, NEW, POSSIBLE_DUPLICATE, UNCHANGED, UPDATE
from casework.importing.parsing import ImportFileError
from casework.importing.runs import (
    import_organisations_for,
    import_run_confirm,
    import_run_create,
    import_run_preview,
    import_run_progress,
    import_run_set_mapping,
    import_runs_visible_to,
)
from casework.importing.template import import_template_xlsx as template_bytes
from casework.models import ImportRun, Status

PREVIEW_ROWS_SHOWN = 500
OUTCOME_LABELS = {
    NEW: "New",
    UPDATE: "Update",
    UNCHANGED: "Unchanged",
    POSSIBLE_DUPLICATE: "Possible duplicate",
    ERROR: "Error",
}


def _run_for(request: HttpRequest, pk: int) -> ImportRun:
    return get_object_or_404(import_runs_visible_to(request.user), pk=pk)


def _organisations(request: HttpRequest):
    organisations = import_organisations_for(request.user)
    if not organisations.exists():
        raise PermissionDenied("You belong to no organisation and cannot import.")
    return organisations


@login_required
@require_GET
def import_list(request: HttpRequest) -> HttpResponse:
    runs = import_runs_visible_to(request.user)[:200]
    return render(request, "casework/imports/list.html", {"runs": runs})


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    organisations = _organisations(request)
    form = ImportUploadForm(
        request.POST or None, request.FILES or None, organisations=organisations
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        run = import_run_create(
            data=upload.read(),
            file_name=upload.name,
            organisation=form.cleaned_data["organisation"],
            user=request.user,
        )
        if run.state == ImportRun.State.FAILED:
            messages.error(request, f"The file was refused: {run.errors[0]['message']}")
            return redirect("import_detail", pk=run.pk)
        return redirect("import_mapping", pk=run.pk)
    return render(
        request,
        "casework/imports/start.html",
        {"form": form, "max_mb": settings.IMPORT_MAX_BYTES // 1_048_576},
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_for(request, pk)
    if run.state not in (ImportRun.State.UPLOADED, ImportRun.State.READY):
        return redirect("import_detail", pk=run.pk)
    form = ImportMappingForm(request.POST or None, headers=run.headers, mapping=run.mapping)
    error = ""
    if request.method == "GET":
        try:
            mapping_validate(headers=run.headers, mapping=run.mapping)
        except ImportFileError as refusal:
            error = str(refusal)
    if request.method == "POST" and form.is_valid():
        try:
            import_run_set_mapping(run=run, mapping=form.mapping())
        except ImportFileError as refusal:
            error = str(refusal)
        else:
            return redirect("import_preview", pk=run.pk)
    columns = [
        {"letter": column_letter(index), "field": form[f"column_{index}"]}
        for index in range(len(run.headers))
    ]
    return render(
        request,
        "casework/imports/mapping.html",
        {"run": run, "form": form, "columns": columns, "error": error},
    )


def _row_display(row) -> dict:
    values = row.values
    changes = [
        f"{key.replace('_id', '').replace('_', ' ')}: {old or '—'} → {new}"
        for key, (old, new) in {**row.person_changes, **row.case_changes}.items()
    ]
    changes += [f"charge added: art. {ref.article}" + (f" part {ref.part}" if ref.part else "")
                for ref in row.charges_added]  # fmt: skip
    return {
        "row": row.row,
        "outcome": row.outcome,
        "outcome_label": OUTCOME_LABELS[row.outcome],
        "full_name": values.get("full_name", ""),
        "native_name": values.get("native_name", ""),
        "birth_year": values.get("birth_year"),
        "region": values.get("region", ""),
        "status": Status(values["status"]).label if values.get("status") else "",
        "errors": row.errors,
        "changes": changes,
        "note": row.note,
        "candidate": row.candidate,
        "existing": bool(row.person_id),
    }


@login_required
@require_GET
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_for(request, pk)
    if run.state not in (ImportRun.State.UPLOADED, ImportRun.State.READY):
        return redirect("import_detail", pk=run.pk)
    plan = import_run_preview(run=run, user=request.user)
    rows = [_row_display(row) for row in plan.rows] if plan else []
    shown = [
        row
        for position, row in enumerate(rows)
        if position < PREVIEW_ROWS_SHOWN or row["outcome"] in (ERROR, POSSIBLE_DUPLICATE)
    ]
    return render(
        request,
        "casework/imports/preview.html",
        {
            "run": run,
            "rows": shown,
            "rows_hidden": len(rows) - len(shown),
            "duplicates": [row for row in rows if row["outcome"] == POSSIBLE_DUPLICATE],
            "async_threshold": settings.IMPORT_ASYNC_ROWS,
        },
    )


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_for(request, pk)
    decisions = {}
    for name, value in request.POST.items():
        if not name.startswith("decision_") or value not in ("same", "new"):
            continue
        row = name.removeprefix("decision_")
        try:
            person_id = int(request.POST.get(f"candidate_{row}", ""))
        except ValueError:
            continue
        decisions[row] = {"choice": value, "person_id": person_id}
    if decisions:
        # The choices change the plan: show the preview again with them applied.
        if run.state in (ImportRun.State.UPLOADED, ImportRun.State.READY):
            ImportRun.objects.filter(pk=run.pk).update(decisions={**run.decisions, **decisions})
        if "apply" in request.POST:
            return redirect("import_preview", pk=run.pk)
        run.refresh_from_db()
        import_run_preview(run=run, user=request.user)
    if run.state != ImportRun.State.READY:
        messages.error(request, "Fix the errors shown in the preview before confirming.")
        return redirect("import_preview", pk=run.pk)
    run = import_run_confirm(run=run, user=request.user, decisions=run.decisions)
    if run.state == ImportRun.State.DONE:
        messages.success(request, "Imported.")
    return redirect("import_detail", pk=run.pk)


@login_required
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_for(request, pk)
    return render(
        request,
        "casework/imports/detail.html",
        {"run": run, "progress": import_run_progress(run=run), "errors": run.errors[:500]},
    )


@login_required
@require_GET
def import_progress(request: HttpRequest, pk: int) -> JsonResponse:
    run = _run_for(request, pk)
    return JsonResponse(import_run_progress(run=run))


def _error_rows(run: ImportRun):
    yield ["Row", "Column", "Message"]
    for error in run.errors:
        yield [error.get("row"), error.get("column", ""), error.get("message", "")]


def _report_name(run: ImportRun, extension: str) -> str:
    return f"import-{run.pk}-errors-{datetime.date.today():%Y%m%d}.{extension}"


@login_required
@require_GET
def import_errors_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    run = _run_for(request, pk)
    response = StreamingHttpResponse(
        csv_stream(rows_escape_formulas(_error_rows(run))), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_report_name(run, "csv")}"'
    return response


@login_required
@require_GET
def import_errors_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_for(request, pk)
    response = HttpResponse(
        xlsx_bytes(rows_escape_formulas(_error_rows(run)), sheet_title="Errors"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_report_name(run, "xlsx")}"'
    return response


@login_required
@require_GET
def import_template_xlsx(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        template_bytes(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="advocase-import-template.xlsx"'
    return response
