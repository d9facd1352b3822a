from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from casework.archive import case_archive, case_restore, person_archive, person_restore
from casework.audit import case_record_view
from casework.models import (
    Affiliation,
    Case,
    CaseEvent,
    Charge,
    DetentionPlace,
    FollowUp,
    Membership,
    Notification,
    Organisation,
    Person,
    PersonAlias,
    Reminder,
    RestrictedCaseView,
)
from casework.names import name_search_keys
from casework.reminders import reminders_retry
from casework.visibility import cases_visible_to, people_visible_to


class NameKeySearchMixin:
    """Admin search by any spelling or script, through casework.names."""

    name_key_field = "name_keys__key"

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        keys = name_search_keys(search_term) if search_term else []
        if keys:
            by_key = self.model.objects.filter(**{f"{self.name_key_field}__in": keys})
            queryset = queryset | by_key.filter(pk__in=self.get_queryset(request).values("pk"))
            may_have_duplicates = True
        return queryset, may_have_duplicates


class NoHardDeleteMixin:
    """People, cases and documents are archived, never deleted."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class VisibleObjectsOnlyMixin:
    """The admin obeys casework.visibility beyond its changelist: django-simple-history's
    history pages read any row by id, and a raw-id or autocomplete field accepts any id
    typed into it, so both are held to the same rule as get_queryset."""

    def history_view(self, request, object_id, extra_context=None):
        if not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404("No such record.")
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404("No such record.")
        return super().history_form_view(
            request, object_id, version_id, extra_context=extra_context
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Case:
            kwargs["queryset"] = cases_visible_to(request.user, include_archived=True)
        elif db_field.related_model is Person:
            kwargs["queryset"] = people_visible_to(request.user, include_archived=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ArchiveActionsMixin:
    """Archive and restore from the changelist, through casework.archive."""

    actions = ["archive_selected", "restore_selected"]
    archive_function = None
    restore_function = None

    def _user_may_archive(self, request) -> bool:
        from casework.visibility import user_may_archive

        return user_may_archive(request.user)

    @admin.action(description="Archive selected records")
    def archive_selected(self, request, queryset):
        if not self._user_may_archive(request):
            raise PermissionDenied
        for record in queryset:
            type(self).archive_function(record, request.user)
        self.message_user(request, f"{len(queryset)} archived.")

    @admin.action(description="Restore selected records")
    def restore_selected(self, request, queryset):
        if not self._user_may_archive(request):
            raise PermissionDenied
        for record in queryset:
            type(self).restore_function(record, request.user)
        self.message_user(request, f"{len(queryset)} restored.")


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "slug", "kind", "country"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "role", "timezone", "email_notifications"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(Affiliation)
class AffiliationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "banned_as_extremist"]
    list_filter = ["kind", "banned_as_extremist"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Charge)
class ChargeAdmin(SimpleHistoryAdmin):
    list_display = ["jurisdiction", "code", "article", "part", "title"]
    list_filter = ["jurisdiction", "code"]
    search_fields = ["article", "title"]


@admin.register(DetentionPlace)
class DetentionPlaceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "region", "kind"]
    list_filter = ["region"]
    search_fields = ["name", "region"]


class PersonAliasInline(admin.TabularInline):
    model = PersonAlias
    extra = 1
    fields = ["name", "kind", "match_keys"]
    readonly_fields = ["match_keys"]


class CaseInline(admin.TabularInline):
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


@admin.register(Person)
class PersonAdmin(
    ArchiveActionsMixin,
    VisibleObjectsOnlyMixin,
    NameKeySearchMixin,
    NoHardDeleteMixin,
    SimpleHistoryAdmin,
):
    archive_function = staticmethod(lambda person, user: person_archive(person=person, by=user))
    restore_function = staticmethod(lambda person, user: person_restore(person=person, by=user))
    list_display = ["full_name", "native_name", "birth_year", "region", "occupation", "archived_at"]
    list_filter = ["occupation", "gender", "region", "affiliations", "owning_organisation"]
    search_fields = ["full_name", "native_name", "aliases__name"]
    readonly_fields = ["match_keys", "created_at", "updated_at"]
    filter_horizontal = ["affiliations"]
    inlines = [PersonAliasInline, CaseInline]
    show_full_result_count = False
    list_per_page = 50

    def get_queryset(self, request) -> QuerySet:
        return people_visible_to(request.user, include_archived=True)


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    fields = ["happened_on", "kind", "status", "source", "description", "created_by"]
    readonly_fields = ["created_by"]


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0
    fields = ["title", "assignee", "assigned_by", "due_on", "priority", "status"]
    fk_name = "case"


@admin.register(Case)
class CaseAdmin(
    ArchiveActionsMixin,
    VisibleObjectsOnlyMixin,
    NameKeySearchMixin,
    NoHardDeleteMixin,
    SimpleHistoryAdmin,
):
    archive_function = staticmethod(lambda case, user: case_archive(case=case, by=user))
    restore_function = staticmethod(lambda case, user: case_restore(case=case, by=user))
    name_key_field = "person__name_keys__key"
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
    # Status goes through casework.status.case_change_status (the timeline); not edited here.
    readonly_fields = ["status", "status_since", "created_at", "updated_at"]
    inlines = [CaseEventInline, FollowUpInline]
    show_full_result_count = False
    date_hierarchy = "detained_on"
    list_per_page = 50

    def get_queryset(self, request) -> QuerySet:
        return cases_visible_to(request.user, include_archived=True)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Looking at a restricted case in the admin is a view like any other: logged.
        case = self.get_queryset(request).filter(pk=object_id).first()
        if case is not None and request.method == "GET":
            case_record_view(case=case, user=request.user, path=request.path)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(CaseEvent)
class CaseEventAdmin(VisibleObjectsOnlyMixin, SimpleHistoryAdmin):
    list_display = ["case", "happened_on", "kind", "status", "created_by"]
    list_filter = ["kind", "status"]
    search_fields = ["case__reference", "description", "source"]
    list_select_related = ["case", "created_by"]
    raw_id_fields = ["case"]
    show_full_result_count = False

    def get_queryset(self, request) -> QuerySet:
        return super().get_queryset(request).filter(case__in=cases_visible_to(request.user))


@admin.register(FollowUp)
class FollowUpAdmin(VisibleObjectsOnlyMixin, SimpleHistoryAdmin):
    list_display = ["title", "case", "assignee", "assigned_by", "due_on", "priority", "status"]
    list_filter = ["status", "priority"]
    search_fields = ["title", "case__reference"]
    list_select_related = ["case", "assignee", "assigned_by"]
    raw_id_fields = ["case", "recurrence_of"]
    show_full_result_count = False

    def get_queryset(self, request) -> QuerySet:
        return super().get_queryset(request).filter(case__in=cases_visible_to(request.user))


class ReminderFailureFilter(admin.SimpleListFilter):
    """Failures first: what a coordinator or admin has to look at."""

    title = "delivery"
    parameter_name = "delivery"

    def lookups(self, request, model_admin):
        return [
            ("failed", "Failed"),
            ("retrying", "Failed once, will retry"),
            ("stuck", "Claimed, not sent yet"),
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
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["kind", "sequence", "recipient", "follow_up", "due_at", "state", "attempts"]
    list_filter = [ReminderFailureFilter, "state", "kind"]
    actions = ["retry_failed"]

    @admin.action(description="Send the selected failed reminders again")
    def retry_failed(self, request, queryset):
        retried = reminders_retry(reminder_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request, f"{retried} failed reminder(s) will be sent again within a minute."
        )

    search_fields = ["recipient__username", "follow_up__title", "last_error"]
    list_select_related = ["recipient", "follow_up"]
    raw_id_fields = ["follow_up", "recipient"]
    readonly_fields = ["attempts", "last_error", "queued_at", "sent_at", "created_at"]
    show_full_result_count = False

    def get_queryset(self, request) -> QuerySet:
        # A reminder's task names its case: hidden cases stay hidden here too.
        return (
            super()
            .get_queryset(request)
            .filter(
                Q(follow_up__isnull=True) | Q(follow_up__case__in=cases_visible_to(request.user))
            )
        )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "created_at", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["title", "user__username"]
    raw_id_fields = ["user", "case", "reminder"]
    show_full_result_count = False

    def get_queryset(self, request) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .filter(Q(case__isnull=True) | Q(case__in=cases_visible_to(request.user)))
        )


@admin.register(RestrictedCaseView)
class RestrictedCaseViewAdmin(admin.ModelAdmin):
    """Who looked at which restricted case: read-only, and only for cases the reader may see."""

    list_display = ["viewed_at", "user", "case", "path"]
    list_select_related = ["user", "case", "case__person"]
    search_fields = ["case__reference", "user__username"]
    date_hierarchy = "viewed_at"
    show_full_result_count = False

    def get_queryset(self, request) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .filter(case__in=cases_visible_to(request.user, include_archived=True))
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
