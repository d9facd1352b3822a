"""The admin site obeys the rules the pages obey (casework/admin.py): accounts managed by
superusers and host admins only, every relation field scoped by visibility, writes
through the action layer, restricted views logged."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.contrib import admin
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from casework.followups import follow_up_create
from casework.models import (
    CaseEvent,
    ColumnMapping,
    Confidentiality,
    FollowUp,
    ImportRun,
    Membership,
    Organisation,
    Reminder,
    RestrictedCaseView,
    Role,
    Status,
)
from casework.security import user_ensure_totp_device
from tests.admin_forms import admin_post_data
from tests.conftest import _signed_in
from tests.factories import CaseFactory, PersonFactory, member


@pytest.fixture
def host_admin(host):
    return member(organisation=host, role=Role.ADMIN, username="host-admin", is_staff=True)


@pytest.fixture
def partner_admin(partner_organisation):
    return member(
        organisation=partner_organisation, role=Role.ADMIN, username="partner-admin", is_staff=True
    )


@pytest.fixture
def hidden_case(other_partner_organisation):
    """Restricted to another partner's team: no user of the host or the partner sees it."""
    person = PersonFactory(
        full_name="Zzsecret Partner Person", owning_organisation=other_partner_organisation
    )
    return CaseFactory(
        reference="SECRET-RP",
        person=person,
        owning_organisation=other_partner_organisation,
        confidentiality=Confidentiality.RESTRICTED,
    )


def _change_page_post(client, url: str, **values) -> tuple[dict, object]:
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    data = admin_post_data(page, choose=lambda name, field: values.get(name), add_inline_rows=False)
    return data, client.post(url, data)


# --- Accounts, memberships, organisations ----------------------------------------------


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
    data, response = _change_page_post(client, url, first_name="Renamed")
    data.update({"is_staff": "on", "is_superuser": "on"})
    response = client.post(url, data)
    assert response.status_code == 302, response.text[:2000]
    partner_user.refresh_from_db()
    assert partner_user.first_name == "Renamed"  # the change itself went through
    assert not partner_user.is_staff and not partner_user.is_superuser


