"""Status conflicts: two open cases of one person that disagree on the current status."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.models.cases import Case
from casework.models.choices import Status
from casework.models.people import Person


class StatusConflict(models.Model):
    """Opened and closed by casework.conflicts only. The pair is stored lower case id
    first; each side's status and date are those the cases said when it opened, so a
    dismissal holds until one of them says something new."""

    class Outcome(models.TextChoices):
        AGREED = "agreed", _("The cases now agree")
        RECORDED = "recorded", _("The other case's status was recorded")
        DISMISSED = "dismissed", _("Dismissed")
        CLOSED = "closed", _("A case was archived")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="status_conflicts")
    # Indexed by Meta's open-pair constraint, which leads with it.
    first_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+", db_index=False)
    second_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    first_status = models.CharField(max_length=30, choices=Status.choices)
    first_since = models.DateField(null=True, blank=True)
    second_status = models.CharField(max_length=30, choices=Status.choices)
    second_since = models.DateField(null=True, blank=True)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    history = HistoricalRecords(no_db_index=["person", "first_case", "second_case", "closed_by"])

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["person", "closed_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["first_case", "second_case"],
                condition=Q(closed_at__isnull=True),
                name="status_conflict_one_open_per_pair",
            ),
            models.CheckConstraint(
                condition=Q(first_case__lt=F("second_case")),
                name="status_conflict_pair_in_order",
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, outcome="")
                | Q(closed_at__isnull=False) & ~Q(outcome=""),
                name="status_conflict_closed_with_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="dismissed") | ~Q(reason=""),
                name="status_conflict_dismissal_gives_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_case_id} / {self.second_case_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None
