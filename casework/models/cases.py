"""Cases and their timelines."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from casework.event_notes import event_description_shown, event_source_shown
from casework.models.base import TimeStamped
from casework.models.choices import Confidentiality, Status, liberty_deprived
from casework.models.organisations import Organisation
from casework.models.people import Person
from casework.models.provenance import provenance_relation
from casework.models.vocabularies import Charge, DetentionPlace
from casework.partial_dates import Precision, precision_field
from common.choices import choice_display


class Case(TimeStamped):
    reference = models.CharField(
        max_length=50, unique=True, verbose_name=pgettext_lazy("a case's number", "reference")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="cases", verbose_name=_("person")
    )
    # Indexed by Meta's (owning_organisation, confidentiality), which leads with it.
    owning_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,
        verbose_name=_("owning organisation"),
    )
    assigned_caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
        verbose_name=_("assigned caseworker"),
    )
    confidentiality = models.CharField(
        max_length=20,
        choices=Confidentiality.choices,
        default=Confidentiality.INTERNAL,
        verbose_name=_("confidentiality"),
    )
    # Derived from the timeline by casework.status (timeline_recompute) and written by it
    # only: the status of the last status event, the date of the latest dated event of
    # that status (None: since an unknown date), and whether an on-trial status continues
    # a custody (what "still detained" reads, casework.models.choices.liberty_deprived).
    status = models.CharField(
        max_length=30, choices=Status.choices, default=Status.UNKNOWN, verbose_name=_("status")
    )
    status_since = models.DateField(null=True, blank=True, verbose_name=_("status since"))
    on_trial_in_custody = models.BooleanField(_("on trial in custody"), default=False)
    # The status event that says the current status (its source is the status's source).
    status_event = models.ForeignKey(
        "CaseEvent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("status event"),
    )
    charges = models.ManyToManyField(
        Charge, blank=True, related_name="cases", verbose_name=_("charges")
    )
    detention_place = models.ForeignKey(
        DetentionPlace,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("detention place"),
    )
    # Each date may be known only to the month or the year: it then holds the period's
    # first day, and its `_precision` column says so (casework.partial_dates).
    detained_on = models.DateField(null=True, blank=True, verbose_name=_("detained on"))
    detained_on_precision = precision_field(_("detained on precision"))
    charged_on = models.DateField(null=True, blank=True, verbose_name=_("charged on"))
    charged_on_precision = precision_field(_("charged on precision"))
    sentenced_on = models.DateField(null=True, blank=True, verbose_name=_("sentenced on"))
    sentenced_on_precision = precision_field(_("sentenced on precision"))
    expected_release_on = models.DateField(
        null=True, blank=True, verbose_name=_("expected release on")
    )
    expected_release_on_precision = precision_field(_("expected release on precision"))
    released_on = models.DateField(null=True, blank=True, verbose_name=_("released on"))
    released_on_precision = precision_field(_("released on precision"))
    sentence = models.CharField(max_length=200, blank=True, verbose_name=_("sentence"))
    concern_torture = models.BooleanField(_("torture or ill-treatment"), default=False)
    concern_health = models.BooleanField(_("health"), default=False)
    concern_incommunicado = models.BooleanField(_("incommunicado"), default=False)
    concern_family_harassment = models.BooleanField(_("family harassment"), default=False)
    concern_transnational_repression = models.BooleanField(
        _("transnational repression / Interpol abuse"), default=False
    )
    summary = models.TextField(blank=True, verbose_name=_("summary"))
    # Sensitive: hidden from partner users and their exports. What the case's facts rest
    # on, fact by fact, is its provenance (shown to the same users).
    sources = models.TextField(blank=True, verbose_name=_("sources"))
    provenance = provenance_relation()
    health_notes = models.TextField(blank=True, verbose_name=_("health notes"))
    archived_at = models.DateTimeField(null=True, blank=True, verbose_name=_("archived at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    # History rows (and their charge sets) are read by the case's id, the date and the
    # history id only (casework.history): indexes on copied columns would cost every write
    # and serve no query.
    # The acting user is not a database foreign key on the big history tables: checked per
    # row at commit, it cost an import's server as much as the row (a user's deletion
    # still sets it to null through Django's SET_NULL).
    history = HistoricalRecords(
        user_db_constraint=False,
        m2m_fields=[charges],
        # A pointer the timeline derives; the status it points at is in the history.
        excluded_fields=["status_event"],
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
    PARTIAL_DATE_FIELDS = (
        "detained_on",
        "charged_on",
        "sentenced_on",
        "expected_release_on",
        "released_on",
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-updated_at"]
        indexes = [
            models.Index(fields=["status", "-updated_at"]),
            models.Index(fields=["owning_organisation", "confidentiality"]),
            models.Index(fields=["detained_on"]),
            models.Index(fields=["status_since"]),
            # The case list's default order, with the primary key that makes it total: the
            # first page is read from this index instead of sorting every case.
            models.Index(fields=["-updated_at", "-id"], name="case_recent_first_idx"),
            # The search by reference, whole or prefix, in any case (casework.search),
            # reads case_reference_upper_idx on PostgreSQL: migration 0020 makes it there.
        ]
        constraints = [
            # Dates hold their period's first day: a release known only as "2019" may
            # follow a detention in "March 2019", so only a release known to the day is
            # held to it here (casework.forms compares whole periods).
            models.CheckConstraint(
                condition=Q(released_on__isnull=True)
                | Q(detained_on__isnull=True)
                | ~Q(released_on_precision=Precision.DAY)
                | Q(released_on__gte=models.F("detained_on")),
                name="case_release_not_before_detention",
            ),
            models.CheckConstraint(
                condition=Q(expected_release_on__isnull=True)
                | Q(detained_on__isnull=True)
                | ~Q(expected_release_on_precision=Precision.DAY)
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

    def get_status_display(self) -> str:
        # A label per row of the person page and the banners (common.choices says why).
        return choice_display(self, "status")

    @property
    def is_detained(self) -> bool:
        return liberty_deprived(status=self.status, on_trial_in_custody=self.on_trial_in_custody)

    @property
    def concerns(self) -> list[str]:
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in self.CONCERN_FIELDS
            if getattr(self, name)
        ]


class CaseEventManager(models.Manager):
    """The events on the timeline: a removed event is kept (who removed it, when, why) but
    is no longer part of it, so every read through CaseEvent.objects or case.events leaves
    it out. CaseEvent.all_objects reads removed ones too (the case page's "Removed")."""

    def get_queryset(self):
        return super().get_queryset().filter(removed_at__isnull=True)


class CaseEvent(TimeStamped):
    """One entry of a case's timeline. Where a status event sits in the chain, and so its
    previous status, is derived by casework.status from the dates and recording times of
    all the case's events, never typed."""

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
    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="events",
        db_index=False,
        verbose_name=_("case"),
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name=_("kind"))
    # None: the date is unknown (never the day it was recorded, which is recorded_at).
    happened_on = models.DateField(null=True, blank=True, verbose_name=_("happened on"))
    # When the information reached the record: orders events of one date, and places an
    # undated event after the dated events recorded before it. An importer or seed may
    # give an earlier moment (when a source reported it); never a later one.
    recorded_at = models.DateTimeField(
        default=timezone.now, editable=False, verbose_name=_("recorded at")
    )
    status = models.CharField(
        max_length=30, choices=Status.choices, blank=True, verbose_name=_("status")
    )
    # Derived (casework.status): the status of the status event before this one in the
    # chain, "unknown" for the first.
    previous_status = models.CharField(
        max_length=30, choices=Status.choices, blank=True, verbose_name=_("previous status")
    )
    source = models.TextField(blank=True, verbose_name=_("source"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    # Removed by a coordinator, with a reason (casework.status.case_event_remove): kept,
    # out of the timeline. Never edited through a form.
    removed_at = models.DateTimeField(
        null=True, blank=True, editable=False, verbose_name=_("removed at")
    )
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("removed by"),
    )
    removal_reason = models.TextField(blank=True, editable=False, verbose_name=_("removal reason"))
    # Read by the event's id and date only; the acting user is no database foreign key: see
    # Case.history.
    history = HistoricalRecords(
        user_db_constraint=False, no_db_index=["case", "created_by", "removed_by"]
    )

    objects = CaseEventManager()
    all_objects = models.Manager()

    # Three labels per timeline entry: looked up, not Django's display, which translates
    # every label of the field to show one (common.choices).
    def get_kind_display(self) -> str:
        return choice_display(self, "kind")

    def get_status_display(self) -> str:
        return choice_display(self, "status")

    def get_previous_status_display(self) -> str:
        return choice_display(self, "previous_status")

    # The source and description in the reader's language where the app wrote them (an
    # import's, stored as the English message), else as written (casework.event_notes).
    @property
    def source_shown(self) -> str:
        return event_source_shown(text=self.source)

    @property
    def description_shown(self) -> str:
        return event_description_shown(text=self.description)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["-happened_on", "-id"]
        indexes = [models.Index(fields=["case", "-happened_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="status") | ~Q(status=""),
                name="case_event_status_change_names_status",
            ),
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True) | ~Q(removal_reason=""),
                name="case_event_removal_gives_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.happened_on or _('date unknown')} {self.get_kind_display()}"
