"""Organisations, memberships, accounts and second-factor devices: managed by
superusers and host admins only (casework.permissions); nobody but a superuser edits
their own membership or grants staff or superuser status; second-factor secrets are
never shown."""

from __future__ import annotations

import contextlib

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.sites import NotRegistered
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserCreationForm
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.admin.base import (
    HistoryAdmin,
    NoBulkDeleteMixin,
    ReadOnlyAdminMixin,
    ScopedFormsMixin,
)
from casework.admin.provenance import ProvenanceInline
from casework.followup_forms import TIMEZONE_NAMES, TimezoneSelect
from casework.models import (
    FollowUp,
    Membership,
    Organisation,
)
from casework.permissions import (
    user_is_active_superuser,
    user_manages_accounts,
    user_may_manage_account,
    users_manageable_by,
)
from casework.reminders import reminders_sync_for_user
from casework.visibility import (
    organisations_visible_to,
    users_visible_to,
)

User = get_user_model()


# --- Organisations, memberships, accounts, second factors -----------------------------


@admin.register(Organisation)
class OrganisationAdmin(HistoryAdmin):
    inlines = [ProvenanceInline]
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
        return user_is_active_superuser(request.user) and super().has_delete_permission(
            request, obj
        )


class MembershipForm(forms.ModelForm):
    """A time zone is picked from the IANA list, as on the user's own preferences page: a
    name typed by hand ("Almaty", "UTC+5") would be read as UTC, and the user's reminders
    would arrive at 09:00 UTC without a word."""

    timezone = forms.ChoiceField(
        label=capfirst(_("timezone")),
        choices=[(name, name) for name in TIMEZONE_NAMES],
        widget=TimezoneSelect,
        initial="UTC",
    )

    class Meta:
        model = Membership
        fields = ["user", "organisation", "role", "timezone", "language", "email_notifications"]


def membership_saved(*, request, membership: Membership, changed: list[str]) -> None:
    if "timezone" in changed:
        reminders_sync_for_user(user_id=membership.user_id)
    if "organisation" in changed:
        # The tasks stayed with the organisation left (casework.signals): whoever moved the
        # member is told how many, and where that organisation's coordinators find them.
        left_open = (
            FollowUp.objects.filter(
                assignee_id=membership.user_id,
                status=FollowUp.State.OPEN,
                left_organisation__isnull=False,
            )
            .exclude(left_organisation_id=membership.organisation_id)
            .count()
        )
        if left_open:
            message = ngettext(
                "%(user)s leaves %(count)d open task in the organisation they left; they get "
                "no reminders of it. Its coordinators find it under Tasks → Tasks of members "
                "who left.",
                "%(user)s leaves %(count)d open tasks in the organisation they left; they get "
                "no reminders of them. Its coordinators find them under Tasks → Tasks of "
                "members who left.",
                left_open,
            ) % {"user": membership.user.get_username(), "count": left_open}
            messages.warning(request, message)


