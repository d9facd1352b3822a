"""Tasks, reminders and notifications: tasks change only through casework.followups
(which keeps their reminders in step), reminders and notifications are read-only."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from casework.admin.base import HistoryAdmin, ReadOnlyAdminMixin, ScopedFormsMixin
from casework.followups import EDITABLE_FIELDS as FOLLOW_UP_EDITABLE_FIELDS
from casework.followups import follow_up_cancel, follow_up_complete, follow_up_update
from casework.models import (
    FollowUp,
    Notification,
    Reminder,
)
from casework.permissions import user_manages_follow_ups
from casework.reminders import reminders_retry
from casework.visibility import (
    cases_visible_to,
    follow_ups_visible_to,
    users_visible_to,
)

# --- Follow-ups, reminders, notifications ---------------------------------------------


class FollowUpAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        # casework.followups.follow_up_update refuses these too; said before saving.
        if self.instance.pk is not None and self.instance.status != FollowUp.State.OPEN:
            raise ValidationError(_("Only an open task can be edited."))
        return cleaned


@admin.register(FollowUp)
class FollowUpAdmin(HistoryAdmin):
    """Tasks change only through casework.followups, which keeps their reminders in step:
    title, note, due date, priority and recurrence through follow_up_update; done and
    cancelled through the actions below. Tasks are created and reassigned on the task
    pages, which check the assignee and tell them."""

    form = FollowUpAdminForm
    list_display = ["title", "case", "assignee", "assigned_by", "due_on", "priority", "status"]
    list_filter = ["status", "priority"]
    search_fields = ["title", "case__reference"]
    list_select_related = ["case", "case__person", "assignee", "assigned_by"]
    fields = [
        "case",
        "title",
        "note",
        "assignee",
        "assigned_by",
        "due_on",
        "priority",
        "recurrence_days",
        "status",
        "completed_at",
        "completion_note",
        "recurrence_of",
        "origin",
    ]
    readonly_fields = [name for name in fields if name not in FOLLOW_UP_EDITABLE_FIELDS]
    actions = ["complete_selected", "cancel_selected"]
    show_full_result_count = False

    def get_queryset(self, request) -> QuerySet:
        # No select_related here: the changelist applies list_select_related only to a
        # queryset that has none.
        return follow_ups_visible_to(request.user)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a task is cancelled (the action below), its history kept

    def has_change_permission(self, request, obj=None) -> bool:
        if not user_manages_follow_ups(request.user):
            return False
        if obj is not None and obj.status != FollowUp.State.OPEN:
            return False
        return super().has_change_permission(request, obj)

    def cases_shown(self, request, objects):
        return [follow_up.case for follow_up in objects if follow_up.case_id is not None]

    def save_model(self, request, obj, form, change):
        changes = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in FOLLOW_UP_EDITABLE_FIELDS
        }
        if changes:
            follow_up_update(follow_up=obj, by=request.user, **changes)

    def _act_on_each(self, request, queryset, action, done: Callable[[int], str]) -> None:
        succeeded = 0
        for follow_up in queryset:
            try:
                action(follow_up=follow_up, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                message = " ".join(getattr(error, "messages", [str(error)]))
                self.message_user(request, f"{follow_up}: {message}", messages.ERROR)
            else:
                succeeded += 1
        if succeeded:
            self.message_user(request, done(succeeded) % {"count": succeeded})

    @admin.action(description=_("Mark the selected tasks done"))
    def complete_selected(self, request, queryset):
        self._act_on_each(
            request,
            queryset,
            follow_up_complete,
            lambda count: ngettext(
                "%(count)d task marked done.", "%(count)d tasks marked done.", count
            ),
        )

    @admin.action(description=_("Cancel the selected tasks"))
    def cancel_selected(self, request, queryset):
        self._act_on_each(
            request,
            queryset,
            follow_up_cancel,
            lambda count: ngettext(
                "%(count)d task cancelled.", "%(count)d tasks cancelled.", count
            ),
        )


class ReminderFailureFilter(admin.SimpleListFilter):
    """Failures first: what a coordinator or admin has to look at."""

    title = _("delivery")
    parameter_name = "delivery"

    def lookups(self, request, model_admin):
        return [
            ("failed", _("Failed")),
            ("retrying", _("Failed once, will retry")),
            ("stuck", _("Claimed, not sent yet")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "failed":
            return queryset.filter(state=Reminder.State.FAILED)
        if self.value() == "retrying":
            return queryset.filter(state=Reminder.State.PENDING, attempts__gt=0)
        if self.value() == "stuck":
            return queryset.filter(state__in=[Reminder.State.QUEUED, Reminder.State.SENDING])
        return queryset


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdminMixin, ScopedFormsMixin, admin.ModelAdmin):
    """Reminders are rows of the reminder plan (casework.reminders): shown, and failed
    ones sent again; never edited by hand, so exactly-once delivery holds."""

    list_display = ["kind", "sequence", "recipient", "follow_up", "due_at", "state", "attempts"]
    list_filter = [ReminderFailureFilter, "state", "kind"]
    actions = ["retry_failed"]
    search_fields = ["recipient__username", "follow_up__title", "last_error"]
    list_select_related = ["recipient", "follow_up"]
    show_full_result_count = False

    @admin.action(description=_("Send the selected failed reminders again"))
    def retry_failed(self, request, queryset):
        retried = reminders_retry(reminder_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext(
                "%(count)d failed reminder will be sent again within a minute.",
                "%(count)d failed reminders will be sent again within a minute.",
                retried,
            )
            % {"count": retried},
        )

    def get_queryset(self, request) -> QuerySet:
        # A reminder's task names its case: hidden tasks stay hidden here too.
        return (
            super()
            .get_queryset(request)
            .filter(recipient__in=users_visible_to(request.user).values("pk"))
            .filter(
                Q(follow_up__isnull=True)
                | Q(follow_up__in=follow_ups_visible_to(request.user).values("pk"))
            )
        )


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, ScopedFormsMixin, admin.ModelAdmin):
    list_display = ["title", "user", "created_at", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["title", "user__username"]
    list_select_related = ["user"]
    show_full_result_count = False

    def get_queryset(self, request) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .filter(user__in=users_visible_to(request.user).values("pk"))
            .filter(
                Q(case__isnull=True)
                | Q(case__in=cases_visible_to(request.user, include_archived=True))
            )
        )
