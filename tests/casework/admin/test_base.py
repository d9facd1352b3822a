"""What every admin inherits (casework/admin/base.py): relation fields and filters scoped
by visibility, no raw-id widgets, history shown but never reverted, no view-on-site
redirect, no bulk delete where the rule depends on the row, restricted cases shown
logged, lists in bounded queries."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from advocacy.models import Document, Mention
from casework.followups import follow_up_create
from casework.models import (
    Case,
    CaseEvent,
    Confidentiality,
    ImportRun,
    Membership,
    Person,
    RestrictedCaseView,
    Role,
)
from tests.conftest import _signed_in
from tests.factories import CaseFactory, DocumentFactory, member


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
        (
            "/admin/casework/caseevent/add/",
            {"kind": CaseEvent.Kind.HEARING, "happened_on": "2024-01-02"},
        ),
        (
            "/admin/advocacy/mention/add/",
            {"state": Mention.State.CONFIRMED, "origin": Mention.Origin.MANUAL},
        ),
    ],
)
def test_it_does_not_name_a_hidden_case_posted_to_an_admin_form(
    client, host_admin, hidden_case, url, extra
):
    from advocacy.models import Mention

    document = DocumentFactory()
    _signed_in(client, host_admin)
    response = client.post(url, {"case": hidden_case.pk, "document": document.pk, **extra})
    assert response.status_code == 200  # the form, with an error
    assert "SECRET-RP" not in response.text and "Zzsecret" not in response.text
    assert not CaseEvent.objects.filter(case=hidden_case).exists()
    assert not Mention.objects.filter(case=hidden_case).exists()


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


def test_it_links_view_on_site_to_the_objects_own_page_not_the_admins_redirect(client, host_admin):
    from casework.admin.base import AdvocaseAdminSite

    names = {getattr(url, "name", None) for url in AdvocaseAdminSite().get_urls()}
    assert "view_on_site" not in names and "index" in names
    # Installed on the site config/urls_admin.py serves: the redirect that tells whether an id
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
                case=case, kind=CaseEvent.Kind.HEARING, happened_on=datetime.date(2024, 1, 2)
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


@pytest.mark.parametrize("model", [Person, Case, Document])
def test_it_disables_delete_in_the_admin(model, rf, admin_user):
    request = rf.get("/admin/")
    request.user = admin_user
    model_admin = site._registry[model]
    assert not model_admin.has_delete_permission(request)
    assert "delete_selected" not in model_admin.get_actions(request)
    assert "archive_selected" in model_admin.get_actions(request)


def test_it_archives_from_an_admin_action(client_as_admin, admin_user):
    case = CaseFactory()
    response = client_as_admin.post(
        "/admin/casework/case/",
        {"action": "archive_selected", "_selected_action": [case.pk]},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.archived_at is not None
    assert case.history.latest().history_user == admin_user


def test_it_refuses_to_revert_in_the_admins_language(client, host_admin, monkeypatch):
    from casework.models import Membership
    from tests.support.catalogues import every_marked_string_tagged

    every_marked_string_tagged(monkeypatch, "ru", "[ru] ")
    Membership.objects.filter(user=host_admin).update(language="ru")
    case = CaseFactory(summary="before")
    version = case.history.earliest()
    _signed_in(client, host_admin)
    url = f"/admin/casework/case/{case.pk}/history/{version.history_id}/"
    response = client.post(url, {"summary": "x"})
    assert response.status_code == 403
    assert "[ru] Versions are shown, not reverted." in response.text


def test_it_counts_a_list_with_the_name_first_in_russian(client, host_admin):
    """Russian declines the word after a number (1 импорт, 2 импорта, 5 импортов), which
    one plural name cannot do: the count is written after the name."""
    from casework.models import Membership

    Membership.objects.filter(user=host_admin).update(language="ru")
    CaseFactory.create_batch(2)
    _signed_in(client, host_admin)
    response = client.get("/admin/casework/case/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    paginator = response.text.split('<p class="paginator">')[1].split("</p>")[0]
    plural = str(Case._meta.verbose_name_plural)
    assert "Дела: 2" in paginator, paginator
    assert f"2 {plural}" not in paginator
