"""What is said and demanded about the cases: documents and the mentions that link them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from advocacy.document_languages import DOCUMENT_LANGUAGES
from casework.models import Case, Organisation, TimeStamped
from casework.models.provenance import provenance_relation
from casework.partial_dates import partial_date_of, precision_field


class IssuingBody(models.Model):
    class Kind(models.TextChoices):
        PARLIAMENT = "parliament", _("Parliament")
        INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental body")
        UN = "un", _("United Nations body")
        NGO = "ngo", _("NGO")
        COALITION = "coalition", _("Coalition or group of citizens")
        GOVERNMENT = "government", _("Government")
        MEDIA = "media", _("Media")

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    # As the casework vocabularies keep them (casework.models.vocabularies): the names of
    # bodies merged into this one and its own earlier names; an archived body is offered
    # no more. Kept by advocacy.issuing_bodies on the vocabulary pages.
    aliases = models.JSONField(default=list, blank=True, verbose_name=_("aliases"))
    archived_at = models.DateTimeField(null=True, blank=True, verbose_name=_("archived at"))
    provenance = provenance_relation()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("issuing body")
        verbose_name_plural = _("issuing bodies")

    def __str__(self) -> str:
        return self.short_name or self.name


DETECTION_FIELDS = [
    "detection_state",
    "detection_requested_at",
    "detection_started_at",
    "detection_finished_at",
    "detection_proposed",
]


class Document(TimeStamped):
    class Kind(models.TextChoices):
        RESOLUTION = "resolution", _("Resolution")
        RECOMMENDATION = "recommendation", _("Recommendation")
        APPEAL = "appeal", pgettext_lazy("a document: an appeal to authorities", "Appeal")
        STATEMENT = "statement", _("Statement")
        REPORT = "report", _("Report")
        LETTER = "letter", _("Letter")
        OPINION = "opinion", _("Opinion")
        ARTICLE = "article", _("Press article")

    class DetectionState(models.TextChoices):
        NOT_RUN = "", _("Not run")
        QUEUED = "queued", _("Waiting to run")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    issuing_body = models.ForeignKey(
        IssuingBody,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("issuing body"),
    )
    title = models.CharField(_("title"), max_length=400)
    reference = models.CharField(
        pgettext_lazy("a document's number, e.g. P9_TA(2021)0056", "reference"),
        max_length=100,
        blank=True,
        help_text=_("Official reference, e.g. P9_TA(2021)0056."),
    )
    procedure = models.CharField(
        _("procedure"), max_length=100, blank=True, help_text=_("Procedure, e.g. 2021/2544(RSP).")
    )
    # May be known only to the month or the year (casework.partial_dates).
    issued_on = models.DateField(_("date"))
    issued_on_precision = precision_field(_("issued on precision"))
    url = models.URLField(_("URL"), max_length=500, blank=True)
    # One code of a short list (advocacy.document_languages): "Russian" and "RU" are "ru".
    language = models.CharField(
        _("language"), max_length=10, default="en", choices=DOCUMENT_LANGUAGES
    )
    full_text = models.TextField(_("full text"), blank=True)
    votes_for = models.PositiveIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("votes against"), null=True, blank=True)
    votes_abstained = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    source = models.TextField(
        _("source"), blank=True, help_text=_("Where this record's facts come from.")
    )
    owning_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("owning organisation"),
    )
    archived_at = models.DateTimeField(null=True, blank=True, verbose_name=_("archived at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    # The last mention detection over the text (advocacy.mentions): a long text is read by a
    # Celery task, and the document page says whether it is waiting, running, finished or
    # failed. Bookkeeping of the app, not an edit of the document: kept out of its history.
    detection_state = models.CharField(
        max_length=10,
        choices=DetectionState.choices,
        blank=True,
        default="",
        verbose_name=_("detection state"),
    )
    detection_requested_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("detection requested at")
    )
    detection_started_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("detection started at")
    )
    detection_finished_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("detection finished at")
    )
    detection_proposed = models.PositiveIntegerField(
        null=True, blank=True, verbose_name=_("detection proposed")
    )
    provenance = provenance_relation()
    history = HistoricalRecords(excluded_fields=DETECTION_FIELDS)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-issued_on", "title"]
        indexes = [models.Index(fields=["-issued_on"]), models.Index(fields=["kind", "-issued_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["reference"], condition=~Q(reference=""), name="document_unique_reference"
            ),
            # PositiveIntegerField is only a check on some databases; say it for all.
            models.CheckConstraint(
                condition=(Q(votes_for__isnull=True) | Q(votes_for__gte=0))
                & (Q(votes_against__isnull=True) | Q(votes_against__gte=0))
                & (Q(votes_abstained__isnull=True) | Q(votes_abstained__gte=0)),
                name="document_votes_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({partial_date_of(self, 'issued_on')})"

    def get_absolute_url(self) -> str:
        return reverse("document_detail", args=[self.pk])

    @property
    def has_vote(self) -> bool:
        return self.votes_for is not None


class Mention(TimeStamped):
    """A document names a case: the passage, what it demands, and how it was found."""

    class Origin(models.TextChoices):
        MANUAL = "manual", _("Entered by hand")
        DETECTED = "detected", _("Found automatically")
        SEED = "seed", _("Seed data")
        GENERATED = "generated", _("Synthetic data (generate_data)")

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="mentions", verbose_name=_("document")
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="mentions", verbose_name=_("case")
    )
    passage = models.TextField(_("passage"), blank=True)
    matched_text = models.CharField(max_length=300, blank=True, verbose_name=_("matched text"))
    start = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("start"))
    end = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("end"))
    demands_release = models.BooleanField(_("release"), default=False)
    demands_investigation = models.BooleanField(_("investigation"), default=False)
    demands_end_of_harassment = models.BooleanField(_("end of harassment"), default=False)
    demands_medical_care = models.BooleanField(_("medical care"), default=False)
    demands_fair_trial = models.BooleanField(_("fair trial"), default=False)
    origin = models.CharField(
        max_length=20, choices=Origin.choices, default=Origin.MANUAL, verbose_name=_("origin")
    )
    state = models.CharField(
        max_length=20, choices=State.choices, default=State.CONFIRMED, verbose_name=_("state")
    )
    # Found from a given name alone beside a family the text names in full ("his son
    # Zhanbolat"): a weaker proposal than a name written out, to be checked before confirming.
    needs_review = models.BooleanField(_("needs review"), default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("confirmed at"))
    # The document whose text holds the passage, when it is not the one named here: a
    # statement reporting a resolution ("quoted in: ODF, 2021").
    quoted_in = models.ForeignKey(
        Document,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quoted_mentions",
        help_text=_("The document the passage is quoted from, when it is another one."),
        verbose_name=_("quoted in"),
    )
    provenance = provenance_relation()
    history = HistoricalRecords()

    DEMAND_FIELDS = (
        "demands_release",
        "demands_investigation",
        "demands_end_of_harassment",
        "demands_medical_care",
        "demands_fair_trial",
    )

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        ordering = ["document", "case__person__full_name"]
        indexes = [models.Index(fields=["case", "state"])]
        constraints = [
            # A rejected suggestion keeps its row, so detection cannot propose it again.
            models.UniqueConstraint(fields=["document", "case"], name="mention_once_per_case"),
            models.CheckConstraint(
                condition=Q(start__isnull=True)
                | Q(end__isnull=True)
                | Q(end__gte=models.F("start")),
                name="mention_offsets_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} names {self.case}"

    @property
    def demands(self) -> list[str]:
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in self.DEMAND_FIELDS
            if getattr(self, name)
        ]


# Actors, roll-call votes, campaigns, stances and engagements have modules of their own;
# imported here so that Django finds them and `advocacy.models` names every model.
from advocacy.actor_models import (  # noqa: E402
    Actor,
    ActorAlias,
    ActorFact,
    ActorNameKey,
    Country,
    MemberVote,
    PoliticalGroup,
    Position,
    RollCallVote,
)
from advocacy.engagement_models import (  # noqa: E402
    Campaign,
    CampaignTarget,
    Engagement,
    EngagementAttachment,
    EngagementFollowUp,
    Sharing,
    Stance,
)

__all__ = [
    "Actor",
    "ActorAlias",
    "ActorFact",
    "ActorNameKey",
    "Campaign",
    "CampaignTarget",
    "Country",
    "Document",
    "Engagement",
    "EngagementAttachment",
    "EngagementFollowUp",
    "IssuingBody",
    "MemberVote",
    "Mention",
    "PoliticalGroup",
    "Position",
    "RollCallVote",
    "Sharing",
    "Stance",
]
