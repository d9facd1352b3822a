"""The NGOs that use the app and their members."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.models.base import TimeStamped
from casework.models.choices import Role
from casework.models.provenance import provenance_relation


class Organisation(TimeStamped):
    class Kind(models.TextChoices):
        HOST = "host", _("Host organisation")
        PARTNER = "partner", _("Partner organisation")

    name = models.CharField(max_length=200, unique=True, verbose_name=_("name"))
    slug = models.SlugField(max_length=80, unique=True, verbose_name=_("slug"))
    kind = models.CharField(
        max_length=20, choices=Kind.choices, default=Kind.PARTNER, verbose_name=_("kind")
    )
    country = models.CharField(max_length=100, blank=True, verbose_name=_("country"))
    website = models.URLField(blank=True, verbose_name=_("website"))
    provenance = provenance_relation()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
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
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(max_length=20, choices=Role.choices, verbose_name=_("role"))
    timezone = models.CharField(max_length=64, default="UTC", verbose_name=_("timezone"))
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("The language the app speaks to this user; empty: the browser's."),
    )
    email_notifications = models.BooleanField(
        default=True,
        help_text=_("In-app notifications are always on; this switches emails."),
        verbose_name=_("email notifications"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [models.Index(fields=["organisation", "role"])]

    def __str__(self) -> str:
        # Read as the admin's titles and messages ("The membership … was changed"), in
        # the reader's language.
        return gettext("%(user)s — %(role)s at %(organisation)s") % {
            "user": self.user,
            "role": self.get_role_display(),
            "organisation": self.organisation,
        }
