"""People, their cases and what happens to them.

Writes that carry rules (a status change, archiving, name keys) go through the functions
in casework/status.py, casework/archive.py and casework/names.py; the models hold data,
constraints and small read-only helpers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Status(models.TextChoices):
    INVESTIGATION = "investigation", _("Under investigation")
    PRETRIAL_DETENTION = "pretrial_detention", _("Pre-trial detention")
    HOUSE_ARREST = "house_arrest", _("House arrest")
    ON_TRIAL = "on_trial", _("On trial")
    IMPRISONED = "imprisoned", _("Imprisoned")
    RESTRICTED_FREEDOM = "restricted_freedom", _("Restricted freedom")
    PSYCHIATRIC_DETENTION = "psychiatric_detention", _("Psychiatric detention")
    RELEASED = "released", _("Released")
    ACQUITTED = "acquitted", _("Acquitted")
    IN_EXILE = "in_exile", _("In exile")
    DIED_IN_CUSTODY = "died_in_custody", _("Died in custody")
    KILLED = "killed", _("Killed")
    UNKNOWN = "unknown", _("Unknown")


# Deprived of liberty today: what "still detained" means in dashboards and impact figures.
DETAINED_STATUSES = frozenset(
    {
        Status.PRETRIAL_DETENTION,
        Status.HOUSE_ARREST,
        Status.IMPRISONED,
        Status.PSYCHIATRIC_DETENTION,
    }
)
FREED_STATUSES = frozenset({Status.RELEASED, Status.ACQUITTED})
DEAD_STATUSES = frozenset({Status.DIED_IN_CUSTODY, Status.KILLED})


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("Public — every signed-in user")
    INTERNAL = "internal", _("Internal — owning and host organisations")
    RESTRICTED = "restricted", _("Restricted — case team only")


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    COORDINATOR = "coordinator", _("Coordinator")
    CASEWORKER = "caseworker", _("Caseworker")
    PARTNER = "partner", _("Partner")


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Organisation(TimeStamped):
    class Kind(models.TextChoices):
        HOST = "host", _("Host organisation")
        PARTNER = "partner", _("Partner organisation")

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PARTNER)
    country = models.CharField(max_length=100, blank=True)
    website = models.URLField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            # The host organisation sees every internal case; there must never be two.
            models.UniqueConstraint(
                fields=["kind"], condition=Q(kind="host"), name="organisation_single_host"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(TimeStamped):
    """A user belongs to exactly one organisation with exactly one role."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    timezone = models.CharField(max_length=64, default="UTC")
    email_notifications = models.BooleanField(
        default=True, help_text=_("In-app notifications are always on; this switches emails.")
    )
    history = HistoricalRecords()

    class Meta:
        indexes = [models.Index(fields=["organisation", "role"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} at {self.organisation}"


class Affiliation(TimeStamped):
    """A movement, party, civil-society group or NGO a person belongs to or works with."""

    class Kind(models.TextChoices):
        MOVEMENT = "movement", _("Movement")
        PARTY = "party", _("Political party")
        CIVIL_SOCIETY = "civil_society", _("Civil-society group")
        NGO = "ngo", _("NGO")
        MEDIA = "media", _("Media outlet")
        RELIGIOUS = "religious", _("Religious community")

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=50, blank=True)
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    banned_as_extremist = models.BooleanField(default=False)
    description = models.TextField(blank=True)
    source = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class Charge(models.Model):
    """A criminal-code article: jurisdiction + code + article + part."""

    jurisdiction = models.CharField(max_length=50, default="KZ")
    code = models.CharField(
        max_length=50, default="CC 2014", help_text=_("Which code, e.g. CC 2014 or CC 1997.")
    )
    article = models.CharField(max_length=20)
    part = models.CharField(max_length=20, blank=True)
    title = models.CharField(max_length=300)
    history = HistoricalRecords()

    class Meta:
        ordering = ["jurisdiction", "code", "article", "part"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "code", "article", "part"], name="charge_unique_article"
            )
        ]

    def __str__(self) -> str:
        part = f" part {self.part}" if self.part else ""
        return f"{self.jurisdiction} {self.code} art. {self.article}{part} — {self.title}"


