"""People, cases and their timelines: fetched through casework.visibility, changed by
those casework.permissions allows, status events read-only (a status changes through
casework.status on the case page), sensitive fields left out for partner users; and the
log of who looked at which restricted case."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX

from casework.admin.base import (
    ActionLayerInlineMixin,
    ArchiveActionsMixin,
    HistoryAdmin,
    NameKeySearchMixin,
    NoHardDeleteMixin,
    OfVisibleCasesMixin,
    ReadOnlyAdminMixin,
    ScopedFormsMixin,
)
from casework.admin.provenance import ProvenanceInline
from casework.audit import restricted_case_views_record
from casework.models import (
    Case,
    CaseEvent,
    FollowUp,
    Person,
    PersonAlias,
    RestrictedCaseView,
)
from casework.permissions import (
    case_is_editable_by,
    cases_editable_by,
    organisations_recordable_by,
    user_may_change_records_of,
    user_sees_sensitive_fields,
)
from casework.resources import CaseExportResource
from casework.status import case_event_add, case_event_correct
from casework.visibility import (
    cases_visible_to,
    follow_ups_visible_to,
    people_visible_to,
)

# --- People and cases ------------------------------------------------------------------


class PersonAliasInline(ScopedFormsMixin, admin.TabularInline):
    model = PersonAlias
    extra = 1
    fields = ["name", "kind", "match_keys"]
    readonly_fields = ["match_keys"]


class CaseInline(ScopedFormsMixin, admin.TabularInline):
    model = Case
    extra = 0
    fields = ["reference", "status", "status_since", "owning_organisation", "confidentiality"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request) -> QuerySet:
        # A person page must not list the restricted cases of the person the user cannot see.
        return cases_visible_to(request.user, include_archived=True)


class OwnRecordsMixin:
    """People and cases: who may change them follows casework.cases (the owning
    organisation's staff; host staff for every organisation), a new record belongs to an
    organisation the user records for, and sensitive fields are left out for partner
    users, on the form and in the history."""

    sensitive_fields: tuple[str, ...] = ()

    def history_hidden_fields(self, request) -> set[str]:
        hidden = set(super().history_hidden_fields(request))
        if not user_sees_sensitive_fields(request.user):
            hidden.update(self.sensitive_fields)
        return hidden

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if not user_sees_sensitive_fields(request.user):
            exclude += list(self.sensitive_fields)
        return exclude

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if user_sees_sensitive_fields(request.user):
            return fields
        return [name for name in fields if name not in self.sensitive_fields]

    def has_change_permission(self, request, obj=None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or user_may_change_records_of(
            user=request.user, organisation_id=obj.owning_organisation_id
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owning_organisation":
            kwargs["queryset"] = organisations_recordable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Person)
class PersonAdmin(
    OwnRecordsMixin,
    ArchiveActionsMixin,
    NameKeySearchMixin,
    NoHardDeleteMixin,
    HistoryAdmin,
):
    sensitive_fields = ("family_contacts",)
    list_display = ["full_name", "native_name", "birth_year", "region", "occupation", "archived_at"]
    list_filter = ["occupation", "gender", "region", "affiliations", "owning_organisation"]
    search_fields = ["full_name", "native_name", "aliases__name"]
    filter_horizontal = ["affiliations"]
    inlines = [PersonAliasInline, CaseInline, ProvenanceInline]
    show_full_result_count = False
    list_per_page = 50

    def get_queryset(self, request) -> QuerySet:
        return people_visible_to(request.user, include_archived=True)

    def get_readonly_fields(self, request, obj=None):
        readonly = ["match_keys", "created_by", "created_at", "updated_at", "archived_at"]
        if obj is not None:
            readonly.append("owning_organisation")
        return readonly

    def cases_shown(self, request, objects):
        # The change page lists the person's cases the user may see (CaseInline).
        if len(objects) != 1:
            return []
        return cases_visible_to(request.user, include_archived=True).filter(person=objects[0])


class StatusEventForbiddenMixin:
    """Status events are written by casework.status.case_change_status only, so the
    timeline never disagrees with the case: never added or changed by hand here."""

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        field = super().formfield_for_choice_field(db_field, request, **kwargs)
        if db_field.name == "kind":
            field.choices = [
                choice for choice in field.choices if choice[0] != CaseEvent.Kind.STATUS
            ]
        return field


class CaseEventForm(forms.ModelForm):
    def clean_happened_on(self):
        # casework.status.case_event_add refuses it too; said here, next to the field.
        happened_on = self.cleaned_data["happened_on"]
        if happened_on and happened_on > timezone.localdate():
            raise ValidationError(_("An event cannot be dated in the future."))
        return happened_on


def case_event_save(*, event: CaseEvent, by) -> CaseEvent:
    """A new event goes through casework.status.case_event_add; an edited one keeps its kind
    rule (never a status) and names its editor in the history."""
    if event.pk is None:
        return case_event_add(
            case=event.case,
            kind=event.kind,
            happened_on=event.happened_on,
            source=event.source,
            description=event.description,
            by=by,
        )
    if event.kind == CaseEvent.Kind.STATUS:
        raise PermissionDenied(_("Status events change through the case's status form."))
    return case_event_correct(
        event=event,
        by=by,
        kind=event.kind,
        happened_on=event.happened_on,
        source=event.source,
        description=event.description,
    )


class StatusEventInline(ScopedFormsMixin, admin.TabularInline):
    """The case's status changes, read-only: made on the case page's "Change status"."""

    model = CaseEvent
    verbose_name = "status change"
    verbose_name_plural = "status changes (change the status on the case page)"
    extra = 0
    fields = ["happened_on", "previous_status", "status", "source", "description", "created_by"]
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request) -> QuerySet:
        return super().get_queryset(request).filter(kind=CaseEvent.Kind.STATUS)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class CaseEventInline(
    ActionLayerInlineMixin, StatusEventForbiddenMixin, ScopedFormsMixin, admin.TabularInline
):
    model = CaseEvent
    form = CaseEventForm
    verbose_name_plural = "timeline events other than status changes"
    extra = 0
    fields = ["happened_on", "kind", "source", "description", "created_by"]
    readonly_fields = ["created_by"]
    can_delete = False

    def get_queryset(self, request) -> QuerySet:
        return super().get_queryset(request).exclude(kind=CaseEvent.Kind.STATUS)

    def save_row(self, *, row, by, changed):
        return case_event_save(event=row, by=by)


class FollowUpInline(ScopedFormsMixin, admin.TabularInline):
    """Read-only: tasks are created, edited, completed and reassigned through
    casework.followups (the task pages, or the follow-up admin), which keep their
    reminders in step."""

    model = FollowUp
    extra = 0
    fields = ["title", "assignee", "assigned_by", "due_on", "priority", "status"]
    readonly_fields = fields
    fk_name = "case"
    show_change_link = True
    can_delete = False

    def get_queryset(self, request) -> QuerySet:
        return follow_ups_visible_to(request.user)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(
    ExportMixin,
    OwnRecordsMixin,
    ArchiveActionsMixin,
    NameKeySearchMixin,
    NoHardDeleteMixin,
    HistoryAdmin,
):
    name_key_field = "person__name_keys__key"
    sensitive_fields = Case.SENSITIVE_FIELDS
    # The same columns as the case list's export (casework.resources), of the cases this
    # admin lists: the visible ones, sources and health notes only for those who see them.
    resource_classes = [CaseExportResource]
    formats = [CSV, XLSX]
    list_display = [
        "reference",
        "person",
        "status",
        "status_since",
        "owning_organisation",
        "confidentiality",
        "assigned_caseworker",
    ]
    list_filter = [
        "status",
        "confidentiality",
        "owning_organisation",
        "concern_torture",
        "concern_health",
        "concern_incommunicado",
        "concern_family_harassment",
        "concern_transnational_repression",
        "charges",
    ]
    search_fields = [
        "reference",
        "person__full_name",
        "person__native_name",
        "person__aliases__name",
    ]
    list_select_related = ["person", "owning_organisation", "assigned_caseworker"]
    autocomplete_fields = ["person", "assigned_caseworker", "detention_place"]
    filter_horizontal = ["charges"]
    # advocacy.admin adds the inline of the documents naming the case (casework does not
    # import advocacy).
    inlines = [StatusEventInline, CaseEventInline, FollowUpInline, ProvenanceInline]
    show_full_result_count = False
    date_hierarchy = "detained_on"
    list_per_page = 50

    def get_queryset(self, request) -> QuerySet:
        return cases_visible_to(request.user, include_archived=True)

    def get_export_resource_kwargs(self, request, **kwargs):
        return {"include_sensitive": user_sees_sensitive_fields(request.user)}

    def get_data_for_export(self, request, queryset, **kwargs):
        restricted_case_views_record(user=request.user, cases=queryset, via="admin:export")
        return super().get_data_for_export(request, queryset, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # Status goes through casework.status.case_change_status (the timeline), archiving
        # through the actions; reference, person and organisation stay what they were.
        readonly = ["status", "status_change", "status_since", "archived_at"]
        readonly += ["created_by", "created_at", "updated_at"]
        if obj is not None:
            readonly += ["reference", "person", "owning_organisation"]
        return readonly

    def get_fields(self, request, obj=None):
        fields = [name for name in super().get_fields(request, obj) if name != "status"]
        return ["status_change", *[name for name in fields if name != "status_change"]]

    @admin.display(description=_("status"))
    def status_change(self, case: Case) -> str:
        if case.pk is None:
            return str(_("Unknown (set it on the case page once the case is saved)."))
        return format_html(
            '{} — <a href="{}">change it on the case page</a>',
            case.get_status_display(),
            reverse("case_status_change", args=[case.pk]),
        )

    def cases_shown(self, request, objects):
        return objects


@admin.register(CaseEvent)
class CaseEventAdmin(OfVisibleCasesMixin, StatusEventForbiddenMixin, HistoryAdmin):
    form = CaseEventForm
    list_display = ["case", "happened_on", "kind", "status", "created_by"]
    list_filter = ["kind", "status"]
    search_fields = ["case__reference", "description", "source"]
    list_select_related = ["case", "case__person", "created_by"]
    autocomplete_fields = ["case"]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        readonly = ["status", "previous_status", "created_by", "created_at", "updated_at"]
        if obj is not None:
            readonly.append("case")
        return readonly

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and (
            obj.kind == CaseEvent.Kind.STATUS
            or not case_is_editable_by(case=obj.case, user=request.user)
        ):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        # An event is removed on the case page, by a coordinator, with a reason
        # (casework.status.case_event_remove), never deleted.
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "case":
            # An event is added to a case the user may change, as on the case page.
            kwargs["queryset"] = cases_editable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def cases_shown(self, request, objects):
        return [event.case for event in objects]

    def save_model(self, request, obj, form, change):
        saved = case_event_save(event=obj, by=request.user)
        obj.pk = saved.pk
        obj._state.adding = False


@admin.register(RestrictedCaseView)
class RestrictedCaseViewAdmin(
    OfVisibleCasesMixin, ReadOnlyAdminMixin, ScopedFormsMixin, admin.ModelAdmin
):
    """Who looked at which restricted case: read-only, and only for cases the reader may see."""

    list_display = ["viewed_at", "user", "case", "path"]
    list_select_related = ["user", "case", "case__person"]
    search_fields = ["case__reference", "user__username"]
    date_hierarchy = "viewed_at"
    show_full_result_count = False
