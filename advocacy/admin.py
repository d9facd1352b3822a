from django.contrib import admin
from django.db.models import QuerySet
from simple_history.admin import SimpleHistoryAdmin

from advocacy.archive import document_archive, document_restore
from advocacy.models import Document, IssuingBody, Mention
from casework.admin import ArchiveActionsMixin, NoHardDeleteMixin, VisibleObjectsOnlyMixin
from casework.visibility import cases_visible_to


@admin.register(IssuingBody)
class IssuingBodyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


class MentionInline(admin.TabularInline):
    model = Mention
    extra = 0
    fields = ["case", "matched_text", "passage", "origin", "state", "confirmed_by"]
    raw_id_fields = ["case"]
    readonly_fields = ["confirmed_by"]

    def get_queryset(self, request) -> QuerySet:
        return super().get_queryset(request).filter(case__in=cases_visible_to(request.user))


@admin.register(Document)
class DocumentAdmin(ArchiveActionsMixin, NoHardDeleteMixin, SimpleHistoryAdmin):
    archive_function = staticmethod(
        lambda document, user: document_archive(document=document, by=user)
    )
    restore_function = staticmethod(
        lambda document, user: document_restore(document=document, by=user)
    )
    list_display = ["title", "kind", "issuing_body", "reference", "issued_on"]
    list_filter = ["kind", "issuing_body", "language"]
    search_fields = ["title", "reference", "procedure"]
    date_hierarchy = "issued_on"
    inlines = [MentionInline]
    show_full_result_count = False


@admin.register(Mention)
class MentionAdmin(VisibleObjectsOnlyMixin, SimpleHistoryAdmin):
    list_display = ["document", "case", "origin", "state", "confirmed_by"]
    list_filter = ["origin", "state"]
    search_fields = ["document__title", "case__reference", "matched_text"]
    list_select_related = ["document", "case", "case__person"]
    raw_id_fields = ["document", "case"]
    show_full_result_count = False

    def get_queryset(self, request) -> QuerySet:
        return super().get_queryset(request).filter(case__in=cases_visible_to(request.user))
