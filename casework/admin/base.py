"""The base of every ModelAdmin and inline: what a user may pick and filter by is what
the related model's admin shows them, history pages held to the admin's queryset and
never reverting, restricted cases shown logged, archiving through casework.archive."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import admin, messages
from django.contrib.admin.filters import FieldListFilter, RelatedFieldListFilter
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.sites import NotRegistered
from django.contrib.admin.utils import get_model_from_relation
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_noop, ngettext_lazy
from django.utils.translation import gettext_lazy as _
from django_otp.admin import OTPAdminSite
from simple_history.admin import SimpleHistoryAdmin

from casework.archive import record_archive, record_restore
from casework.audit import restricted_case_views_record
from casework.models import Case
from casework.names import name_search_keys
from casework.permissions import (
    ARCHIVING_REFUSED,
    refuse_unless,
    user_may_archive,
)
from casework.visibility import cases_visible_to

# The archive actions' messages, each % {"count": n}.
ARCHIVED = ngettext_lazy("%(count)d record archived.", "%(count)d records archived.", "count")
RESTORED = ngettext_lazy("%(count)d record restored.", "%(count)d records restored.", "count")
NOT_YOURS = ngettext_lazy(
    "%(count)d record is not yours to change and was left as it was.",
    "%(count)d records are not yours to change and were left as they were.",
    "count",
)

# Django's own admin messages that put a plural model name after a number ("Успешно удалены
# 5 импорты"): listed here so the project's catalogue, which takes precedence over
# Django's, words them without the number governing the name.
DJANGO_MESSAGES_REWORDED = (gettext_noop("Successfully deleted %(count)d %(items)s."),)


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
    not. config/urls_admin.py installs this class on admin.site."""

    site_header = _("Advocase administration")
    site_title = _("Advocase admin")
    index_title = _("Records and settings")

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


class OfVisibleCasesMixin:
    """Rows that belong to a case (events, logs of who looked): those of the cases the user
    may see, archived ones included."""

    def get_queryset(self, request) -> QuerySet:
        visible = cases_visible_to(request.user, include_archived=True)
        return super().get_queryset(request).filter(case__in=visible)


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


# Django admin's own words, translated by its catalogue (so not a message of this project's:
# a name rather than a literal in gettext(), which makemessages would copy into ours).
DJANGO_ACTION_CHECKBOX_LABEL = "Select this object for an action - {}"


class ActionCheckboxMixin:
    """The changelist's checkbox for actions, written as Django's CheckboxInput draws it
    (django/forms/widgets/input.html and attrs.html) without the form renderer's two
    templates per row: 14% of a changelist's work. The same element, attributes and
    escaping (tests/casework/admin/test_action_checkbox.py holds it to Django's own)."""

    def action_checkbox(self, obj) -> SafeString:
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            str(obj.pk),
            format_html(gettext(DJANGO_ACTION_CHECKBOX_LABEL), str(obj)),
        )


class HistoryAdmin(
    ActionCheckboxMixin, RestrictedViewsLoggedMixin, ScopedFormsMixin, SimpleHistoryAdmin
):
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
            raise PermissionDenied(gettext("Versions are shown, not reverted."))
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
    """Archive and restore from the changelist, through casework.archive: for those who may
    archive (casework.permissions), and of the selected rows only those they may change."""

    actions = ["archive_selected", "restore_selected"]

    def _set_archived(self, request, queryset, *, archive: bool) -> None:
        refuse_unless(user_may_archive(request.user), ARCHIVING_REFUSED)
        write = record_archive if archive else record_restore
        records = list(queryset)
        allowed = [record for record in records if self.has_change_permission(request, record)]
        for record in allowed:
            write(record=record, by=request.user)
        done = ARCHIVED if archive else RESTORED
        self.message_user(request, done % {"count": len(allowed)})
        if len(allowed) < len(records):
            left = len(records) - len(allowed)
            self.message_user(request, NOT_YOURS % {"count": left}, messages.WARNING)

    @admin.action(description=_("Archive selected records"))
    def archive_selected(self, request, queryset):
        self._set_archived(request, queryset, archive=True)

    @admin.action(description=_("Restore selected records"))
    def restore_selected(self, request, queryset):
        self._set_archived(request, queryset, archive=False)