def test_it_lets_a_host_admin_change_a_partner_members_role(client, host_admin, partner_user):
    _signed_in(client, host_admin)
    membership = Membership.objects.get(user=partner_user)
    _data, response = _change_page_post(
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
        {"name": "New Partner", "slug": "new-partner", "kind": Organisation.Kind.PARTNER},
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


# --- Relation fields never look a hidden row up ----------------------------------------


def test_it_uses_no_raw_id_widget_in_any_admin():
    offenders = []
    for model, model_admin in admin.site._registry.items():
        if model_admin.raw_id_fields:
            offenders.append(model._meta.label)
        offenders += [
            f"{model._meta.label} inline {inline.__name__}"
            for inline in model_admin.inlines
            if inline.raw_id_fields
        ]
    assert not offenders, f"raw-id widgets print the name of any id typed in: {offenders}"


# Related models with no admin of their own: nothing in them is case data.
NOT_CASE_DATA = {"auth.Permission", "contenttypes.ContentType"}


def _every_admin_form(request):
    for model, model_admin in admin.site._registry.items():
        yield model, model_admin.get_form(request)
        for inline in model_admin.get_inline_instances(request):
            yield inline.model, inline.get_formset(request).form


def test_it_offers_every_admin_form_only_rows_the_user_may_see(
    host_admin, partner_admin, hidden_case, other_partner_user
):
    factory = RequestFactory()
    checked = 0
    for user in (host_admin, partner_admin):
        request = factory.get("/admin/")
        request.user = user
        for model, form_class in _every_admin_form(request):
            for name, field in form_class.base_fields.items():
                if not isinstance(field, forms.ModelChoiceField):
                    continue
                related = field.queryset.model
                related_admin = admin.site._registry.get(related)
                if related_admin is None:
                    assert related._meta.label in NOT_CASE_DATA, (model, name, related)
                    continue
                allowed = set(related_admin.get_queryset(request).values_list("pk", flat=True))
                offered = set(field.queryset.values_list("pk", flat=True))
                assert offered <= allowed, (user.username, model._meta.label, name)
                checked += 1
        # The hidden case, its person and the other partner's account are in none of them.
    assert checked > 20


@pytest.mark.parametrize(
    "url,extra",
    [
        ("/admin/casework/caseevent/add/", {"kind": "hearing", "happened_on": "2024-01-02"}),
        ("/admin/advocacy/mention/add/", {"state": "confirmed", "origin": "manual"}),
    ],
)
def test_it_does_not_name_a_hidden_case_posted_to_an_admin_form(
    client, host_admin, hidden_case, url, extra
):
    from advocacy.models import Mention
    from tests.factories import DocumentFactory

    document = DocumentFactory()
    _signed_in(client, host_admin)
    response = client.post(url, {"case": hidden_case.pk, "document": document.pk, **extra})
    assert response.status_code == 200  # the form, with an error
    assert "SECRET-RP" not in response.text and "Zzsecret" not in response.text
    assert not CaseEvent.objects.filter(case=hidden_case).exists()
    assert not Mention.objects.filter(case=hidden_case).exists()


# --- Follow-ups through casework.followups ---------------------------------------------


@pytest.fixture
def open_task(coordinator, caseworker):
    case = CaseFactory(assigned_caseworker=caseworker)
    return follow_up_create(
        case=case,
        title="Call the lawyer",
        assignee=caseworker,
        by=coordinator,
        due_on=timezone.localdate() + datetime.timedelta(days=10),
    )


def test_it_moves_pending_reminders_when_the_admin_changes_a_due_date(
    client, host_admin, open_task
):
    pending = Reminder.objects.filter(
        follow_up=open_task, state=Reminder.State.PENDING, kind=Reminder.Kind.BEFORE_DUE
    )
    before = min(pending.values_list("due_at", flat=True))
    new_due = open_task.due_on + datetime.timedelta(days=20)
    _signed_in(client, host_admin)
    _data, response = _change_page_post(
        client, f"/admin/casework/followup/{open_task.pk}/change/", due_on=new_due
    )
    assert response.status_code == 302, response.text[:2000]
    open_task.refresh_from_db()
    assert open_task.due_on == new_due
    after = min(pending.values_list("due_at", flat=True))
    assert after - before == datetime.timedelta(days=20)


def test_it_does_not_change_a_tasks_assignee_or_status_from_the_admin_form(
    client, host_admin, open_task, coordinator
):
    _signed_in(client, host_admin)
    url = f"/admin/casework/followup/{open_task.pk}/change/"
    data, _response = _change_page_post(client, url)
    data.update({"status": FollowUp.State.DONE, "assignee": coordinator.pk})
    assert client.post(url, data).status_code == 302
    open_task.refresh_from_db()
    assert open_task.status == FollowUp.State.OPEN
    assert open_task.assignee_id != coordinator.pk
    assert client.get("/admin/casework/followup/add/").status_code == 403


def test_it_completes_a_task_from_the_admin_through_the_follow_up_actions(
    client, host_admin, open_task
):
    _signed_in(client, host_admin)
    response = client.post(
        "/admin/casework/followup/",
        {"action": "complete_selected", "_selected_action": [open_task.pk]},
    )
    assert response.status_code == 302
    open_task.refresh_from_db()
    assert open_task.status == FollowUp.State.DONE
    assert not Reminder.objects.filter(follow_up=open_task, state=Reminder.State.PENDING).exists()


# --- Status events only through casework.status ----------------------------------------


def test_it_refuses_a_status_event_added_in_the_admin(client, host_admin):
    case = CaseFactory()
    _signed_in(client, host_admin)
    response = client.post(
        "/admin/casework/caseevent/add/",
        {"case": case.pk, "kind": "status", "status": Status.RELEASED, "happened_on": "2024-03-01"},
    )
    assert response.status_code == 200  # the form again, with the kind refused
    assert not CaseEvent.objects.filter(case=case).exists()
    case.refresh_from_db()
    assert case.status == Status.PRETRIAL_DETENTION


def test_it_adds_other_events_in_the_admin_through_the_case_timeline(client, host_admin):
    case = CaseFactory()
    _signed_in(client, host_admin)
    response = client.post(
        "/admin/casework/caseevent/add/",
        {"case": case.pk, "kind": "hearing", "happened_on": "2024-03-01", "source": "court"},
    )
    assert response.status_code == 302, response.text[:3000]
    event = CaseEvent.objects.get(case=case)
    assert event.created_by == host_admin
    assert event.history.latest().history_user == host_admin


def test_it_shows_status_events_read_only(client, host_admin, coordinator):
    from casework.status import case_change_status

    case = CaseFactory()
    event = case_change_status(
        case=case, status=Status.RELEASED, on=datetime.date(2024, 5, 1), by=coordinator
    )
    _signed_in(client, host_admin)
    url = f"/admin/casework/caseevent/{event.pk}/change/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"kind": "status", "status": Status.KILLED}).status_code == 403
    event.refresh_from_db()
    assert event.status == Status.RELEASED
    # On the case page the status is a link to the case's status form, not a field.
    data, response = _change_page_post(client, f"/admin/casework/case/{case.pk}/change/")
    assert "status" not in data
    assert response.status_code == 302, response.text[:3000]
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_it_refuses_to_revert_a_record_to_an_old_version(client, host_admin):
    case = CaseFactory(summary="before")
    case.summary = "after"
    case.save()
    version = case.history.earliest()
    _signed_in(client, host_admin)
    url = f"/admin/casework/case/{case.pk}/history/{version.history_id}/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"summary": "before"}).status_code == 403
    case.refresh_from_db()
    assert case.summary == "after"


# --- Imports ---------------------------------------------------------------------------


def test_it_lists_import_runs_read_only_and_of_the_users_organisation_only(
    client, partner_admin, partner_organisation, other_partner_organisation
):
    own = ImportRun.objects.create(
        organisation=partner_organisation, file_name="ours.xlsx", file_sha256="a" * 64
    )
    ImportRun.objects.create(
        organisation=other_partner_organisation, file_name="theirs.xlsx", file_sha256="b" * 64
    )
    ColumnMapping.objects.create(organisation=other_partner_organisation, header="фио")
    _signed_in(client, partner_admin)
    listing = client.get("/admin/casework/importrun/").text
    assert "ours.xlsx" in listing and "a" * 64 in listing
    assert "theirs.xlsx" not in listing
    assert client.get(f"/admin/casework/importrun/{own.pk}/change/").status_code == 200
    assert client.post(f"/admin/casework/importrun/{own.pk}/change/", {}).status_code == 403
    assert client.get("/admin/casework/importrun/add/").status_code == 403
    assert "фио" not in client.get("/admin/casework/columnmapping/").text


# --- Restricted views logged -----------------------------------------------------------


def test_it_logs_restricted_cases_shown_in_the_admin_list_and_history(client, host_admin):
    restricted = CaseFactory(confidentiality=Confidentiality.RESTRICTED)
    CaseFactory(confidentiality=Confidentiality.INTERNAL)
    _signed_in(client, host_admin)
    assert client.get("/admin/casework/case/").status_code == 200
    assert client.get(f"/admin/casework/case/{restricted.pk}/history/").status_code == 200
    views = RestrictedCaseView.objects.filter(user=host_admin)
    assert list(views.values_list("case_id", flat=True)) == [restricted.pk, restricted.pk]
    assert {
        "/admin/casework/case/",
        f"/admin/casework/case/{restricted.pk}/history/",
    } == set(views.values_list("path", flat=True))


def test_it_logs_the_restricted_cases_a_person_page_in_the_admin_lists(client, host_admin):
    person = PersonFactory()
    restricted = CaseFactory(person=person, confidentiality=Confidentiality.RESTRICTED)
    CaseFactory(person=person)
    _signed_in(client, host_admin)
    assert client.get(f"/admin/casework/person/{person.pk}/change/").status_code == 200
    assert list(
        RestrictedCaseView.objects.filter(user=host_admin).values_list("case_id", flat=True)
    ) == [restricted.pk]


# --- Sensitive fields ------------------------------------------------------------------


def test_it_keeps_sensitive_fields_out_of_a_partner_staff_users_admin_pages(
    client, partner_organisation
):
    partner_staff = member(
        organisation=partner_organisation, role=Role.PARTNER, username="p-staff", is_staff=True
    )
    person = PersonFactory(owning_organisation=partner_organisation, family_contacts="FAMILY-X")
    case = CaseFactory(person=person, owning_organisation=partner_organisation, sources="SOURCE-X")
    case.sources = "SOURCE-Y"
    case.save()
    _signed_in(client, partner_staff)
    for url in (
        f"/admin/casework/case/{case.pk}/change/",
        f"/admin/casework/case/{case.pk}/history/",
        f"/admin/casework/person/{person.pk}/change/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        for marker in ("SOURCE-X", "SOURCE-Y", "FAMILY-X"):
            assert marker not in response.text, (url, marker)


def test_it_links_view_on_site_to_the_objects_own_page_not_the_admins_redirect(client, host_admin):
    from casework.admin.base import AdvocaseAdminSite

    names = {getattr(url, "name", None) for url in AdvocaseAdminSite().get_urls()}
    assert "view_on_site" not in names and "index" in names
    # Installed on the site config/urls.py serves: the redirect that tells whether an id
    # exists is not there at all.
    assert isinstance(admin.site, AdvocaseAdminSite)
    with pytest.raises(NoReverseMatch):
        reverse("admin:view_on_site", args=[1, 1])
    case = CaseFactory()
    _signed_in(client, host_admin)
    page = client.get(f"/admin/casework/case/{case.pk}/change/")
    assert f'href="/cases/{case.pk}/"' in page.text


def test_it_offers_no_bulk_delete_where_the_rule_depends_on_the_row(client, host_admin):
    _signed_in(client, host_admin)
    own = Membership.objects.get(user=host_admin)
    response = client.post(
        "/admin/casework/membership/",
        {"action": "delete_selected", "_selected_action": [own.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert Membership.objects.filter(pk=own.pk).exists()
    assert (
        client.post(f"/admin/casework/membership/{own.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert Membership.objects.filter(pk=own.pk).exists()


def test_it_finds_a_person_by_another_spelling_within_the_chosen_filter(client, host_admin):
    from casework.people import person_refresh_name_keys

    person = PersonFactory(full_name="Almat Zhumagulov", region="Almaty")
    other = PersonFactory(full_name="Almat Zhumagulov", region="Aktobe")
    for record in (person, other):
        person_refresh_name_keys(person=record)
    _signed_in(client, host_admin)
    page = client.get("/admin/casework/person/", {"q": "Жумагулов", "region": "Almaty"})
    assert f"/admin/casework/person/{person.pk}/change/" in page.text
    assert f"/admin/casework/person/{other.pk}/change/" not in page.text


# Changelists whose rows carry related objects; the rows of all of them are added at once.
CHANGELISTS = [
    "/admin/casework/case/",
    "/admin/casework/person/",
    "/admin/casework/caseevent/",
    "/admin/casework/followup/",
    "/admin/advocacy/mention/",
    "/admin/auth/user/",
    "/admin/casework/membership/",
    "/admin/casework/reminder/",
    "/admin/casework/notification/",
    "/admin/casework/restrictedcaseview/",
    "/admin/casework/importrun/",
]


def test_it_lists_in_the_admin_in_a_number_of_queries_that_does_not_grow_with_the_rows(
    client, host_admin, coordinator
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from casework.audit import restricted_case_views_record
    from casework.models import Notification
    from tests.factories import MentionFactory

    def add_rows(count: int) -> None:
        for _ in range(count):
            case = CaseFactory(confidentiality=Confidentiality.RESTRICTED)
            CaseEvent.objects.create(
                case=case, kind="hearing", happened_on=datetime.date(2024, 1, 2)
            )
            follow_up_create(
                case=case,
                title="Visit",
                assignee=coordinator,
                by=coordinator,
                due_on=timezone.localdate() + datetime.timedelta(days=5),
            )
            MentionFactory(case=case)
            member(organisation=case.owning_organisation, role=Role.CASEWORKER)
            restricted_case_views_record(user=coordinator, cases=[case], via="/")
            Notification.objects.create(user=coordinator, title="Note", case=case)
            ImportRun.objects.create(
                organisation=case.owning_organisation,
                user=coordinator,
                file_name="list.xlsx",
                file_sha256="c" * 64,
            )

    def queries(url: str) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        return [query["sql"] for query in captured]

    # The rows of every changelist are made once (each list is still asked with 3 rows
    # of its own and then 15): making them was nine tenths of this test's time.
    _signed_in(client, host_admin)
    add_rows(3)
    few = {url: queries(url) for url in CHANGELISTS}
    add_rows(12)
    many = {url: queries(url) for url in CHANGELISTS}
    grown = {url: (len(few[url]), len(many[url])) for url in CHANGELISTS}
    grown = {url: counts for url, counts in grown.items() if counts[1] > counts[0]}
    assert not grown, (
        f"Queries with 3 rows and with 15, by changelist: {grown}; the first one's queries "
        "with 15 rows:\n  " + "\n  ".join(many[next(iter(grown))])
    )
