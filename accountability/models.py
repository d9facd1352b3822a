"""Responsible persons: the officials and bodies responsible for what happened in a case,
their part in it with the evidence for it, the names documents give them, sanctions
submissions, and the log of who looked at them.

The most dangerous data in the app: a leak tells a perpetrator who documents them. Every
row hangs off a ResponsiblePerson, whose owning organisation and team decide who sees it
(accountability.visibility); every view and export is logged (accountability.audit).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.models import Case, CaseEvent, FollowUp, Organisation, TimeStamped
from common.constraints import ConstraintsOnFields


class ResponsiblePerson(TimeStamped):
    class Kind(models.TextChoices):
        JUDGE = "judge", _("Judge")
        PROSECUTOR = "prosecutor", _("Prosecutor")
        INVESTIGATOR = "investigator", _("Investigator")
        OFFICER = "officer", _("Police or security officer")
        PRISON_HEAD = "prison_head", _("Prison or colony head")
        OFFICIAL = "official", _("Official")
        COURT = "court", _("Court")
        AGENCY = "agency", _("Agency")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name in Latin script"), max_length=200)
    native_name = models.CharField(_("name in Cyrillic"), max_length=200, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_place = models.CharField(_("place of birth"), max_length=200, blank=True)
    nationality = models.CharField(_("nationality"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    owning_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="responsible_persons"
    )
    # The named team who see the record besides the organisation's coordinators.
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="responsible_person_teams",
        verbose_name=_("team"),
    )
    # Made by generate_data: never a real official.
    is_synthetic = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[team])

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["owning_organisation", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("responsible_person_detail", args=[self.pk])


class ResponsibleAlias(models.Model):
    """Another spelling or script of the person's name."""

    person = models.ForeignKey(ResponsiblePerson, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "name"], name="responsible_alias_once"),
        ]

    def __str__(self) -> str:
        return self.name


class ResponsibleNameKey(models.Model):
    """One match key (casework.names.name_keys) of one of the person's names, so search
    finds them by any spelling in one indexed lookup, as people and actors are found."""

    person = models.ForeignKey(
        ResponsiblePerson, on_delete=models.CASCADE, related_name="name_keys"
    )
    key = models.CharField(max_length=200, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "key"], name="responsible_name_key_once"),
        ]

    def __str__(self) -> str:
        return self.key


