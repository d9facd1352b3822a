"""Imports: upload a spreadsheet, read its preview (what `import_cases --format json`
prints, casework.importing.runs.import_run_report), answer its questions about possible
duplicates (casework.api.import_decisions), confirm it. The same functions as the
web flow (casework.views.imports) in the same order: import_run_create, the preview
(planned now, or for a large file in a worker: the run then answers 202 with the state
"planning" until it is ready), import_run_confirm (written now, or queued for a worker).
Runs are fetched through casework.permissions.import_run_for_user: another
organisation's run answers 404 like a missing id."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework import status as http_status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.base import (
    ERRORS,
    ERRORS_LIST,
    ERRORS_READ,
    ERRORS_WRITE,
    NOT_AN_OBJECT,
    form_errors_by_field,
)
from casework.api.errors import form_errors
from casework.api.import_decisions import decisions_checked, import_questions
from casework.api.import_serializers import (
    ImportConfirmRequestSerializer,
    ImportDecisionsRequestSerializer,
    ImportRunListSerializer,
    ImportRunSerializer,
    ImportUploadRequestSerializer,
)
from casework.importing.access import import_run_cases_for
from casework.importing.cells import ImportFileError, word_normalise
from casework.importing.forms import ImportConfirmForm, ImportOptionsForm, ImportUploadForm
from casework.importing.run_files import OPEN_STATES
from casework.importing.run_planning import run_file_error
from casework.importing.runs import (
    import_run_confirm,
    import_run_create,
    import_run_decide,
    import_run_is_confirmable,
    import_run_preview_request,
    import_run_progress,
    import_run_report,
    import_run_set_columns,
)
from casework.models import ImportRun
from casework.permissions import import_run_for_user, require_import_organisations
from casework.visibility import import_runs_visible_to

ALREADY_CONFIRMED = _("This import has already been confirmed.")
STILL_CHECKING_DECISIONS = _("The rows are still being checked: answer once the preview is ready.")
STILL_CHECKING = _("The rows are still being checked: confirm once the preview is ready.")
FIX_ERRORS = _("Fix the errors shown in the preview before confirming.")

STARTED = OpenApiResponse(ImportRunSerializer, description="Being worked on in the background.")


def run_shown(run: ImportRun, *, user, preview: dict[str, Any] | None = None) -> dict[str, Any]:
    """A run as ImportRunSerializer reads it: its state (or "planning"), progress, its
    preview or result, the rows that wait for an answer (from `preview`, what
    import_run_preview_request returned), and the cases it wrote that the user may see."""
    progress = import_run_progress(run=run)
    checked = progress["state"] != "planning" and run.state != ImportRun.State.UPLOADED
    written = import_run_cases_for(run=run, user=user) if run.state == ImportRun.State.DONE else {}
    questions = import_questions(preview=preview, user=user) if run.state in OPEN_STATES else {}
    return {
        "id": run.pk,
        "organisation": run.organisation_id,
        "user": run.user_id,
        "file_name": run.file_name,
        "file_format": run.file_format,
        "state": progress["state"],
        "state_label": progress["state_label"],
        "rows_total": run.rows_total,
        "rows_done": progress["rows_done"],
        "seconds_left": progress["seconds_left"],
        "skip_invalid": run.skip_invalid,
        "created_at": run.created_at,
        "finished_at": run.finished_at,
        "preview": import_run_report(run=run) if checked else None,
        "undecided_rows": [question.shown for question in questions.values()],
        "created_cases": [case.pk for case in written.get("created", {}).get("cases", [])],
        "updated_cases": [case.pk for case in written.get("updated", {}).get("cases", [])],
    }


def _answer(
    run: ImportRun,
    request: Request,
    *,
    created: bool = False,
    preview: dict[str, Any] | None = None,
) -> Response:
    shown = run_shown(run, user=request.user, preview=preview)
    if shown["state"] in ("planning", ImportRun.State.QUEUED, ImportRun.State.RUNNING):
        code = http_status.HTTP_202_ACCEPTED
    else:
        code = http_status.HTTP_201_CREATED if created else http_status.HTTP_200_OK
    return Response(ImportRunSerializer(shown).data, status=code)


def run_errors(run: ImportRun, *, first: str | None = None) -> ValidationError:
    """The run's errors as an API error, each named by its row and column
    ("row 3, column D (Detained on)")."""
    errors: dict[str, list[str]] = {"non_field_errors": [first]} if first else {}
    for error in run.errors:
        column = error.get("column")
        where = f"row {error['row']}" + (f", column {column}" if column else "")
        errors.setdefault(where, []).append(error["message"])
    return ValidationError(errors)


def _forms_checked(request: Request, organisations) -> tuple[dict, dict]:
    """The upload form of the page (file, organisation) and the options (status words,
    columns), with their own messages."""
    if not isinstance(request.data, Mapping):
        raise ValidationError({"non_field_errors": [NOT_AN_OBJECT]})
    upload = ImportUploadForm(request.data, request.FILES, organisations=organisations)
    options = ImportOptionsForm(request.data)
    if not (upload.is_valid() & options.is_valid()):
        raise form_errors(upload if upload.errors else options)
    return upload.cleaned_data, options.cleaned_data


def _options_apply(run: ImportRun, options: dict) -> None:
    """The file's own status words (not remembered, as on the command line) and the
    columns given (remembered for the organisation, as on the mapping page)."""
    if options["status_word"]:
        run.status_words = {
            word_normalise(word): status for word, status in options["status_word"].items()
        }
        run.save(update_fields=["status_words"])
    if options["column"]:
        try:
            import_run_set_columns(run=run, columns=options["column"])
        except ImportFileError as error:
            run_file_error(run, str(error), row=run.header_row)
            raise ValidationError({"column": [str(error)]}) from None


@extend_schema(tags=["imports"])
class ImportRunList(generics.ListAPIView):
    serializer_class = ImportRunListSerializer
    cursor_ordering = ("-created_at", "-id")

    def get_queryset(self) -> QuerySet[ImportRun]:
        return import_runs_visible_to(self.request.user)

    @extend_schema(responses={200: ImportRunListSerializer(many=True), **ERRORS_LIST})
    def get(self, request, *args, **kwargs):
        """The imports of the user's organisation (every organisation's, for the host's
        coordinators and admins), newest first."""
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request={"multipart/form-data": ImportUploadRequestSerializer},
        responses={201: ImportRunSerializer, 202: STARTED, 400: ERRORS, **ERRORS_LIST},
    )
    def post(self, request, *args, **kwargs) -> Response:
        """Upload a spreadsheet: 201 with its preview, or 202 (state "planning") when a
        large file is checked in the background: GET the run until it is ready. A file
        that cannot be read answers 400 and imports nothing; rows with errors are listed
        in the preview, by row and column."""
        organisations = require_import_organisations(request.user)
        upload, options = _forms_checked(request, organisations)
        file = upload["file"]
        run = import_run_create(
            data=file.read(),
            file_name=file.name,
            organisation=upload["organisation"],
            user=request.user,
        )
        if run.state == ImportRun.State.FAILED:
            raise ValidationError({"file": [error["message"] for error in run.errors]})
        _options_apply(run, options)
        preview = import_run_preview_request(run=run, user=request.user)
        return _answer(run, request, created=True, preview=preview)


@extend_schema(tags=["imports"])
class ImportRunDetail(APIView):
    @extend_schema(responses={200: ImportRunSerializer, 202: STARTED, **ERRORS_READ})
    def get(self, request, pk: int) -> Response:
        """The run: its preview while it waits for confirmation (checked again against
        today's records, as the preview page does), or what it did."""
        run = import_run_for_user(request.user, pk)
        preview = None
        if run.state in OPEN_STATES:
            preview = import_run_preview_request(run=run, user=request.user)
        return _answer(run, request, preview=preview)


@extend_schema(tags=["imports"])
class ImportRunDecisions(APIView):
    @extend_schema(
        request={"application/json": ImportDecisionsRequestSerializer},
        responses={200: ImportRunSerializer, 202: STARTED, **ERRORS_WRITE},
    )
    def post(self, request, pk: int) -> Response:
        """Answer the preview's questions about possible duplicates (the run's
        `undecided_rows`): each row is the same person as one of its candidates (their id)
        or a new person ("new"), as the preview page's choices. 200 with the preview made
        again with the answers (202 while a large file's is made); confirm the run then.
        A row that asks nothing or a person not among its candidates answers 400 naming
        the row, and nothing is recorded."""
        run = import_run_for_user(request.user, pk)
        if run.state not in OPEN_STATES:
            raise ValidationError({"non_field_errors": [ALREADY_CONFIRMED]})
        preview = import_run_preview_request(run=run, user=request.user)
        if preview is None:
            raise ValidationError({"non_field_errors": [STILL_CHECKING_DECISIONS]})
        questions = import_questions(preview=preview, user=request.user)
        decisions = decisions_checked(data=request.data, questions=questions)
        import_run_decide(run=run, decisions=decisions)
        preview = import_run_preview_request(run=run, user=request.user)
        return _answer(run, request, preview=preview)


@extend_schema(tags=["imports"])
class ImportRunConfirm(APIView):
    @extend_schema(
        request=ImportConfirmRequestSerializer,
        responses={200: ImportRunSerializer, 202: STARTED, **ERRORS_WRITE},
    )
    def post(self, request, pk: int) -> Response:
        """Write the previewed import: 200 with what it did, or 202 when a large file is
        written in the background. A preview with errors is confirmed only with
        `skip_invalid`; otherwise 400 lists them, by row and column, and nothing is
        written."""
        run = import_run_for_user(request.user, pk)
        if not isinstance(request.data, Mapping):
            raise ValidationError({"non_field_errors": [NOT_AN_OBJECT]})
        form = ImportConfirmForm(request.data)
        if errors := form_errors_by_field(form):
            raise ValidationError(errors)
        skip_invalid = form.cleaned_data["skip_invalid"]
        if run.state not in OPEN_STATES:
            raise ValidationError({"non_field_errors": [ALREADY_CONFIRMED]})
        if run.state == ImportRun.State.UPLOADED:
            raise ValidationError({"non_field_errors": [STILL_CHECKING]})
        if not import_run_is_confirmable(run=run, skip_invalid=skip_invalid):
            raise run_errors(run, first=str(FIX_ERRORS))
        run = import_run_confirm(
            run=run, user=request.user, decisions=run.decisions, skip_invalid=skip_invalid
        )
        if run.state == ImportRun.State.FAILED:
            raise run_errors(run)
        return _answer(run, request)
