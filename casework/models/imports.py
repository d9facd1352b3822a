"""Partner imports: the runs, remembered answers and column choices."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from casework.models.choices import Status
from casework.models.organisations import Organisation
from casework.models.people import Person


class ImportRun(models.Model):
    """One uploaded partner spreadsheet: who, when, which file, what it did.

    The row holds the state and the progress, so a page that polls it (or a user who
    leaves and comes back) sees where a long import is, whatever process runs it."""

    class State(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        # Previewed with errors: confirmed only as "import the valid rows, skip the others".
        CHECKED = "checked", _("Checked, with errors")
        READY = "ready", _("Previewed, waiting for confirmation")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed — nothing was written")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="import_runs",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="import_runs",
        verbose_name=_("user"),
    )
    file_name = models.CharField(max_length=255, verbose_name=_("file name"))
    file_sha256 = models.CharField(max_length=64, db_index=True, verbose_name=_("file sha256"))
    file_size = models.PositiveBigIntegerField(default=0, verbose_name=_("file size"))
    file_format = models.CharField(max_length=10, blank=True, verbose_name=_("file format"))
    # Relative to MEDIA_ROOT; the bytes stay on disk so a worker can re-read them.
    stored_path = models.CharField(max_length=300, blank=True, verbose_name=_("stored path"))
    state = models.CharField(
        max_length=20, choices=State.choices, default=State.UPLOADED, verbose_name=_("state")
    )
    dry_run = models.BooleanField(default=False, verbose_name=_("dry run"))
    header_row = models.PositiveIntegerField(default=1, verbose_name=_("header row"))
    headers = models.JSONField(default=list, blank=True, verbose_name=_("headers"))
    # Column index (as a string, JSON keys are strings) -> field key.
    mapping = models.JSONField(default=dict, blank=True, verbose_name=_("mapping"))
    # Row number (as a string) -> {"choice": "same" | "new" | "skip", "person_id": id}.
    decisions = models.JSONField(default=dict, blank=True, verbose_name=_("decisions"))
    # Status words given for this file only (the command line's --status-word): normalised
    # word -> status. The organisation's remembered words (StatusWord) apply as well.
    status_words = models.JSONField(default=dict, blank=True, verbose_name=_("status words"))
    # How the file writes dates like 05/03/2022 when nothing in it tells: "day_first" or
    # "month_first"; "" until asked (read day first meanwhile).
    date_order = models.CharField(max_length=12, blank=True, verbose_name=_("date order"))
    # "Import the valid rows and skip the rows with errors", chosen when confirming.
    skip_invalid = models.BooleanField(default=False, verbose_name=_("skip invalid"))
    # The language the user read when they asked for the work a worker (or this request)
    # does: its row errors and notes are written in it. "": the account's, else English.
    language = models.CharField(max_length=10, blank=True, default="", verbose_name=_("language"))
    rows_total = models.PositiveIntegerField(default=0, verbose_name=_("rows total"))
    rows_done = models.PositiveIntegerField(default=0, verbose_name=_("rows done"))
    count_new = models.PositiveIntegerField(default=0, verbose_name=_("new cases"))
    count_updated = models.PositiveIntegerField(default=0, verbose_name=_("updated cases"))
    count_unchanged = models.PositiveIntegerField(default=0, verbose_name=_("unchanged cases"))
    count_possible_duplicates = models.PositiveIntegerField(
        default=0, verbose_name=_("possible duplicates")
    )
    count_errors = models.PositiveIntegerField(default=0, verbose_name=_("rows with errors"))
    # Of the rows to create: how many people are new, and how many recorded people get a
    # new case (count_new counts the new cases).
    count_new_people = models.PositiveIntegerField(default=0, verbose_name=_("new people"))
    count_linked_people = models.PositiveIntegerField(
        default=0, verbose_name=_("people on file given a new case")
    )
    # Rows with errors left out of a run that imported the valid ones.
    count_skipped = models.PositiveIntegerField(default=0, verbose_name=_("rows left out"))
    # [{"row": r, "column": "…", "message": "…"}], rows as a spreadsheet user counts them.
    errors = models.JSONField(default=list, blank=True, verbose_name=_("errors"))
    # Ids of the cases the run created and updated, for the result page's links: the first
    # CASES_KEPT of each, so a run of 100,000 rows keeps a small row (the counts say how
    # many there were in all).
    created_case_ids = models.JSONField(
        default=list, blank=True, verbose_name=_("created case ids")
    )
    # The sheet of the skipped rows, in the file's own columns with an "Error" column
    # (relative to MEDIA_ROOT), kept for a day after the run so they can be fixed.
    skipped_path = models.CharField(max_length=300, blank=True, verbose_name=_("skipped path"))
    updated_case_ids = models.JSONField(
        default=list, blank=True, verbose_name=_("updated case ids")
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    started_at = models.DateTimeField(null=True, blank=True, verbose_name=_("started at"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    CASES_KEPT = 200

    class Meta:
        verbose_name = _("import run")
        verbose_name_plural = _("import runs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_state_display()})"

    def get_absolute_url(self) -> str:
        return reverse("import_detail", args=[self.pk])


class ImportMatchDecision(models.Model):
    """An organisation's answer to "is this row the same person as this record?", given on
    an import's preview and remembered, so the same row in a later file is settled the same
    way instead of being asked about again (casework.importing.candidates)."""

    class Choice(models.TextChoices):
        SAME = "same", _("Same person")
        NEW = "new", _("New person")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="import_match_decisions",
        verbose_name=_("organisation"),
    )
    # SHA-256 of the row's name and birth year as the names module reads them
    # (casework.importing.candidates.row_identity_key): the row, not its place in a file.
    row_key = models.CharField(max_length=64, verbose_name=_("row key"))
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    choice = models.CharField(max_length=10, choices=Choice.choices, verbose_name=_("choice"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(verbose_name=_("decided at"))

    class Meta:
        verbose_name = _("import match decision")
        verbose_name_plural = _("import match decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "row_key", "person"],
                name="import_match_decision_unique_row_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.row_key[:8]} -> {self.person_id}: {self.choice}"


class ColumnMapping(models.Model):
    """A spreadsheet header an organisation uses, and the field it means, remembered so
    its next file maps itself."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="column_mappings",
        verbose_name=_("organisation"),
    )
    header = models.CharField(
        max_length=200, help_text=_("The header, normalised."), verbose_name=_("header")
    )
    field = models.CharField(
        max_length=40, blank=True, help_text=_("Empty: ignore the column."), verbose_name=_("field")
    )
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "header"], name="column_mapping_unique_header"
            )
        ]

    def __str__(self) -> str:
        return f"{self.header} -> {self.field or '(ignored)'}"


class StatusWord(models.Model):
    """A status word an organisation's files use that the built-in vocabulary does not
    know, and the status the organisation chose for it on a preview; remembered, so its
    next file is not asked again (casework.importing.status_words)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="status_words"
    )
    # As casework.importing.cells.word_normalise leaves it; `written` is how it was first
    # written, for people to read.
    word = models.CharField(max_length=200)
    written = models.CharField(max_length=200)
    status = models.CharField(max_length=30, choices=Status.choices)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation", "word"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "word"], name="status_word_unique_word")
        ]

    def __str__(self) -> str:
        return f"{self.written} -> {self.status}"
