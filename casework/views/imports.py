"""Partner spreadsheet import pages: upload -> mapping -> preview -> confirm -> result, the
history, error reports and the template. Thin: every rule lives in casework.importing."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casework.exports import csv_stream, rows_escape_formulas, xlsx_bytes
from casework.importing.forms import (
    DateOrderForm,
    ImportMappingForm,
    ImportUploadForm,
    StatusWordForm,
    StatusWordsForm,
)
from casework.importing.mapping import FIELDS_BY_KEY, mapping_validate
from casework.importing.parsing import ImportFileError, text_clean
from casework.importing.run_files import OPEN_STATES
from casework.importing.runs import (
    import_run_cases_for,
    import_run_columns,
    import_run_confirm,
    import_run_create,
    import_run_decide,
    import_run_is_confirmable,
    import_run_is_large,
    import_run_preview,
    import_run_preview_request,
    import_run_progress,
    import_run_set_mapping,
    import_run_table,
    import_run_warnings,
)
from casework.importing.skipped import run_skipped_read, skipped_file_name, skipped_rows_xlsx
from casework.importing.status_words import status_words_remember
from casework.importing.template import import_template_xlsx as template_bytes
from casework.models import ImportRun
from casework.permissions import (
    import_run_for_user,
    require_import_organisations,
    status_word_for_user,
)
from casework.visibility import import_runs_visible_to, status_words_visible_to
from common.pagination import request_page

_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
            messages.error(
                request,
                _("The file was refused: %(reason)s") % {"reason": run.errors[0]["message"]},
            )
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
    if run.state not in OPEN_STATES:
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
    columns = _columns_shown(run)
    for column in columns:
        column["select"] = form[f"column_{column['index']}"]
    return render(
        request,
        "casework/imports/mapping.html",
        {
            "run": run,
            "form": form,
            "columns": columns,
            "ignored": [column for column in columns if not column["field"]],
            "warnings": import_run_warnings(run=run),
            "error": error,
        },
    )


def _columns_shown(run: ImportRun) -> list[dict]:
    """The run's columns for a page: letter, header, samples, field and what else the
    header names, in the user's words."""
    return [
        {
            "index": column.index,
            "letter": column.letter,
            "header": column.header,
            "field": column.field,
            "field_label": FIELDS_BY_KEY[column.field].label if column.field else "",
            "samples": column.samples,
            "also": [FIELDS_BY_KEY[key].label for key in column.also if key in FIELDS_BY_KEY],
            "how": column.how,
        }
        for column in import_run_columns(run=run)
    ]


@login_required
@require_GET
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    run = import_run_for_user(request.user, pk)
    if run.state not in OPEN_STATES:
        return redirect("import_detail", pk=run.pk)
    preview = import_run_preview_request(run=run, user=request.user)
    if run.state == ImportRun.State.FAILED:
        messages.error(request, run.errors[0]["message"])
        return redirect("import_detail", pk=run.pk)
    columns = _columns_shown(run)
    context = {
        "run": run,
        "async_threshold": settings.IMPORT_ASYNC_ROWS,
        "planning": False,
        "ignored": [column for column in columns if not column["field"]],
        "warnings": import_run_warnings(run=run),
    }
    if preview is None:
        # A large file is being checked in the background: the page shows how far, and
        # reloads itself when the plan is ready.
        context.update(planning=True, progress=import_run_progress(run=run))
    else:
        context.update(preview)
        context["words_form"] = StatusWordsForm(words=preview.get("unknown_words", []))
        context["date_form"] = DateOrderForm(initial={"date_order": run.date_order or "day_first"})
    return render(request, "casework/imports/preview.html", context)