@admin.register(Membership)
class MembershipAdmin(NoBulkDeleteMixin, HistoryAdmin):
    form = MembershipForm
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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        membership_saved(request=request, membership=obj, changed=form.changed_data)

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
    form = MembershipForm
    # The language too: reminders and emails speak it, and a new member's first ones (the
    # task just given to them) come before they have signed in to pick it.
    fields = ["organisation", "role", "timezone", "language", "email_notifications"]
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
    # Django's add page asks whether password sign-in is enabled, for single sign-on and
    # LDAP, which Advocase has not: "disabled" made an account nobody could sign in to.
    # The name and e-mail are asked at once: reminders go to that address.
    add_form = UserCreationForm
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    list_select_related = ["membership__organisation"]
    PRIVILEGE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")

    @admin.display(description=_("organisation"), ordering="membership__organisation__name")
    def organisation(self, user) -> str:
        membership = getattr(user, "membership", None)
        return str(membership.organisation) if membership else "—"

    def get_queryset(self, request) -> QuerySet:
        return (
            super().get_queryset(request).filter(pk__in=users_visible_to(request.user).values("pk"))
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not user_is_active_superuser(request.user):
            readonly += [*self.PRIVILEGE_FIELDS, "last_login", "date_joined"]
        return readonly

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            # Their reminders stop now: whoever deactivates a member who leaves is told
            # what they leave open, and where it waits for a new assignee.
            left_open = FollowUp.objects.filter(assignee=obj, status=FollowUp.State.OPEN).count()
            if left_open:
                message = ngettext(
                    "%(user)s has %(count)d open task; it gets no reminders any more. "
                    "Reassign it under Tasks → Tasks of members who left.",
                    "%(user)s has %(count)d open tasks; they get no reminders any more. "
                    "Reassign them under Tasks → Tasks of members who left.",
                    left_open,
                ) % {"user": obj.get_username(), "count": left_open}
                messages.warning(request, message)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Membership:
            for membership_form in formset.forms:
                if membership_form.instance.pk is not None:
                    membership_saved(
                        request=request,
                        membership=membership_form.instance,
                        changed=membership_form.changed_data,
                    )

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
        return user_is_active_superuser(request.user) and super().has_delete_permission(
            request, obj
        )


class DeviceConfirmedFilter(admin.SimpleListFilter):
    title = _("confirmed")
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return [("1", _("Yes")), ("0", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(confirmed=self.value() == "1")
        return queryset


class SecondFactorDeviceAdmin(NoBulkDeleteMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Second-factor devices. The one thing done with a device here is deleting it when
    its owner lost their phone; their password goes with their last app (an admin sets a
    new one) and they set up a new app at the next sign-in. Secrets (the
    TOTP key, its QR code, backup codes) are never shown, and devices are never created
    here: whoever creates a device knows its key."""

    # django-otp names its fields in English only: the columns, the page and the filter
    # are named here, in the reader's language.
    list_display = [
        "device_user",
        "device_name",
        "device_created_at",
        "device_last_used_at",
        "device_confirmed",
    ]
    list_filter = [DeviceConfirmedFilter]
    fields = [
        "device_user",
        "device_name",
        "device_confirmed",
        "device_created_at",
        "device_last_used_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("user"), ordering="user__username")
    def device_user(self, device) -> str:
        return str(device.user)

    @admin.display(description=_("name"), ordering="name")
    def device_name(self, device) -> str:
        return device.name

    @admin.display(description=_("created at"), ordering="created_at")
    def device_created_at(self, device):
        return device.created_at

    @admin.display(description=_("last used"), ordering="last_used_at")
    def device_last_used_at(self, device):
        return device.last_used_at

    @admin.display(description=_("confirmed"), boolean=True, ordering="confirmed")
    def device_confirmed(self, device) -> bool:
        return device.confirmed

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

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        user = obj.user
        user.refresh_from_db(fields=["password"])
        if not isinstance(obj, TOTPDevice) or user.has_usable_password():
            return
        # The last app went, and with it the password (casework.security): the account's
        # own history says so, and the admin is told what to do next.
        self.log_change(
            request,
            user,
            gettext(
                "Password made unusable, sessions ended and backup codes cancelled: "
                "the last authenticator app was removed."
            ),
        )
        messages.warning(
            request,
            gettext(
                "%(user)s can no longer sign in: the lost phone may hold their password, so "
                "it was made unusable, their sessions ended and their backup codes were "
                "cancelled. Set a new password for %(user)s on their account and give it to "
                "them in person; they set up a new authenticator app at their next sign-in."
            )
            % {"user": user.get_username()},
        )


for _device_model in (TOTPDevice, StaticDevice):
    with contextlib.suppress(NotRegistered):  # django-otp's shows the secrets
        admin.site.unregister(_device_model)
    admin.site.register(_device_model, SecondFactorDeviceAdmin)


def third_party_admin_names_translate() -> None:
    """The admin's names for the sign-in apps' records, in the reader's language: django-otp
    names its apps and devices in English only, and django-axes its app. Set on the model and
    app metadata the admin reads, not on what migrations record (Meta's original_attrs)."""
    names = {
        "axes": (_("Sign-in attempts"), {}),
        "otp_totp": (
            _("Authenticator apps"),
            {TOTPDevice: (_("authenticator app"), _("authenticator apps"))},
        ),
        "otp_static": (
            _("Backup codes"),
            {StaticDevice: (_("backup code list"), _("backup code lists"))},
        ),
    }
    for label, (app_name, models) in names.items():
        apps.get_app_config(label).verbose_name = app_name
        for model, (singular, plural) in models.items():
            model._meta.verbose_name, model._meta.verbose_name_plural = singular, plural


third_party_admin_names_translate()
