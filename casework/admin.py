"""The admin site, held to the rules the pages obey.

- Every changelist, change page and history page reads through the visibility functions
  (casework.visibility, advocacy.visibility, casework.followups): an object out of scope
  is a 404, as on the pages.
- Every foreign key and many-to-many field of every form, inlines included, offers and
  accepts only what the related model's admin shows this user (ScopedFormsMixin), and
  no field uses a raw-id widget: ForeignKeyRawIdWidget looks a typed id up with the
  default manager and prints the object's name next to it, even when the form refuses it.
- Relation list filters list only what the related model's admin shows
  (ScopedRelatedFieldListFilter, registered for every admin).
- Writes that carry rules go through the action layer: status changes only through
  casework.status (status events are read-only here), follow-ups through
  casework.followups, archiving through casework.archive; history pages show but never
  revert (a revert saves an old version past all of these).
- Accounts, memberships and organisations are managed by superusers and host admins only
  (casework.roles); nobody but a superuser edits their own membership or grants staff or
  superuser status; second-factor secrets are never shown.
- Every page that shows a restricted case logs it (casework.audit).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.filters import FieldListFilter, RelatedFieldListFilter
from django.contrib.admin.sites import NotRegistered
from django.contrib.admin.utils import get_model_from_relation
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django_otp.admin import OTPAdminSite
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from casework.archive import case_archive, case_restore, person_archive, person_restore
from casework.audit import restricted_case_views_record
from casework.cases import (
    case_is_editable_by,
    cases_editable_by,
    user_may_change_records_of,
)
from casework.followups import (
    EDITABLE_FIELDS as FOLLOW_UP_EDITABLE_FIELDS,
)
from casework.followups import (
    follow_up_cancel,
    follow_up_complete,
    follow_up_update,
    follow_ups_visible_to,
    user_manages_follow_ups,
)
from casework.importing.runs import import_organisations_for, import_runs_visible_to
from casework.models import (
    Affiliation,
    Case,
    CaseEvent,
    Charge,
    ColumnMapping,
    DetentionPlace,
    FollowUp,
    ImportMatchDecision,
    ImportRun,
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
from casework.roles import (
    organisations_recordable_by,
    user_manages_accounts,
    user_may_manage_account,
    users_manageable_by,
)
from casework.status import case_event_add, case_event_correct
from casework.visibility import (
    cases_visible_to,
    organisations_visible_to,
    people_visible_to,
    user_may_archive,
    user_sees_sensitive_fields,
    users_visible_to,
)

User = get_user_model()


# --- What a user may pick: the related model's admin decides ---------------------------


def admin_related_queryset(admin_site, model, request) -> QuerySet:
    """The rows of ``model`` this user may see in the admin: its admin's get_queryset,
    which is the visibility rule. Models the admin does not register hold no case data
    (permissions, content types; tests/test_idor.py fails when a model with case data is
    left unregistered), and offer every row, as Django would."""
    try:
        related_admin = admin_site.get_model_admin(model)
    except NotRegistered:
        return model._default_manager.all()
    queryset = related_admin.get_queryset(request)
    ordering = related_admin.get_ordering(request)
    if ordering:
        queryset = queryset.order_by(*ordering)
    return queryset


class ScopedRelatedFieldListFilter(RelatedFieldListFilter):
    """A relation filter lists what the related model's admin shows this user, not every
    row of the table (every organisation's name, every account)."""

    def field_choices(self, field, request, model_admin):
        queryset = admin_related_queryset(
            model_admin.admin_site, get_model_from_relation(field), request
        )
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            queryset = queryset.order_by(*ordering)
        return [(obj.pk, str(obj)) for obj in queryset]


# Before Django's own RelatedFieldListFilter, for every admin, ours and the packages'.
FieldListFilter.register(
    lambda field: field.remote_field, ScopedRelatedFieldListFilter, take_priority=True
)


class ScopedFormsMixin:
    """For ModelAdmins and inlines alike: every foreign key and many-to-many form field
    offers and accepts only the rows the related model's admin shows this user. Pair with
    autocomplete_fields (whose search and rendering go through the same querysets), never
    raw_id_fields."""

    raw_id_fields = ()
    # A web address typed without a scheme is taken as https (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_field_queryset(self, db, db_field, request):
        return admin_related_queryset(self.admin_site, db_field.remote_field.model, request)

    def view_on_site(self, obj):
        # The object's own page, where the visibility rule applies, rather than Django's
        # admin/r/<content type>/<id>/ redirect, which AdvocaseAdminSite removes.
        return obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else None


class AdvocaseAdminSite(OTPAdminSite):
    """django-otp's admin site (no page without a second factor), without Django's "view on
    site" redirect: it looks any id of any model up outside every ModelAdmin's queryset
    and answers a redirect for one that exists, hidden or not, and 404 for one that does
    not. config/urls.py installs this class on admin.site."""

    def get_urls(self):
        return [url for url in super().get_urls() if getattr(url, "name", None) != "view_on_site"]


class NameKeySearchMixin:
    """Admin search by any spelling or script, through casework.names."""

    name_key_field = "name_keys__key"

    def get_search_results(self, request, queryset, search_term):
        matched, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        keys = name_search_keys(search_term) if search_term else []
        if keys:
            # Within the queryset given (the user's scope, the list filters chosen).
            matched = matched | queryset.filter(**{f"{self.name_key_field}__in": keys})
            may_have_duplicates = True
        return matched, may_have_duplicates


class NoHardDeleteMixin:
    """People, cases and documents are archived, never deleted."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class NoBulkDeleteMixin:
    """Django's "delete selected" action asks for the delete permission once, for the
    model, never for each row: where the rule depends on the row (one's own membership,
    a superuser's device), rows are deleted one at a time, through the delete page."""

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class ReadOnlyAdminMixin:
    """Rows the system writes (reminders, notifications, logs, import runs): shown, never
    added, changed or deleted by hand."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ActionLayerInlineMixin:
    """An inline whose rows are saved by a function of the action layer (save_row), not
    by the form: the formset hands each new or changed row, with the acting user, to it."""

    def save_row(self, *, row, by, changed: list[str]):
        raise NotImplementedError

    def get_formset(self, request, obj=None, **kwargs):
        base = super().get_formset(request, obj, **kwargs)
        inline = self

        class ActionLayerFormSet(base):
            def save_new(self, form, commit=True):
                setattr(form.instance, self.fk.name, self.instance)
                return inline.save_row(row=form.instance, by=request.user, changed=[])

            def save_existing(self, form, obj, commit=True):
                return inline.save_row(
                    row=form.instance, by=request.user, changed=list(form.changed_data)
                )

        return ActionLayerFormSet


class RestrictedViewsLoggedMixin:
    """Pages that show cases log the restricted ones they showed (casework.audit):
    changelists (the rows of the page), change pages and history pages."""

    def cases_shown(self, request, objects: list) -> Iterable[Case] | QuerySet[Case]:
        """The cases these objects display; none by default."""
        return []

    def _log_cases_shown(self, request, objects: list) -> None:
        if objects:
            restricted_case_views_record(
                user=request.user, cases=self.cases_shown(request, objects), via=request.path
            )

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            self._log_cases_shown(request, list(changelist.result_list))
        return response

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Rendered for a GET and for a POST the form refused: both show the case.
        if obj is not None and obj.pk is not None:
            self._log_cases_shown(request, [obj])
        return super().render_change_form(request, context, add, change, form_url, obj)


class HistoryAdmin(RestrictedViewsLoggedMixin, ScopedFormsMixin, SimpleHistoryAdmin):
    """django-simple-history's pages, held to the admin's queryset: its history view
    falls back to the history table for an id outside get_queryset, and its version page
    reads any version by id; both answer 404 here. Reverting is off (a revert saves an old
    version past the action layer: a status without its timeline event, a due date without
    its reminders, a membership back in another organisation), and fields the user may
    not see (history_hidden_fields) are left out of the changes listed."""

    def history_hidden_fields(self, request) -> set[str]:
        return set()

    def _visible_object(self, request, object_id):
        obj = self.get_queryset(request).filter(pk=object_id).first()
        if obj is None:
            raise Http404("No such record.")
        return obj

    def history_view(self, request, object_id, extra_context=None):
        obj = self._visible_object(request, object_id)
        self._log_cases_shown(request, [obj])
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self._visible_object(request, object_id)
        if request.method != "GET":
            raise PermissionDenied("Versions are shown, not reverted.")
        self._log_cases_shown(request, [obj])
        return super().history_form_view(
            request, object_id, version_id, extra_context=extra_context
        )

    def revert_disabled(self, request, obj=None) -> bool:
        return True

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        hidden = sorted(self.history_hidden_fields(request))
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current, excluded_fields=hidden, foreign_keys_are_objs=foreign_keys_are_objs
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current


class ArchiveActionsMixin:
    """Archive and restore from the changelist, through casework.archive."""

    actions = ["archive_selected", "restore_selected"]
    archive_function = None
    restore_function = None

    @admin.action(description="Archive selected records")
    def archive_selected(self, request, queryset):
        if not user_may_archive(request.user):
            raise PermissionDenied
        for record in queryset:
            type(self).archive_function(record, request.user)
        self.message_user(request, f"{len(queryset)} archived.")

    @admin.action(description="Restore selected records")
    def restore_selected(self, request, queryset):
        if not user_may_archive(request.user):
            raise PermissionDenied
        for record in queryset:
            type(self).restore_function(record, request.user)
        self.message_user(request, f"{len(queryset)} restored.")


# --- Organisations, memberships, accounts, second factors -----------------------------


@admin.register(Organisation)
class OrganisationAdmin(HistoryAdmin):
    list_display = ["name", "slug", "kind", "country"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request) -> QuerySet:
        return organisations_visible_to(request.user)

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and user_manages_accounts(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and user_manages_accounts(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_delete_permission(request, obj)


@admin.register(Membership)
class MembershipAdmin(NoBulkDeleteMixin, HistoryAdmin):
    list_display = ["user", "organisation", "role", "timezone", "email_notifications"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user", "organisation"]

    def get_queryset(self, request) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .filter(user__in=users_visible_to(request.user).values("pk"))
        )

    def get_readonly_fields(self, request, obj=None):
        # A membership belongs to its user: moving it to another account is a new one.
        return ["user"] if obj is not None else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = users_manageable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and user_manages_accounts(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and user_may_manage_account(
            user=request.user, account=obj.user if obj is not None else None
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and user_may_manage_account(
            user=request.user, account=obj.user if obj is not None else None
        )


class MembershipInline(ScopedFormsMixin, admin.StackedInline):
    model = Membership
    fields = ["organisation", "role", "timezone", "email_notifications"]
    autocomplete_fields = ["organisation"]
    can_delete = False
    max_num = 1

    def _may_manage(self, request, obj) -> bool:
        return user_may_manage_account(user=request.user, account=obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return super().has_add_permission(request, obj) and self._may_manage(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self._may_manage(request, obj)


with contextlib.suppress(NotRegistered):  # replaced by ours below
    admin.site.unregister(User)


@admin.register(User)
class UserAdmin(ScopedFormsMixin, DjangoUserAdmin):
    """Accounts: everyone for superusers and host admins, one's own organisation for
    anyone else (read-only). Staff and superuser status, groups and permissions are a
    superuser's to grant; groups follow the membership's role anyway."""

    inlines = [MembershipInline]
    list_display = ["username", "email", "first_name", "last_name", "organisation", "is_active"]
    list_select_related = ["membership__organisation"]
    PRIVILEGE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")

    @admin.display(description="organisation", ordering="membership__organisation__name")
    def organisation(self, user) -> str:
        membership = getattr(user, "membership", None)
        return str(membership.organisation) if membership else "—"

    def get_queryset(self, request) -> QuerySet:
        return (
            super().get_queryset(request).filter(pk__in=users_visible_to(request.user).values("pk"))
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += [*self.PRIVILEGE_FIELDS, "last_login", "date_joined"]
        return readonly

    def get_inline_instances(self, request, obj=None):
        # The membership is set once the account exists (the add page is Django's two-step).
        return super().get_inline_instances(request, obj) if obj is not None else []

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and user_manages_accounts(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and user_may_manage_account(
            user=request.user, account=obj
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        # Accounts are deactivated, not deleted: their history rows name them.
        return request.user.is_superuser and super().has_delete_permission(request, obj)


class SecondFactorDeviceAdmin(NoBulkDeleteMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Second-factor devices. The one thing done with a device here is deleting it when
    its owner lost their phone; they set up a new one at the next sign-in. Secrets (the
    TOTP key, its QR code, backup codes) are never shown, and devices are never created
    here: whoever creates a device knows its key."""

    list_display = ["user", "name", "created_at", "last_used_at", "confirmed"]
    list_filter = ["confirmed"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user"]

    def get_queryset(self, request) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .filter(user__in=users_visible_to(request.user).values("pk"))
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        opts = self.opts
        if not request.user.has_perm(f"{opts.app_label}.delete_{opts.model_name}"):
            return False
        return obj is None or user_may_manage_account(user=request.user, account=obj.user)


for _device_model in (TOTPDevice, StaticDevice):
    with contextlib.suppress(NotRegistered):  # django-otp's shows the secrets
        admin.site.unregister(_device_model)
    admin.site.register(_device_model, SecondFactorDeviceAdmin)


# --- Vocabularies ----------------------------------------------------------------------


@admin.register(Affiliation)
class AffiliationAdmin(HistoryAdmin):
    list_display = ["name", "short_name", "kind", "banned_as_extremist"]
    list_filter = ["kind", "banned_as_extremist"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Charge)
class ChargeAdmin(HistoryAdmin):
    list_display = ["jurisdiction", "code", "article", "part", "title"]
    list_filter = ["jurisdiction", "code"]
    search_fields = ["article", "title"]


@admin.register(DetentionPlace)
class DetentionPlaceAdmin(HistoryAdmin):
    list_display = ["name", "region", "kind"]
    list_filter = ["region"]
    search_fields = ["name", "region"]


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
    archive_function = staticmethod(lambda person, user: person_archive(person=person, by=user))
    restore_function = staticmethod(lambda person, user: person_restore(person=person, by=user))
    sensitive_fields = ("family_contacts",)
    list_display = ["full_name", "native_name", "birth_year", "region", "occupation", "archived_at"]
    list_filter = ["occupation", "gender", "region", "affiliations", "owning_organisation"]
    search_fields = ["full_name", "native_name", "aliases__name"]
    filter_horizontal = ["affiliations"]
    inlines = [PersonAliasInline, CaseInline]
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
            raise ValidationError("An event cannot be dated in the future.")
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
        raise PermissionDenied("Status events change through the case's status form.")
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
    OwnRecordsMixin,
    ArchiveActionsMixin,
    NameKeySearchMixin,
    NoHardDeleteMixin,
    HistoryAdmin,
):
    archive_function = staticmethod(lambda case, user: case_archive(case=case, by=user))
    restore_function = staticmethod(lambda case, user: case_restore(case=case, by=user))
    name_key_field = "person__name_keys__key"
    sensitive_fields = Case.SENSITIVE_FIELDS
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
    inlines = [StatusEventInline, CaseEventInline, FollowUpInline]
    show_full_result_count = False
    date_hierarchy = "detained_on"
    list_per_page = 50

    def get_queryset(self, request) -> QuerySet:
        return cases_visible_to(request.user, include_archived=True)

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

    @admin.display(description="status")
    def status_change(self, case: Case) -> str:
        if case.pk is None:
            return "Unknown (set it on the case page once the case is saved)."
        return format_html(
            '{} — <a href="{}">change it on the case page</a>',
            case.get_status_display(),
            reverse("case_status_change", args=[case.pk]),
        )

    def cases_shown(self, request, objects):
        return objects


@admin.register(CaseEvent)
class CaseEventAdmin(StatusEventForbiddenMixin, HistoryAdmin):
    form = CaseEventForm
    list_display = ["case", "happened_on", "kind", "status", "created_by"]
    list_filter = ["kind", "status"]
    search_fields = ["case__reference", "description", "source"]
    list_select_related = ["case", "case__person", "created_by"]
    autocomplete_fields = ["case"]
    show_full_result_count = False

    def get_queryset(self, request) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .filter(case__in=cases_visible_to(request.user, include_archived=True))
        )

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


# --- Follow-ups, reminders, notifications ---------------------------------------------


class FollowUpAdminForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        # casework.followups.follow_up_update refuses these too; said before saving.
        if self.instance.pk is not None and self.instance.status != FollowUp.State.OPEN:
            raise ValidationError("Only an open task can be edited.")
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
        return [follow_up.case for follow_up in objects]

    def save_model(self, request, obj, form, change):
        changes = {
            name: form.cleaned_data[name]
            for name in form.changed_data
            if name in FOLLOW_UP_EDITABLE_FIELDS
        }
        if changes:
            follow_up_update(follow_up=obj, by=request.user, **changes)

    def _act_on_each(self, request, queryset, action, done: str) -> None:
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
            self.message_user(request, f"{succeeded} task(s) {done}.")

    @admin.action(description="Mark the selected tasks done")
    def complete_selected(self, request, queryset):
        self._act_on_each(request, queryset, follow_up_complete, "marked done")

    @admin.action(description="Cancel the selected tasks")
    def cancel_selected(self, request, queryset):
        self._act_on_each(request, queryset, follow_up_cancel, "cancelled")


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
class ReminderAdmin(ReadOnlyAdminMixin, ScopedFormsMixin, admin.ModelAdmin):
    """Reminders are rows of the reminder plan (casework.reminders): shown, and failed
    ones sent again; never edited by hand, so exactly-once delivery holds."""

    list_display = ["kind", "sequence", "recipient", "follow_up", "due_at", "state", "attempts"]
    list_filter = [ReminderFailureFilter, "state", "kind"]
    actions = ["retry_failed"]
    search_fields = ["recipient__username", "follow_up__title", "last_error"]
    list_select_related = ["recipient", "follow_up"]
    show_full_result_count = False

    @admin.action(description="Send the selected failed reminders again")
    def retry_failed(self, request, queryset):
        retried = reminders_retry(reminder_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request, f"{retried} failed reminder(s) will be sent again within a minute."
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


@admin.register(RestrictedCaseView)
class RestrictedCaseViewAdmin(ReadOnlyAdminMixin, ScopedFormsMixin, admin.ModelAdmin):
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
        if request.user.is_superuser:
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
        if request.user.is_superuser:
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
        if request.user.is_superuser:
            return Organisation.objects.all()
        return import_organisations_for(request.user)

    def get_queryset(self, request) -> QuerySet:
        return super().get_queryset(request).filter(organisation__in=self._organisations(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = self._organisations(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