@login_required
@require_POST
def import_status_words_choose(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview's answer to "what does this status word mean?": remembered for the
    organisation, then the preview again."""
    run = import_run_for_user(request.user, pk)
    if run.state not in OPEN_STATES:
        return redirect("import_detail", pk=run.pk)
    words = [
        {"word": word, "written": written}
        for word, written in zip(
            request.POST.getlist("word"), request.POST.getlist("written"), strict=False
        )
    ]
    form = StatusWordsForm(request.POST, words=words)
    if form.is_valid() and form.chosen():
        kept = status_words_remember(
            organisation=run.organisation, choices=form.chosen(), by=request.user
        )
        messages.success(
            request,
            ngettext(
                "Remembered for %(organisation)s: %(count)d status word.",
                "Remembered for %(organisation)s: %(count)d status words.",
                kept,
            )
            % {"organisation": run.organisation.name, "count": kept},
        )
    return redirect("import_preview", pk=run.pk)


@login_required
@require_POST
def import_date_order(request: HttpRequest, pk: int) -> HttpResponse:
    """The preview's answer to "how does the file write dates?"."""
    run = import_run_for_user(request.user, pk)
    form = DateOrderForm(request.POST)
    if run.state in OPEN_STATES and form.is_valid():
        run.date_order = form.cleaned_data["date_order"]
        run.save(update_fields=["date_order"])
    return redirect("import_preview", pk=run.pk)


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
        import_run_decide(run=run, decisions=decisions)
        if "apply" in request.POST or import_run_is_large(run):
            # A large file's plan is made again in the background; it is confirmed from the
            # preview once that plan is shown.
            return redirect("import_preview", pk=run.pk)
        run.refresh_from_db()
        import_run_preview(run=run, user=request.user)
    # "Import the valid rows and skip the others" is a choice of its own button, never
    # implied by the all-or-nothing one.
    skip_invalid = "skip_invalid" in request.POST
    if not import_run_is_confirmable(run=run, skip_invalid=skip_invalid):
        messages.error(request, _("Fix the errors shown in the preview before confirming."))
        return redirect("import_preview", pk=run.pk)
    run = import_run_confirm(
        run=run, user=request.user, decisions=run.decisions, skip_invalid=skip_invalid
    )
    if run.state == ImportRun.State.DONE:
        messages.success(request, _("Imported."))
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
    progress = import_run_progress(run=run)
    # The sentence under the bar, in the reader's language (imports.js shows it as given).
    progress["text"] = render_to_string(
        "casework/imports/_progress_text.html", {"progress": progress, "run": run}, request
    ).strip()
    return JsonResponse(progress)


def _error_rows(run: ImportRun):
    yield [_("Row"), _("Column"), _("Message")]
    for error in run.errors:
        # Messages quote cells: no control character may reach the report.
        yield [
            error.get("row"),
            text_clean(str(error.get("column", ""))),
            text_clean(str(error.get("message", ""))),
        ]


@login_required
@require_GET
def import_rows_to_fix_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The rows with errors in the file's own columns plus an "Error" column: from the
    upload while the run is open, from the sheet kept after a run that skipped them."""
    run = import_run_for_user(request.user, pk)
    data: bytes | None
    if run.state in OPEN_STATES and run.count_errors:
        try:
            headers, rows = import_run_table(run=run)
        except ImportFileError:
            raise Http404 from None
        data = skipped_rows_xlsx(headers=headers, rows=rows, errors=run.errors, mapping=run.mapping)
    else:
        data = run_skipped_read(run=run)
    if data is None:
        raise Http404
    response = HttpResponse(data, content_type=_XLSX)
    response["Content-Disposition"] = content_disposition_header(True, skipped_file_name(run))
    return response


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
        xlsx_bytes(rows_escape_formulas(_error_rows(run)), sheet_title=_("Errors")),
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


# --- Remembered status words ------------------------------------------------------------------


@login_required
@require_GET
def status_words_list(request: HttpRequest) -> HttpResponse:
    """The status words the organisations a user imports for have chosen a status for."""
    words = list(status_words_visible_to(request.user)[:1000])
    return render(
        request,
        "casework/imports/status_words.html",
        {"words": [(word, StatusWordForm(initial={"status": word.status})) for word in words]},
    )


@login_required
@require_POST
def status_word_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change what a remembered word means, or forget it."""
    word = status_word_for_user(request.user, pk)
    if "forget" in request.POST:
        word.delete()
        messages.success(request, _("Forgotten: “%(word)s”.") % {"word": word.written})
        return redirect("status_words_list")
    form = StatusWordForm(request.POST)
    if form.is_valid():
        word.status = form.cleaned_data["status"]
        word.chosen_by_id = request.user.pk
        word.save(update_fields=["status", "chosen_by", "updated_at"])
        messages.success(request, _("Saved: “%(word)s”.") % {"word": word.written})
    return redirect("status_words_list")
