"""Partner spreadsheet import pages: upload -> mapping -> preview -> confirm -> result, the
history, error reports and the template. Thin: every rule lives in casework.importing."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework.exports import csv_stream, rows_escape_formulas, xlsx_bytes
from casework.importing.forms import ImportMappingForm, ImportUploadForm
from casework.importing.mapping import column_letter, mapping_validate
from casework.importing.parsing import ImportFileError, text_clean
from casework.importing.runs import (
    import_run_cases_for,
    import_run_confirm,
    import_run_create,
    import_run_is_large,
    import_run_preview,
    import_run_preview_request,
    import_run_progress,
    import_run_set_mapping,
)
from casework.importing.template import import_template_xlsx as template_bytes
from casework.models import ImportRun
from casework.permissions import import_run_for_user, require_import_organisations
from casework.visibility import import_runs_visible_to
from common.pagination import request_page

# The history is read at a glance: a page holds as many runs as it held before it was paged.
IMPORT_LIST_PAGE_SIZE = 200


@login_required
@require_GET
def import_list(request: HttpRequest) -> HttpResponse:
    runs = import_runs_visible_to(request.user).order_by("-created_at", "-pk")
    page = request_page(runs, request.GET, size=IMPORT_LIST_PAGE_SIZE)
    return render(request, "casework/imports/list.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest) -> HttpResponse:
    organisations = require_import_organisations(request.user)
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
    run = import_run_for_user(request.user, pk)
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


@login_required
@require_GET
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    run = import_run_for_user(request.user, pk)
    if run.state not in (ImportRun.State.UPLOADED, ImportRun.State.READY):
        return redirect("import_detail", pk=run.pk)
    preview = import_run_preview_request(run=run, user=request.user)
    if run.state == ImportRun.State.FAILED:
        messages.error(request, run.errors[0]["message"])
        return redirect("import_detail", pk=run.pk)
    context = {"run": run, "async_threshold": settings.IMPORT_ASYNC_ROWS, "planning": False}
    if preview is None:
        # A large file is being checked in the background: the page shows how far, and
        # reloads itself when the plan is ready.
        context.update(planning=True, progress=import_run_progress(run=run))
    else:
        context.update(preview)
    return render(request, "casework/imports/preview.html", context)


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    run = import_run_for_user(request.user, pk)
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
        if "apply" in request.POST or import_run_is_large(run):
            # A large file's plan is made again in the background; it is confirmed from the
            # preview once that plan is shown.
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
    run = import_run_for_user(request.user, pk)
    return render(
        request,
        "casework/imports/detail.html",
        {
            "run": run,
            "progress": import_run_progress(run=run),
            "errors": run.errors[:500],
            "cases_written": import_run_cases_for(run=run, user=request.user),
        },
    )


@login_required
@require_GET
def import_progress(request: HttpRequest, pk: int) -> JsonResponse:
    run = import_run_for_user(request.user, pk)
    return JsonResponse(import_run_progress(run=run))


def _error_rows(run: ImportRun):
    yield ["Row", "Column", "Message"]
    for error in run.errors:
        # Messages quote cells: no control character may reach the report.
        yield [
            error.get("row"),
            text_clean(str(error.get("column", ""))),
            text_clean(str(error.get("message", ""))),
        ]


def _report_name(run: ImportRun, extension: str) -> str:
    return f"import-{run.pk}-errors-{datetime.date.today():%Y%m%d}.{extension}"


@login_required
@require_GET
def import_errors_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    run = import_run_for_user(request.user, pk)
    response = StreamingHttpResponse(
        csv_stream(rows_escape_formulas(_error_rows(run))), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_report_name(run, "csv")}"'
    return response


@login_required
@require_GET
def import_errors_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    run = import_run_for_user(request.user, pk)
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
