"""The import history, remembered match decisions and column mappings, for the
organisations a user imports for (casework.permissions)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet

from casework.admin.base import NoBulkDeleteMixin, ReadOnlyAdminMixin, ScopedFormsMixin
from casework.models import (
    ColumnMapping,
    ImportMatchDecision,
    ImportRun,
    Organisation,
)
from casework.permissions import (
    import_organisations_for,
    user_is_active_superuser,
)
from casework.visibility import (
    import_runs_visible_to,
    people_visible_to,
)

# --- Imports ---------------------------------------------------------------------------


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdminMixin, ScopedFormsMixin, admin.ModelAdmin):
    """The import history: who, when, for which organisation, which file, what it did.
    Row errors and headers are left out: they quote the file, names of people included."""

    list_display = [
        "created_at",
        "user",
        "organisation",
        "file_name",
        "file_sha256",
        "state",
        "rows_total",
        "count_new",
        "count_updated",
        "count_unchanged",
        "count_possible_duplicates",
        "count_errors",
    ]
    fields = [
        "created_at",
        "user",
        "organisation",
        "file_name",
        "file_sha256",
        "file_size",
        "file_format",
        "dry_run",
        "state",
        "rows_total",
        "rows_done",
        "count_new",
        "count_updated",
        "count_unchanged",
        "count_possible_duplicates",
        "count_errors",
        "started_at",
        "finished_at",
    ]
    readonly_fields = fields
    list_filter = ["state", "organisation"]
    search_fields = ["file_name", "file_sha256", "user__username"]
    list_select_related = ["user", "organisation"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    def get_queryset(self, request) -> QuerySet:
        if user_is_active_superuser(request.user):
            return super().get_queryset(request)
        return import_runs_visible_to(request.user)


@admin.register(ImportMatchDecision)
class ImportMatchDecisionAdmin(NoBulkDeleteMixin, admin.ModelAdmin):
    """The "same person" / "new person" answers given on import previews, which later
    imports follow. Made only by the preview; deleting one here makes the next import ask
    about that row again."""

    list_display = ["organisation", "person", "choice", "decided_by", "decided_at"]
    list_filter = ["choice", "organisation"]
    search_fields = ["person__full_name", "person__native_name"]
    list_select_related = ["organisation", "person", "decided_by"]
    fields = ["organisation", "person", "choice", "decided_by", "decided_at"]
    readonly_fields = fields
    show_full_result_count = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request) -> QuerySet:
        queryset = super().get_queryset(request)
        if user_is_active_superuser(request.user):
            return queryset
        return queryset.filter(
            organisation__in=import_organisations_for(request.user),
            person__in=people_visible_to(request.user, include_archived=True),
        )


@admin.register(ColumnMapping)
class ColumnMappingAdmin(ScopedFormsMixin, admin.ModelAdmin):
    """The headers each organisation's files use, remembered by the importer."""

    list_display = ["organisation", "header", "field", "updated_at"]
    list_filter = ["organisation"]
    search_fields = ["header", "field"]
    list_select_related = ["organisation"]

    @staticmethod
    def _organisations(request) -> QuerySet[Organisation]:
        if user_is_active_superuser(request.user):
            return Organisation.objects.all()
        return import_organisations_for(request.user)

    def get_queryset(self, request) -> QuerySet:
        return super().get_queryset(request).filter(organisation__in=self._organisations(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = self._organisations(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
