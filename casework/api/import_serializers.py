"""How import runs read through the API: a run, its preview or result in the shape
`import_cases --format json` prints (casework.importing.runs.import_run_report), and the
request bodies, for the schema (casework.importing.forms checks them)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casework.api.serializers import ReadSerializer
from casework.importing.runs import import_run_summary
from casework.models import ImportRun

# Besides the run's own states, "planning": a large file's rows are being checked in the
# background (casework.importing.run_progress); poll the run until it is another state.
RUN_STATES = [*ImportRun.State.choices, ("planning", "Checking the rows")]


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="The row, as a spreadsheet counts it.")
    column = serializers.CharField(
        allow_blank=True, help_text='Letter and header, e.g. "D (Detained on)"; "" for a row.'
    )
    message = serializers.CharField()
    word = serializers.CharField(
        required=False, help_text="For an unknown status word: the word, normalised."
    )
    written = serializers.CharField(required=False, help_text="The word as the file writes it.")


class ImportColumnSerializer(serializers.Serializer):
    column = serializers.CharField(help_text="The column's letter.")
    header = serializers.CharField(allow_blank=True)
    field = serializers.CharField(allow_null=True, help_text="The field it holds; null: ignored.")


class ImportSummarySerializer(serializers.Serializer):
    new = serializers.IntegerField()
    new_cases = serializers.IntegerField()
    new_people = serializers.IntegerField()
    linked_people = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    possible_duplicates = serializers.IntegerField()
    skipped = serializers.IntegerField()
    errors = ImportErrorSerializer(many=True)


class ImportReportSerializer(ImportSummarySerializer):
    columns = ImportColumnSerializer(many=True)


class ImportCandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text='The person\'s id: the answer "same person".')
    full_name = serializers.CharField()
    native_name = serializers.CharField(allow_blank=True)
    birth_year = serializers.IntegerField(allow_null=True)
    score = serializers.FloatField(help_text="How alike the names are, 0 to 1.")


class ImportUndecidedRowSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="The row, as a spreadsheet counts it.")
    full_name = serializers.CharField(allow_blank=True, help_text="As the file writes it.")
    native_name = serializers.CharField(allow_blank=True)
    birth_year = serializers.IntegerField(allow_null=True)
    candidates = ImportCandidateSerializer(
        many=True, help_text="The people on file it may be (those the user may see)."
    )


class ImportRunSerializer(serializers.Serializer):
    """A run (read from casework.api.imports' run_shown)."""

    id = serializers.IntegerField()
    organisation = serializers.IntegerField()
    user = serializers.IntegerField(allow_null=True)
    file_name = serializers.CharField()
    file_format = serializers.CharField(allow_blank=True)
    state = serializers.ChoiceField(choices=RUN_STATES)
    state_label = serializers.CharField()
    rows_total = serializers.IntegerField()
    rows_done = serializers.IntegerField()
    seconds_left = serializers.IntegerField(allow_null=True)
    skip_invalid = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    preview = ImportReportSerializer(
        allow_null=True,
        help_text="What the import would do (before it is confirmed) or did, as "
        "`import_cases --format json` prints it; null while the rows are being checked.",
    )
    undecided_rows = ImportUndecidedRowSerializer(
        many=True,
        help_text="Rows that may be a person on file, waiting for an answer (POST "
        "decisions/); unanswered, they are not imported.",
    )
    created_cases = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids of the cases it created (the first 200)."
    )
    updated_cases = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids of the cases it updated (the first 200)."
    )


class ImportRunListSerializer(ReadSerializer):
    state_label = serializers.CharField(source="get_state_display")
    summary = serializers.SerializerMethodField()

    class Meta:
        model = ImportRun
        fields = (
            "id",
            "organisation",
            "user",
            "file_name",
            "file_format",
            "state",
            "state_label",
            "rows_total",
            "skip_invalid",
            "created_at",
            "finished_at",
            "summary",
        )
        read_only_fields = fields

    @extend_schema_field(ImportSummarySerializer)
    def get_summary(self, run: ImportRun) -> dict[str, Any]:
        return import_run_summary(run=run)


# --- Request bodies -------------------------------------------------------------------------


class ImportUploadRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The spreadsheet: CSV, XLSX or ODS.")
    organisation = serializers.IntegerField(
        required=False,
        help_text="Where to import; needed only by those who import for several "
        "organisations (the host's coordinators and admins).",
    )
    status_word = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text='What a status word of this file means, "WORD=status" (repeatable), e.g. '
        '"под наблюдением=investigation".',
    )
    column = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text='Which field a column holds, "LETTER=field" (repeatable), e.g. "F=summary"; '
        '"F=" ignores column F. Other columns keep the fields their headers suggest.',
    )


class ImportConfirmRequestSerializer(serializers.Serializer):
    skip_invalid = serializers.BooleanField(
        required=False,
        help_text="Import the valid rows and skip those with errors (default: all or nothing).",
    )


@extend_schema_field(
    {"oneOf": [{"type": "integer"}, {"type": "string", "enum": ["new"]}]},
)
class PersonOrNewField(serializers.Field):
    """A candidate's id, or "new" (read by casework.api.import_decisions)."""


class ImportDecisionSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="A row of the run's undecided_rows.")
    person = PersonOrNewField(
        help_text='The id of one of the row\'s candidates (the same person), or "new".'
    )


class ImportDecisionsRequestSerializer(serializers.Serializer):
    decisions = ImportDecisionSerializer(many=True)