class Identifier(models.Model):
    class Kind(models.TextChoices):
        TAX = "tax", _("Tax number")
        NATIONAL_ID = "national_id", _("National ID number")
        PASSPORT = "passport", _("Passport number")
        OTHER = "other", _("Other identifier")

    person = models.ForeignKey(
        ResponsiblePerson, on_delete=models.CASCADE, related_name="identifiers"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=100)
    source = models.CharField(_("where it is public"), max_length=500, blank=True)

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "value"], name="responsible_identifier_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class ResponsiblePosition(ConstraintsOnFields, TimeStamped):
    """A dated post: institution, unit, rank and region."""

    person = models.ForeignKey(
        ResponsiblePerson, on_delete=models.CASCADE, related_name="positions"
    )
    institution = models.CharField(_("institution"), max_length=300)
    unit = models.CharField(_("unit"), max_length=300, blank=True)
    rank = models.CharField(_("rank or title"), max_length=200, blank=True)
    region = models.CharField(_("region"), max_length=200, blank=True)
    started_on = models.DateField(_("from"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    source = models.TextField(_("source"), blank=True)
    history = HistoricalRecords()

    constraint_fields = {
        "responsible_position_dates_ordered": (
            "ended_on",
            _("The end date is before the start date."),
        )
    }

    class Meta:
        ordering = ["-started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(started_on__isnull=True)
                | Q(ended_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="responsible_position_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return ", ".join(part for part in (self.rank, self.unit, self.institution) if part)


class CaseRole(ConstraintsOnFields, TimeStamped):
    """The person's part in one case, or in one event of its timeline."""

    class Role(models.TextChoices):
        SENTENCING_JUDGE = "sentencing_judge", _("Sentencing judge")
        APPEAL_JUDGE = "appeal_judge", _("Appeal judge")
        PROSECUTOR = "prosecutor", _("Prosecutor")
        INVESTIGATOR = "investigator", _("Investigator")
        ARRESTING_OFFICER = "arresting_officer", _("Arresting or interrogating officer")
        DETENTION_HEAD = "detention_head", _("Head of the place of detention")
        OFFICIAL = "official", _("Official who ordered or approved it")
        OTHER = "other", _("Other")

    person = models.ForeignKey(
        ResponsiblePerson, on_delete=models.CASCADE, related_name="case_roles"
    )
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="responsible_roles")
    event = models.ForeignKey(
        CaseEvent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responsible_roles",
        verbose_name=_("timeline event"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    description = models.TextField(
        _("what they did"), blank=True, help_text=_("e.g. asked for seven years in a colony.")
    )
    started_on = models.DateField(_("from"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    exculpatory = models.TextField(
        _("exculpatory information"),
        blank=True,
        help_text=_("Anything that speaks for the person: recorded beside the accusation."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    constraint_fields = {
        "case_role_dates_ordered": ("ended_on", _("The end date is before the start date."))
    }

    class Meta:
        ordering = ["started_on", "pk"]
        indexes = [models.Index(fields=["case", "person"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(started_on__isnull=True)
                | Q(ended_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="case_role_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} ({self.case_id})"


class Evidence(ConstraintsOnFields, TimeStamped):
    class Source(models.TextChoices):
        DOCUMENT = "document", _("A document in Advocase")
        COURT_DECISION = "court_decision", _("A court decision")
        PUBLIC_LINK = "public_link", _("A public link")

    class Confidence(models.TextChoices):
        DOCUMENTED = "documented", _("Documented")
        CORROBORATED = "corroborated", _("Corroborated")
        ALLEGED = "alleged", _("Alleged")

    case_role = models.ForeignKey(CaseRole, on_delete=models.CASCADE, related_name="evidence")
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    document = models.ForeignKey(
        "advocacy.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsible_evidence",
        verbose_name=_("document"),
    )
    passage = models.TextField(_("passage"), blank=True)
    citation = models.CharField(
        _("court decision"),
        max_length=500,
        blank=True,
        help_text=_("Court, case number and date of the decision."),
    )
    url = models.URLField(_("link"), max_length=500, blank=True)
    shows = models.TextField(_("what it shows"))
    confidence = models.CharField(_("confidence"), max_length=20, choices=Confidence.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    constraint_fields = {
        "evidence_document_given": ("document", _("Choose the document.")),
        "evidence_court_decision_given": ("citation", _("Give the court, case number and date.")),
        "evidence_link_given": ("url", _("Give the link.")),
    }

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(source="document") | Q(document__isnull=False),
                name="evidence_document_given",
            ),
            models.CheckConstraint(
                condition=~Q(source="court_decision") | ~Q(citation=""),
                name="evidence_court_decision_given",
            ),
            models.CheckConstraint(
                condition=~Q(source="public_link") | ~Q(url=""),
                name="evidence_link_given",
            ),
        ]

    def __str__(self) -> str:
        return self.shows[:80]


class SanctionsSubmission(ConstraintsOnFields, TimeStamped):
    class Jurisdiction(models.TextChoices):
        EU = "eu", _("European Union (global human rights sanctions regime)")
        UK = "uk", _("United Kingdom (global human rights sanctions)")
        US = "us", _("United States (Global Magnitsky)")
        CANADA = "ca", _("Canada (Sergei Magnitsky Law)")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        LISTED = "listed", _("Listed")
        NOT_LISTED = "not_listed", _("Not listed")

    person = models.ForeignKey(
        ResponsiblePerson, on_delete=models.CASCADE, related_name="submissions"
    )
    jurisdiction = models.CharField(_("jurisdiction"), max_length=10, choices=Jurisdiction.choices)
    submitted_on = models.DateField(_("submitted on"))
    submitted_by = models.CharField(
        _("submitted by"), max_length=300, help_text=_("The organisation or people who filed it.")
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING
    )
    outcome_on = models.DateField(_("outcome date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    constraint_fields = {
        "submission_outcome_after_submission": (
            "outcome_on",
            _("The outcome date is before the submission date."),
        )
    }

    class Meta:
        ordering = ["-submitted_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome_on__isnull=True) | Q(outcome_on__gte=F("submitted_on")),
                name="submission_outcome_after_submission",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_jurisdiction_display()} {self.submitted_on}"


class SubmissionFollowUp(models.Model):
    """A follow-up task (casework.FollowUp, with its reminders) about a submission."""

    submission = models.ForeignKey(
        SanctionsSubmission, on_delete=models.CASCADE, related_name="follow_up_links"
    )
    follow_up = models.OneToOneField(
        FollowUp, on_delete=models.CASCADE, related_name="submission_link"
    )

    def __str__(self) -> str:
        return f"{self.submission_id} → {self.follow_up_id}"


class NamedInDocument(TimeStamped):
    """A responsible person a document's text names: proposed by detection, then confirmed
    or rejected by staff (as the victims' mentions are)."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    document = models.ForeignKey(
        "advocacy.Document", on_delete=models.CASCADE, related_name="responsible_named"
    )
    person = models.ForeignKey(ResponsiblePerson, on_delete=models.CASCADE, related_name="named")
    matched_text = models.CharField(max_length=300)
    passage = models.TextField(blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PROPOSED)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # A decision may be changed from the page; each one is kept, with who took it.
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["document", "person"], name="named_in_document_once"),
        ]

    def __str__(self) -> str:
        return self.matched_text


class DossierAccess(models.Model):
    """Who looked at or exported which responsible person's record, and when: views are
    not changes, so history does not record them (as casework's RestrictedCaseView)."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        DOCX = "docx", _("Exported DOCX")
        PDF = "pdf", _("Exported PDF")
        FOLLOWTHEMONEY = "ftm", _("Exported FollowTheMoney")

    person = models.ForeignKey(ResponsiblePerson, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=10, choices=Action.choices)
    path = models.CharField(max_length=300)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["person", "-at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.action} {self.person_id}"

    def dossier_described(self) -> str:
        """Which dossier a DOCX or PDF export was, its language and jurisdiction as the
        download's address gave them (English and EU when left out); "" for anything else."""
        if self.action not in (self.Action.DOCX, self.Action.PDF):
            return ""
        query = parse_qs(urlsplit(self.path).query)
        language = query.get("language", ["en"])[0]
        jurisdiction = query.get("jurisdiction", [SanctionsSubmission.Jurisdiction.EU])[0]
        languages = {"en": _("English"), "ru": _("Russian")}
        regimes = dict(SanctionsSubmission.Jurisdiction.choices)
        return f"{languages.get(language, language)}, {regimes.get(jurisdiction, jurisdiction)}"
