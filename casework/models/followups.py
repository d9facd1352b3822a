"""Follow-up tasks, the reminders that carry them and what users see under the bell."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.models.base import TimeStamped
from casework.models.cases import Case


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

    # Empty for a task about no single case (a promise made at a meeting with an MEP,
    # advocacy.engagements): such a task is seen by its assignee, whoever assigned it and
    # their organisation's coordinators, and reminds while its assignee stays a member.
    case = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("case"),
    )
    title = models.CharField(max_length=200, verbose_name=_("title"))
    note = models.TextField(blank=True, verbose_name=_("note"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("assignee"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assigned_follow_ups",
        verbose_name=_("assigned by"),
    )
    due_on = models.DateField(verbose_name=_("due on"))
    priority = models.PositiveSmallIntegerField(
        choices=Priority.choices, default=Priority.NORMAL, verbose_name=_("priority")
    )
    status = models.CharField(
        max_length=20, choices=State.choices, default=State.OPEN, verbose_name=_("status")
    )
    recurrence_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=_("Repeat this many days after completion."),
        verbose_name=_("recurrence days"),
    )
    # Set when its assignee or whoever assigned it moved to another organisation while it
    # was open (casework.followups.follow_ups_left_behind): it stays that organisation's
    # task, seen by its coordinators, and nobody outside it is reminded of it.
    left_organisation = models.ForeignKey(
        "casework.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation left"),
    )
    completed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("completed at"))
    completion_note = models.TextField(blank=True, verbose_name=_("completion note"))
    # The recurring task this one continues; unique, so completing twice makes one successor.
    recurrence_of = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_occurrence",
        verbose_name=_("recurrence of"),
    )
    # Where an automatically created task came from (e.g. "document:42"), so creating
    # follow-ups for a document twice is refused by the database, not by a Python check.
    origin = models.CharField(max_length=100, blank=True, verbose_name=_("origin"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
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

    # No index of its own: the unique constraint below starts with follow_up and serves its
    # lookups, and each index costs every claim and mark of a reminder a write.
    follow_up = models.ForeignKey(
        FollowUp,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
        db_index=False,
        verbose_name=_("follow up"),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name=_("kind"))
    # Distinguishes reminders of the same kind: the overdue day number, the digest week.
    sequence = models.PositiveIntegerField(default=0, verbose_name=_("sequence"))
    due_at = models.DateTimeField(verbose_name=_("due at"))
    state = models.CharField(
        max_length=20, choices=State.choices, default=State.PENDING, verbose_name=_("state")
    )
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    last_error = models.TextField(blank=True, verbose_name=_("last error"))
    queued_at = models.DateTimeField(null=True, blank=True, verbose_name=_("queued at"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        indexes = [
            # Partial indexes on the rows the dispatcher and the reaper look for, with the
            # very conditions their statements write (SQLite uses a partial index only for
            # a condition it can match term by term): they stay the size of the backlog
            # instead of growing with every reminder ever sent, and marking a row sent,
            # failed or cancelled adds no entry to either.
            models.Index(
                fields=["due_at"], name="reminder_pending_due", condition=Q(state="pending")
            ),
            # Keyed by id, not by the claim token queued_at: every row of a batch carries
            # the same token, so on statistics taken before the claim PostgreSQL looked a
            # sender's `id = ANY(..) AND queued_at = token` up along an index on the token
            # and read the whole batch for each group of ten it marked (170 µs of database
            # CPU per reminder instead of 18). The reaper reads every row in flight along
            # it, a scan the size of what is being sent at that moment; and renewing a
            # claim changes no indexed column, so PostgreSQL can update the row in place.
            models.Index(
                fields=["id"],
                name="reminder_in_flight_queued",
                condition=Q(state__in=["queued", "sending"]),
            ),
        ]
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

    # No index of its own: the (user, read_at, -created_at) index below starts with user.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
        verbose_name=_("user"),
    )
    title = models.CharField(max_length=200, verbose_name=_("title"))
    body = models.TextField(blank=True, verbose_name=_("body"))
    url = models.CharField(max_length=300, blank=True, verbose_name=_("url"))
    case = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("case"),
    )
    # One reminder produces at most one notification, whatever the retries.
    reminder = models.OneToOneField(
        Reminder,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notification",
        verbose_name=_("reminder"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    read_at = models.DateTimeField(null=True, blank=True, verbose_name=_("read at"))

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return self.title
