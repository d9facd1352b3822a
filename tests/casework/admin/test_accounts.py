"""Accounts, memberships, organisations and second-factor devices in the admin
(casework/admin/accounts.py): managed by superusers and host admins only."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from casework.followups import follow_up_create
from casework.models import (
    Membership,
    Organisation,
    Reminder,
    Role,
)
from casework.security import user_ensure_totp_device
from tests.conftest import _signed_in
from tests.factories import CaseFactory, PersonFactory
from tests.support.admin_forms import admin_change_page_post, admin_post_data
from tests.support.catalogues import every_marked_string_tagged


def test_it_does_not_let_a_partner_admin_move_their_own_membership_to_the_host(
    client, partner_admin, host
):
    _signed_in(client, partner_admin)
    membership = Membership.objects.get(user=partner_admin)
    url = f"/admin/casework/membership/{membership.pk}/change/"
    assert client.get(url).status_code == 200  # they may look at it
    response = client.post(url, {"organisation": host.pk, "role": Role.ADMIN, "timezone": "UTC"})
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.organisation_id != host.pk


def test_it_does_not_let_a_host_admin_edit_their_own_membership(client, host_admin):
    _signed_in(client, host_admin)
    membership = Membership.objects.get(user=host_admin)
    response = client.post(
        f"/admin/casework/membership/{membership.pk}/change/",
        {"role": Role.CASEWORKER, "timezone": "UTC", "organisation": membership.organisation_id},
    )
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN


def test_it_shows_a_partner_admin_only_their_own_organisations_accounts_and_organisations(
    client, partner_admin, partner_user, caseworker, other_partner_user
):
    _signed_in(client, partner_admin)
    users = client.get("/admin/auth/user/").text
    assert partner_user.username in users
    assert f">{caseworker.username}<" not in users and other_partner_user.username not in users
    # Django's admin answers a missing id with a redirect to the index; a hidden one the same.
    hidden = client.get(f"/admin/auth/user/{caseworker.pk}/change/")
    missing = client.get("/admin/auth/user/987654321/change/")
    assert (hidden.status_code, hidden["Location"]) == (missing.status_code, missing["Location"])
    memberships = client.get("/admin/casework/membership/").text
    assert other_partner_user.username not in memberships
    organisations = client.get("/admin/casework/organisation/").text
    assert "Other Partner" not in organisations
    assert "Bostandyq Partner" in organisations


def test_it_does_not_let_a_partner_admin_change_any_account(client, partner_admin, partner_user):
    _signed_in(client, partner_admin)
    url = f"/admin/auth/user/{partner_user.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"username": partner_user.username, "is_superuser": "on"})
    assert response.status_code == 403
    partner_user.refresh_from_db()
    assert not partner_user.is_superuser
    assert client.post(f"/admin/auth/user/{partner_user.pk}/password/").status_code == 403
    assert client.get("/admin/auth/user/add/").status_code == 403


def test_it_does_not_let_a_host_admin_grant_staff_or_superuser_status(
    client, host_admin, partner_user
):
    _signed_in(client, host_admin)
    url = f"/admin/auth/user/{partner_user.pk}/change/"
    data, response = admin_change_page_post(client, url, first_name="Renamed")
    data.update({"is_staff": "on", "is_superuser": "on"})
    response = client.post(url, data)
    assert response.status_code == 302, response.text[:2000]
    partner_user.refresh_from_db()
    assert partner_user.first_name == "Renamed"  # the change itself went through
    assert not partner_user.is_staff and not partner_user.is_superuser


def test_it_lets_a_host_admin_change_a_partner_members_role(client, host_admin, partner_user):
    _signed_in(client, host_admin)
    membership = Membership.objects.get(user=partner_user)
    _data, response = admin_change_page_post(
        client, f"/admin/casework/membership/{membership.pk}/change/", role=Role.CASEWORKER
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.CASEWORKER
    assert membership.history.latest().history_user == host_admin


def test_it_does_not_let_a_host_admin_touch_a_superuser(client, host_admin, admin_user):
    _signed_in(client, host_admin)
    url = f"/admin/auth/user/{admin_user.pk}/change/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"username": "taken-over"}).status_code == 403
    assert client.post(f"/admin/auth/user/{admin_user.pk}/password/", {}).status_code == 403


def test_it_lets_only_superusers_and_host_admins_add_organisations(
    client, partner_admin, host_admin
):
    _signed_in(client, partner_admin)
    assert client.get("/admin/casework/organisation/add/").status_code == 403
    _signed_in(client, host_admin)
    response = client.post(
        "/admin/casework/organisation/add/",
        {
            "name": "New Partner",
            "slug": "new-partner",
            "kind": Organisation.Kind.PARTNER,
        },
    )
    assert response.status_code == 302
    assert Organisation.objects.filter(slug="new-partner").exists()


def test_it_never_shows_second_factor_secrets_and_lets_a_host_admin_delete_a_lost_device(
    client, host_admin, coordinator
):
    device, _url = user_ensure_totp_device(user=coordinator)
    backup = StaticDevice.objects.create(user=coordinator, name="backup")
    StaticToken.objects.create(device=backup, token="zz-backup-code")
    _signed_in(client, host_admin)
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert page.status_code == 200
    assert device.key not in page.text
    assert (
        "zz-backup-code"
        not in client.get(f"/admin/otp_static/staticdevice/{backup.pk}/change/").text
    )
    for view in ("config", "qrcode"):  # django-otp's pages showing the key: not routed
        assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/{view}/").status_code != 200
    assert client.get("/admin/otp_totp/totpdevice/add/").status_code == 403
    response = client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not type(device).objects.filter(pk=device.pk).exists()


def test_it_keeps_other_organisations_out_of_a_partner_admins_list_filters(
    client, partner_admin, other_partner_organisation, partner_organisation
):
    CaseFactory(
        owning_organisation=partner_organisation,
        person=PersonFactory(owning_organisation=partner_organisation),
    )
    _signed_in(client, partner_admin)
    for url in ("/admin/casework/case/", "/admin/casework/person/", "/admin/auth/user/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert other_partner_organisation.name not in response.text, url


def test_it_heads_the_accounts_organisation_column_in_the_admins_language(
    client, host_admin, monkeypatch
):
    from tests.support.catalogues import every_marked_string_tagged

    every_marked_string_tagged(monkeypatch, "ru", "[ru] ")
    Membership.objects.filter(user=host_admin).update(language="ru")
    _signed_in(client, host_admin)
    assert "[ru] organisation" in client.get("/admin/auth/user/").text


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ru", ["Администрирование Advocase", "Работа с делами", "Членства", "Часовой пояс"]),
        ("kk", ["Advocase әкімшілігі", "Істермен жұмыс", "Мүшеліктер", "Уақыт белдеуі"]),
    ],
)
def test_it_names_the_apps_models_and_columns_in_the_admins_language(
    client, host_admin, language, expected
):
    Membership.objects.filter(user=host_admin).update(language=language)
    _signed_in(client, host_admin)
    index = client.get("/admin/").text
    memberships = client.get("/admin/casework/membership/").text
    for words in expected:
        assert words in index + memberships, words
    assert "Memberships" not in index and "Timezone" not in memberships
    assert "Django" not in index
    # The sign-in apps' records (django-otp's and django-axes' names are English only).
    assert not {"Otp_Totp", "TOTP devices", "Static devices", "Axes"} & set(_visible_texts(index))


def _visible_texts(page: str) -> list[str]:
    return [text.strip() for text in re.split(r"<[^>]+>", page) if text.strip()]


def test_every_field_and_model_the_admin_shows_has_a_translatable_name():
    from django.apps import apps
    from django.contrib import admin
    from django.db import models
    from django.utils.functional import Promise

    untranslatable = []
    for model in admin.site._registry:
        if model._meta.app_label not in {"casework", "advocacy", "accountability"}:
            continue
        if not isinstance(model._meta.original_attrs.get("verbose_name_plural"), Promise):
            untranslatable.append(f"{model._meta.label} (Meta.verbose_name_plural)")
        for field in model._meta.get_fields():
            if not (field.concrete or field.many_to_many) or field.auto_created:
                continue
            if isinstance(field, models.GeneratedField):
                continue  # kept by the database, never shown to be filled
            if not isinstance(field._verbose_name, Promise):
                untranslatable.append(f"{model._meta.label}.{field.name}")
    assert not untranslatable, untranslatable
    assert all(
        isinstance(apps.get_app_config(label).verbose_name, Promise)
        for label in ("casework", "advocacy", "accountability")
    )


def test_it_refuses_a_time_zone_typed_by_hand_on_a_membership(client, host_admin, caseworker):
    """ "Almaty" is no IANA name: stored, it would be read as UTC and the user's reminders
    would come at 09:00 UTC (15:00 in Almaty) without a word."""
    _signed_in(client, host_admin)
    membership = Membership.objects.get(user=caseworker)
    _data, response = admin_change_page_post(
        client, f"/admin/casework/membership/{membership.pk}/change/", timezone="Almaty"
    )
    assert response.status_code == 200
    assert "Timezone:</label>" in response.text  # capitalised as the admin's other labels
    membership.refresh_from_db()
    assert membership.timezone == "UTC"


def test_it_moves_pending_reminders_when_an_admin_changes_a_members_time_zone(
    client, host_admin, coordinator, caseworker
):
    follow_up = follow_up_create(
        case=CaseFactory(assigned_caseworker=caseworker),
        title="Visit",
        assignee=caseworker,
        by=coordinator,
        due_on=timezone.localdate() + dt.timedelta(days=10),
    )
    _signed_in(client, host_admin)
    _data, response = admin_change_page_post(
        client,
        f"/admin/casework/membership/{Membership.objects.get(user=caseworker).pk}/change/",
        timezone="Asia/Almaty",
    )
    assert response.status_code == 302
    # The coordinator's, through the membership inline of their account's page.
    url = f"/admin/auth/user/{coordinator.pk}/change/"
    data = admin_post_data(client.get(url), choose=lambda name, field: None, add_inline_rows=False)
    data["membership-0-timezone"] = "Europe/Warsaw"
    assert client.post(url, data).status_code == 302
    assert Membership.objects.get(user=coordinator).timezone == "Europe/Warsaw"
    due = Reminder.objects.get(follow_up=follow_up, kind=Reminder.Kind.DUE)
    assert due.due_at.astimezone(ZoneInfo("Asia/Almaty")).hour == 9
    escalation = Reminder.objects.get(follow_up=follow_up, kind=Reminder.Kind.ESCALATION)
    assert escalation.due_at.astimezone(ZoneInfo("Europe/Warsaw")).hour == 9


def test_it_lets_a_host_admin_set_a_new_members_language_on_their_account_page(
    client, host_admin, caseworker
):
    """A Kazakh-speaking member's first reminder (the task just given to them) comes before
    they ever signed in to pick a language: the admin sets it with the account."""
    _signed_in(client, host_admin)
    url = f"/admin/auth/user/{caseworker.pk}/change/"
    data = admin_post_data(client.get(url), choose=lambda name, field: None, add_inline_rows=False)
    data["membership-0-language"] = "kk"
    assert client.post(url, data).status_code == 302
    membership = Membership.objects.get(user=caseworker)
    assert membership.language == "kk"
    page = client.get(f"/admin/casework/membership/{membership.pk}/change/").text
    assert 'name="language"' in page


def test_it_adds_an_account_that_can_sign_in_with_its_name_and_email(client, host_admin):
    """The add page offers no "password-based authentication: disabled" (for single sign-on,
    which Advocase has not), and asks the e-mail reminders go to."""
    _signed_in(client, host_admin)
    page = client.get("/admin/auth/user/add/").text
    assert 'name="usable_password"' not in page
    assert 'name="email"' in page
    response = client.post(
        "/admin/auth/user/add/",
        {
            "username": "aigerim",
            "first_name": "Aigerim",
            "last_name": "Nurlanova",
            "email": "aigerim@example.org",
            "password1": "steppe-lantern-orbit-42",
            "password2": "steppe-lantern-orbit-42",
        },
    )
    assert response.status_code == 302, response.text[:2000]
    user = get_user_model().objects.get(username="aigerim")
    assert user.has_usable_password() and user.check_password("steppe-lantern-orbit-42")
    assert (user.email, user.first_name) == ("aigerim@example.org", "Aigerim")


def test_it_tells_whoever_deactivates_a_member_what_they_leave_open(
    client, host_admin, coordinator, caseworker
):
    follow_up_create(
        case=CaseFactory(assigned_caseworker=caseworker),
        title="Visit",
        assignee=caseworker,
        by=coordinator,
        due_on=timezone.localdate() + dt.timedelta(days=10),
    )
    _signed_in(client, host_admin)
    url = f"/admin/auth/user/{caseworker.pk}/change/"
    data = admin_post_data(client.get(url), choose=lambda name, field: None, add_inline_rows=False)
    data.pop("is_active", None)
    response = client.post(url, data, follow=True)
    caseworker.refresh_from_db()
    assert not caseworker.is_active
    text = " ".join(str(message) for message in response.context["messages"])
    assert "caseworker has 1 open task; it gets no reminders any more." in text


def test_it_names_second_factor_devices_columns_in_the_readers_language(
    monkeypatch, client, host_admin, coordinator
):
    """The lost-phone page of the Russian admin: django-otp names its fields in English."""
    every_marked_string_tagged(monkeypatch, "ru", "[ru] ")
    user_ensure_totp_device(user=coordinator)
    _signed_in(client, host_admin)
    client.cookies["django_language"] = "ru"
    listing = client.get("/admin/otp_totp/totpdevice/", HTTP_ACCEPT_LANGUAGE="ru").text
    for header in ("user", "name", "created at", "last used", "confirmed"):
        assert f"[ru] {header}" in listing, header
    assert "Last used at" not in listing and "Created at" not in listing


def test_it_replaces_the_password_and_ends_the_sessions_of_whoever_lost_their_last_device(
    client, host_admin, coordinator, password
):
    """The lost phone may hold the password: whoever finds it must not be the one who
    sets up the next authenticator app, nor sign in with the phone's backup codes."""
    from django.contrib.admin.models import LogEntry
    from django.test import Client

    device, _url = user_ensure_totp_device(user=coordinator)
    backup = StaticDevice.objects.create(user=coordinator, name="backup")
    StaticToken.objects.create(device=backup, token="zz-backup-code")
    on_the_lost_phone = _signed_in(Client(), coordinator)
    assert on_the_lost_phone.get("/").status_code == 200
    _signed_in(client, host_admin)
    response = client.post(
        f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"}, follow=True
    )
    coordinator.refresh_from_db()
    assert not coordinator.has_usable_password()
    assert not coordinator.check_password(password)
    assert on_the_lost_phone.get("/").status_code == 302
    assert not StaticToken.objects.filter(device__user=coordinator).exists()
    text = " ".join(str(message) for message in response.context["messages"])
    assert "Set a new password for coordinator" in text
    entry = LogEntry.objects.filter(object_id=str(coordinator.pk)).get()
    assert entry.user == host_admin
    assert "the last authenticator app was removed" in entry.get_change_message()


