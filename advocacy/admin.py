"""Documents and mentions in the admin, under the rules of casework.admin (built from its
base mixins): documents through advocacy.visibility, mentions only of cases the user may
see, every case and document field scoped to what the user may see, no raw-id widgets."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin

from advocacy.mentions import mention_confirm, mention_reject
from advocacy.models import Document, IssuingBody, Mention
from advocacy.resources import IssuingBodyResource
from advocacy.visibility import documents_visible_to, mentions_visible_to
from casework.admin.base import (
    ActionLayerInlineMixin,
    ArchiveActionsMixin,
    HistoryAdmin,
    NoHardDeleteMixin,
    ScopedFormsMixin,
)
from casework.admin.provenance import ProvenanceInline
from casework.admin.records import CaseAdmin
from casework.admin.vocabularies import SPREADSHEET_FORMATS
from casework.models import Case
from casework.visibility import cases_visible_to
from common.history import history_save

MENTION_FIELDS = [
    "passage",
    "quoted_in",
    "matched_text",
    *Mention.DEMAND_FIELDS,
    "state",
    "origin",
    "confirmed_by",
    "confirmed_at",
]
MENTION_READONLY_FIELDS = ["origin", "confirmed_by", "confirmed_at"]


def mention_save_from_admin(*, mention: Mention, by, state_changed: bool) -> Mention:
    """A mention entered in the admin is entered by hand, like one added on the document
    page; a state chosen here is a confirmation or rejection by this user."""
    if mention.pk is None:
        mention.origin = Mention.Origin.MANUAL
        if mention.state != Mention.State.PROPOSED:
            mention.confirmed_by = by
            mention.confirmed_at = timezone.now()
        history_save(instance=mention, by=by)
        return mention
    history_save(instance=mention, by=by)
    if state_changed and mention.state == Mention.State.CONFIRMED:
        return mention_confirm(mention=mention, by=by)
    if state_changed and mention.state == Mention.State.REJECTED:
        return mention_reject(mention=mention, by=by)
    return mention


class MentionInlineBase(ActionLayerInlineMixin, ScopedFormsMixin, admin.TabularInline):
    model = Mention
    extra = 0
    readonly_fields = MENTION_READONLY_FIELDS

    def get_queryset(self, request) -> QuerySet:
        return mentions_visible_to(request.user, include_archived=True)

    def save_row(self, *, row, by, changed):
        return mention_save_from_admin(mention=row, by=by, state_changed="state" in changed)


class MentionInline(MentionInlineBase):
    """On a document: the cases it names, those the user may see only."""

    fk_name = "document"  # not quoted_in, the document a passage is quoted from
    fields = ["case", *MENTION_FIELDS]
    autocomplete_fields = ["case"]


class CaseMentionInline(MentionInlineBase):
    """On a case: the documents that name it."""

    fields = ["document", *MENTION_FIELDS]
    autocomplete_fields = ["document"]
    verbose_name_plural = _("documents naming this case")


# The admin's case page lists the documents naming the case; casework.admin cannot
# import advocacy, so advocacy adds the inline to it.
CaseAdmin.inlines = [*CaseAdmin.inlines, CaseMentionInline]


@admin.register(IssuingBody)
class IssuingBodyAdmin(ImportExportMixin, ScopedFormsMixin, admin.ModelAdmin):
    resource_classes = [IssuingBodyResource]
    formats = SPREADSHEET_FORMATS
    inlines = [ProvenanceInline]
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


@admin.register(Document)
class DocumentAdmin(ArchiveActionsMixin, NoHardDeleteMixin, HistoryAdmin):
    list_display = ["title", "kind", "issuing_body", "reference", "issued_on", "archived_at"]
    list_filter = ["kind", "issuing_body", "language"]
    search_fields = ["title", "reference", "procedure"]
    readonly_fields = ["archived_at", "created_by", "created_at", "updated_at"]
    date_hierarchy = "issued_on"
    inlines = [MentionInline, ProvenanceInline]
    show_full_result_count = False

    def get_queryset(self, request) -> QuerySet:
        return documents_visible_to(request.user, include_archived=True)

    def cases_shown(self, request, objects):
        # The change page lists the mentions of the cases the user may see (MentionInline).
        if len(objects) != 1:
            return []
        return cases_visible_to(request.user, include_archived=True).filter(
            mentions__document=objects[0]
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Mention)
class MentionAdmin(HistoryAdmin):
    list_display = ["document", "case", "origin", "state", "confirmed_by"]
    list_filter = ["origin", "state"]
    search_fields = ["document__title", "case__reference", "matched_text"]
    list_select_related = ["document", "case", "case__person", "confirmed_by"]
    autocomplete_fields = ["document", "case"]
    readonly_fields = MENTION_READONLY_FIELDS
    inlines = [ProvenanceInline]
    show_full_result_count = False

    def get_queryset(self, request) -> QuerySet:
        return mentions_visible_to(request.user, include_archived=True)

    def cases_shown(self, request, objects) -> list[Case]:
        return [mention.case for mention in objects]

    def save_model(self, request, obj, form, change):
        mention_save_from_admin(
            mention=obj, by=request.user, state_changed="state" in form.changed_data
        )
