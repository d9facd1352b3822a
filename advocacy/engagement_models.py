"""What an organisation does about the actors: campaigns, engagements (meetings, letters,
calls …) and the stances it records.

These are the organisation's own data, unlike actors and votes: internal (the owning
organisation, and the host organisation, as for internal cases) or restricted to a
campaign's team (and the owning organisation's coordinators and admins). One rule,
advocacy.visibility, decides who reads them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from advocacy.actor_models import Actor
from casework.models import Case, FollowUp, Organisation, TimeStamped


class Sharing(models.TextChoices):
    INTERNAL = "internal", _("Internal: our organisation (and the host organisation)")
    RESTRICTED = "restricted", _("Restricted: the campaign's team")


class Campaign(TimeStamped):
    class Status(models.TextChoices):
        PLANNING = "planning", _("Planning")
        ACTIVE = "active", _("Active")
        ACHIEVED = "achieved", _("Achieved")
        CLOSED = "closed", _("Closed without success")

    name = models.CharField(_("name"), max_length=200)
    goal = models.TextField(_("goal"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    owning_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="campaigns"
    )
    sharing = models.CharField(
        _("who may see it"), max_length=20, choices=Sharing.choices, default=Sharing.INTERNAL
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="advocacy_campaigns"
    )
    cases = models.ManyToManyField(Case, blank=True, related_name="campaigns")
    documents = models.ManyToManyField("advocacy.Document", blank=True, related_name="campaigns")
    # The target list's filters as last saved (advocacy.campaigns.TargetFilters).
    target_filters = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owning_organisation", "sharing"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaign_detail", args=[self.pk])


class CampaignTarget(models.Model):
    """An actor on a campaign's target list: put there by the saved filters or by hand."""

    class Origin(models.TextChoices):
        FILTER = "filter", _("Matched the saved filters")
        MANUAL = "manual", _("Added by hand")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="campaign_targets")
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.MANUAL)
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "actor"], name="campaign_target_once"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} → {self.actor_id}"


class Stance(TimeStamped):
    """Where an actor stands towards the organisation's goals, as its staff judge it on a
    date, and why. The latest one the viewer may see is the actor's stance for them."""

    class Value(models.TextChoices):
        ALLY = "ally", _("Ally")
        UNDECIDED = "undecided", _("Undecided")
        OPPONENT = "opponent", _("Opponent")
        UNKNOWN = "unknown", _("Unknown")

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="stances")
    value = models.CharField(_("stance"), max_length=20, choices=Value.choices)
    recorded_on = models.DateField(_("date"))
    reason = models.TextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owning_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="stances"
    )
    sharing = models.CharField(
        _("who may see it"), max_length=20, choices=Sharing.choices, default=Sharing.INTERNAL
    )
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="stances"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-recorded_on", "-pk"]
        indexes = [models.Index(fields=["actor", "-recorded_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(sharing=Sharing.RESTRICTED) | Q(campaign__isnull=False),
                name="stance_restricted_has_campaign",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_value_display()} ({self.recorded_on})"


class Engagement(TimeStamped):
    """A meeting, letter, call, briefing, hearing or side event with actors: who was there,
    the cases raised, what was asked, the answer and the outcome."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        LETTER = "letter", _("Letter")
        CALL = "call", _("Call")
        BRIEFING = "briefing", _("Briefing")
        HEARING = "hearing", pgettext_lazy("an engagement: a parliamentary hearing", "Hearing")
        SIDE_EVENT = "side_event", _("Side event")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    happened_on = models.DateField(_("date"))
    subject = models.CharField(_("subject"), max_length=200)
    actors = models.ManyToManyField(Actor, related_name="engagements")
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="advocacy_engagements"
    )
    cases = models.ManyToManyField(Case, blank=True, related_name="engagements")
    asks = models.TextField(_("what we asked"), blank=True)
    response = models.TextField(_("their response"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    owning_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="engagements"
    )
    sharing = models.CharField(
        _("who may see it"), max_length=20, choices=Sharing.choices, default=Sharing.INTERNAL
    )
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.PROTECT, related_name="engagements"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-happened_on", "-pk"]
        indexes = [
            models.Index(fields=["owning_organisation", "-happened_on"]),
            models.Index(fields=["campaign", "-happened_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(sharing=Sharing.RESTRICTED) | Q(campaign__isnull=False),
                name="engagement_restricted_has_campaign",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject} ({self.happened_on})"

    def get_absolute_url(self) -> str:
        return reverse("engagement_detail", args=[self.pk])


def attachment_path(instance: EngagementAttachment, filename: str) -> str:
    # The name a user gave the file stays in the row, never in the path on disk.
    from uuid import uuid4

    return f"engagements/{instance.engagement_id}/{uuid4().hex}"


class EngagementAttachment(models.Model):
    """A file kept with an engagement (a letter sent, the answer received, notes). Served
    only through the engagement's own rule, never from a public media URL."""

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class EngagementFollowUp(models.Model):
    """A follow-up task (casework.FollowUp, with its reminders) promised at an engagement.

    The link lives here because casework may not know advocacy; the task itself is an
    ordinary task, about one of the cases raised or, with no case, about the engagement."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="follow_up_links"
    )
    follow_up = models.OneToOneField(
        FollowUp, on_delete=models.CASCADE, related_name="engagement_link"
    )

    def __str__(self) -> str:
        return f"{self.engagement_id} → {self.follow_up_id}"