def test_it_asks_for_a_time_zone_where_one_typed_by_hand_was_stored(client, host_admin, caseworker):
    """A membership that kept "Almaty" from before: its page offers no zone as chosen (the
    browser would otherwise pick the first, Africa/Abidjan) and saving asks for one."""
    Membership.objects.filter(user=caseworker).update(timezone="Almaty")
    _signed_in(client, host_admin)
    url = f"/admin/casework/membership/{Membership.objects.get(user=caseworker).pk}/change/"
    page = client.get(url).text
    select = page[page.index('<select name="timezone"') :]
    assert select.split("\n")[1].strip() == '<option value="" selected>---------</option>'
    data = admin_post_data(client.get(url), choose=lambda name, field: None)
    data["timezone"] = ""  # what the browser sends with that choice shown
    response = client.post(url, data)
    assert response.status_code == 200  # refused: a zone must be picked
    assert Membership.objects.get(user=caseworker).timezone == "Almaty"


def test_it_tells_whoever_moves_a_member_where_their_open_tasks_stay(
    client, host_admin, coordinator, caseworker, partner_organisation
):
    task = follow_up_create(
        case=CaseFactory(),
        title="Visit",
        assignee=caseworker,
        by=coordinator,
        due_on=timezone.localdate() + dt.timedelta(days=20),
    )
    _signed_in(client, host_admin)
    url = f"/admin/casework/membership/{Membership.objects.get(user=caseworker).pk}/change/"
    data = admin_post_data(client.get(url), choose=lambda name, field: None)
    data["organisation"] = str(partner_organisation.pk)
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    text = " ".join(str(message) for message in response.context["messages"])
    assert "caseworker leaves 1 open task in the organisation they left" in text
    task.refresh_from_db()
    assert task.left_organisation_id == coordinator.membership.organisation_id