class DetentionPlace(models.Model):
    name = models.CharField(max_length=200, unique=True)
    region = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=50, blank=True, help_text=_("SIZO, colony, psychiatric …"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Person(TimeStamped):
    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")
        UNKNOWN = "", _("Unknown")

    class Occupation(models.TextChoices):
        JOURNALIST = "journalist", _("Journalist")
        ACTIVIST = "activist", _("Activist")
        BLOGGER = "blogger", _("Blogger")
        LAWYER = "lawyer", _("Lawyer")
        HUMAN_RIGHTS_DEFENDER = "human_rights_defender", _("Human-rights defender")
        TRADE_UNIONIST = "trade_unionist", _("Trade unionist")
        RELIGIOUS_BELIEVER = "religious_believer", _("Religious believer")
        POLITICIAN = "politician", _("Politician")
        BUSINESSPERSON = "businessperson", _("Businessperson")
        OTHER = "other", _("Other")
        UNKNOWN = "", _("Unknown")

    full_name = models.CharField(max_length=200, help_text=_("Primary name in Latin script."))
    native_name = models.CharField(
        max_length=200, blank=True, help_text=_("Name in Cyrillic or another script.")
    )
    birth_date = models.DateField(null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    gender = models.CharField(max_length=10, choices=Gender.choices, blank=True)
    region = models.CharField(max_length=100, blank=True, db_index=True)
    occupation = models.CharField(max_length=30, choices=Occupation.choices, blank=True)
    affiliations = models.ManyToManyField(Affiliation, blank=True, related_name="people")
    biography = models.TextField(blank=True)
    # Sensitive: hidden from partner users and their exports.
    family_contacts = models.TextField(blank=True)
    owning_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="people"
    )
    # Space-separated match keys from casework.names, refreshed on save; PersonNameKey
    # holds the same keys one per row for indexed lookup.
    match_keys = models.TextField(blank=True, editable=False)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # History rows are read by the record's id and date only (casework.record_history):
    # indexes on copied columns would cost every write and serve no query.
    history = HistoricalRecords(
        m2m_fields=[affiliations],
        no_db_index=["region", "owning_organisation", "created_by", "person", "affiliation"],
    )

    class Meta:
        ordering = ["full_name"]
        verbose_name_plural = "people"
        indexes = [
            models.Index(fields=["full_name"]),
            models.Index(fields=["birth_year"]),
            # The case list filters on region case-insensitively (iexact is UPPER() = UPPER()).
            models.Index(Upper("region"), name="person_region_upper"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True)
                | Q(birth_year__gte=1900, birth_year__lte=2100),
                name="person_birth_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("person_detail", args=[self.pk])

    @property
    def year_of_birth(self) -> int | None:
        return self.birth_date.year if self.birth_date else self.birth_year


class PersonAlias(TimeStamped):
    class Kind(models.TextChoices):
        SPELLING = "spelling", _("Other spelling")
        NATIVE = "native", _("Native script")
        BIRTH_NAME = "birth_name", _("Birth name")
        PSEUDONYM = "pseudonym", _("Pseudonym")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SPELLING)
    match_keys = models.TextField(blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "person aliases"
        constraints = [
            models.UniqueConstraint(fields=["person", "name"], name="alias_unique_per_person")
        ]

    def __str__(self) -> str:
        return self.name


class PersonNameKey(models.Model):
    """One match key of one person (from the primary name, native name or an alias)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_keys")
    key = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "person"], name="person_name_key_unique")
        ]

    def __str__(self) -> str:
        return self.key


class Case(TimeStamped):
    reference = models.CharField(max_length=50, unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    # Indexed by Meta's (owning_organisation, confidentiality), which leads with it.
    owning_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="cases", db_index=False
    )
    assigned_caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    confidentiality = models.CharField(
        max_length=20, choices=Confidentiality.choices, default=Confidentiality.INTERNAL
    )
    # Written only by casework.status.case_change_status, so the timeline never misses one.
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.UNKNOWN)
    status_since = models.DateField(null=True, blank=True)
    charges = models.ManyToManyField(Charge, blank=True, related_name="cases")
    detention_place = models.ForeignKey(
        DetentionPlace, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    detained_on = models.DateField(null=True, blank=True)
    charged_on = models.DateField(null=True, blank=True)
    sentenced_on = models.DateField(null=True, blank=True)
    expected_release_on = models.DateField(null=True, blank=True)
    released_on = models.DateField(null=True, blank=True)
    sentence = models.CharField(max_length=200, blank=True)
    concern_torture = models.BooleanField(_("torture or ill-treatment"), default=False)
    concern_health = models.BooleanField(_("health"), default=False)
    concern_incommunicado = models.BooleanField(_("incommunicado"), default=False)
    concern_family_harassment = models.BooleanField(_("family harassment"), default=False)
    concern_transnational_repression = models.BooleanField(
        _("transnational repression / Interpol abuse"), default=False
    )
    summary = models.TextField(blank=True)
    # Sensitive: hidden from partner users and their exports.
    sources = models.TextField(blank=True)
    health_notes = models.TextField(blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # History rows (and their charge sets) are read by the case's id, the date and the
    # history id only (casework.history): indexes on copied columns would cost every write
    # and serve no query.
    history = HistoricalRecords(
        m2m_fields=[charges],
        no_db_index=[
            "reference",
            "person",
            "owning_organisation",
            "assigned_caseworker",
            "detention_place",
            "created_by",
            "case",
            "charge",
        ],
    )

    CONCERN_FIELDS = (
        "concern_torture",
        "concern_health",
        "concern_incommunicado",
        "concern_family_harassment",
        "concern_transnational_repression",
    )
    SENSITIVE_FIELDS = ("sources", "health_notes")

    class Meta:
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["status", "-updated_at"]),
            models.Index(fields=["owning_organisation", "confidentiality"]),
            models.Index(fields=["detained_on"]),
            models.Index(fields=["status_since"]),
            # The case list's default order, with the primary key that makes it total: the
            # first page is read from this index instead of sorting every case.
            models.Index(fields=["-updated_at", "-id"], name="case_recent_first_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(released_on__isnull=True)
                | Q(detained_on__isnull=True)
                | Q(released_on__gte=models.F("detained_on")),
                name="case_release_not_before_detention",
            ),
            models.CheckConstraint(
                condition=Q(expected_release_on__isnull=True)
                | Q(detained_on__isnull=True)
                | Q(expected_release_on__gte=models.F("detained_on")),
                name="case_expected_release_not_before_detention",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="case_status_in_vocabulary"
            ),
            models.CheckConstraint(
                condition=Q(confidentiality__in=Confidentiality.values),
                name="case_confidentiality_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} — {self.person}"

    def get_absolute_url(self) -> str:
        return reverse("case_detail", args=[self.pk])

    @property
    def is_detained(self) -> bool:
        return self.status in DETAINED_STATUSES

    @property
    def concerns(self) -> list[str]:
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in self.CONCERN_FIELDS
            if getattr(self, name)
        ]


class CaseEvent(TimeStamped):
    class Kind(models.TextChoices):
        ARREST = "arrest", _("Arrest")
        CHARGE = "charge", _("Charge")
        HEARING = "hearing", _("Hearing")
        VERDICT = "verdict", _("Verdict")
        APPEAL = "appeal", _("Appeal")
        TRANSFER = "transfer", _("Transfer")
        RELEASE = "release", _("Release")
        DEATH = "death", _("Death")
        VISIT = "visit", _("Visit")
        STATUS = "status", _("Status change")
        OTHER = "other", _("Other")

    # Indexed by Meta's (case, -happened_on), which leads with it.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", db_index=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    happened_on = models.DateField()
    status = models.CharField(max_length=30, choices=Status.choices, blank=True)
    previous_status = models.CharField(max_length=30, choices=Status.choices, blank=True)
    source = models.TextField(blank=True)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Read by the event's id and date only: see Case.history.
    history = HistoricalRecords(no_db_index=["case", "created_by"])

    class Meta:
        ordering = ["-happened_on", "-id"]
        indexes = [models.Index(fields=["case", "-happened_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="status") | ~Q(status=""),
                name="case_event_status_change_names_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.happened_on} {self.get_kind_display()}"


class FollowUp(TimeStamped):
    class Priority(models.IntegerChoices):
        LOW = 1, _("Low")
        NORMAL = 2, _("Normal")
        HIGH = 3, _("High")
        URGENT = 4, _("Urgent")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="follow_ups")
    title = models.CharField(max_length=200)
    note = models.TextField(blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="follow_ups"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assigned_follow_ups"
    )
    due_on = models.DateField()
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(max_length=20, choices=State.choices, default=State.OPEN)
    recurrence_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("Repeat this many days after completion.")
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    completion_note = models.TextField(blank=True)
    # The recurring task this one continues; unique, so completing twice makes one successor.
    recurrence_of = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_occurrence"
    )
    # Where an automatically created task came from (e.g. "document:42"), so creating
    # follow-ups for a document twice is refused by the database, not by a Python check.
    origin = models.CharField(max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "-priority"]
        indexes = [
            models.Index(fields=["assignee", "status", "due_on"]),
            models.Index(fields=["case", "status"]),
            models.Index(fields=["status", "due_on"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "origin"], condition=~Q(origin=""), name="follow_up_unique_origin"
            ),
            models.CheckConstraint(
                condition=Q(recurrence_days__isnull=True) | Q(recurrence_days__gte=1),
                name="follow_up_recurrence_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Reminder(models.Model):
    """One reminder that must be sent once; the row is the unit of exactly-once delivery."""

    class Kind(models.TextChoices):
        BEFORE_DUE = "before_due", _("Before the due date")
        DUE = "due", _("On the due date")
        OVERDUE = "overdue", _("Overdue")
        ESCALATION = "escalation", _("Escalation to the coordinator")
        REASSIGNED = "reassigned", _("Task assigned")
        DIGEST = "digest", _("Weekly digest")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        QUEUED = "queued", _("Queued")
        # Claimed by one sender, which sends it now; back to pending if it never finishes.
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    follow_up = models.ForeignKey(
        FollowUp, null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Distinguishes reminders of the same kind: the overdue day number, the digest week.
    sequence = models.PositiveIntegerField(default=0)
    due_at = models.DateTimeField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["state", "due_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["follow_up", "recipient", "kind", "sequence"],
                condition=Q(follow_up__isnull=False),
                name="reminder_once_per_follow_up",
            ),
            models.UniqueConstraint(
                fields=["recipient", "kind", "sequence"],
                condition=Q(follow_up__isnull=True),
                name="reminder_once_per_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recipient} at {self.due_at}"


class Notification(models.Model):
    """What a user sees under the bell."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    # One reminder produces at most one notification, whatever the retries.
    reminder = models.OneToOneField(
        Reminder, null=True, blank=True, on_delete=models.SET_NULL, related_name="notification"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return self.title


class RestrictedCaseView(models.Model):
    """One view of a restricted case: who looked, when, at which case (casework.audit)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="restricted_views")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="restricted_case_views"
    )
    viewed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    path = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-viewed_at"]
        indexes = [models.Index(fields=["case", "-viewed_at"])]

    def __str__(self) -> str:
        return f"{self.user} viewed {self.case} at {self.viewed_at}"


class ImportRun(models.Model):
    """One uploaded partner spreadsheet: who, when, which file, what it did.

    The row holds the state and the progress, so a page that polls it (or a user who
    leaves and comes back) sees where a long import is, whatever process runs it."""

    class State(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        READY = "ready", _("Previewed, waiting for confirmation")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed — nothing was written")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="import_runs"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="import_runs"
    )
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    file_size = models.PositiveBigIntegerField(default=0)
    file_format = models.CharField(max_length=10, blank=True)
    # Relative to MEDIA_ROOT; the bytes stay on disk so a worker can re-read them.
    stored_path = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=20, choices=State.choices, default=State.UPLOADED)
    dry_run = models.BooleanField(default=False)
    header_row = models.PositiveIntegerField(default=1)
    headers = models.JSONField(default=list, blank=True)
    # Column index (as a string, JSON keys are strings) -> field key.
    mapping = models.JSONField(default=dict, blank=True)
    # Row number (as a string) -> {"choice": "same" | "new" | "skip", "person_id": id}.
    decisions = models.JSONField(default=dict, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    count_new = models.PositiveIntegerField(default=0)
    count_updated = models.PositiveIntegerField(default=0)
    count_unchanged = models.PositiveIntegerField(default=0)
    count_possible_duplicates = models.PositiveIntegerField(default=0)
    count_errors = models.PositiveIntegerField(default=0)
    # [{"row": r, "column": "…", "message": "…"}], rows as a spreadsheet user counts them.
    errors = models.JSONField(default=list, blank=True)
    # Ids of the cases the run created and updated, for the result page's links: the first
    # CASES_KEPT of each, so a run of 100,000 rows keeps a small row (the counts say how
    # many there were in all).
    created_case_ids = models.JSONField(default=list, blank=True)
    updated_case_ids = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    CASES_KEPT = 200

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_state_display()})"

    def get_absolute_url(self) -> str:
        return reverse("import_detail", args=[self.pk])


class ImportMatchDecision(models.Model):
    """An organisation's answer to "is this row the same person as this record?", given on
    an import's preview and remembered, so the same row in a later file is settled the same
    way instead of being asked about again (casework.importing.matching)."""

    class Choice(models.TextChoices):
        SAME = "same", _("Same person")
        NEW = "new", _("New person")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="import_match_decisions"
    )
    # SHA-256 of the row's name and birth year as the names module reads them
    # (casework.importing.matching.row_identity_key): the row, not its place in a file.
    row_key = models.CharField(max_length=64)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    choice = models.CharField(max_length=10, choices=Choice.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
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
        Organisation, on_delete=models.CASCADE, related_name="column_mappings"
    )
    header = models.CharField(max_length=200, help_text=_("The header, normalised."))
    field = models.CharField(max_length=40, blank=True, help_text=_("Empty: ignore the column."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "header"], name="column_mapping_unique_header"
            )
        ]

    def __str__(self) -> str:
        return f"{self.header} -> {self.field or '(ignored)'}"
