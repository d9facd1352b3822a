"""What every template is given (casework.context_processors): ``perms`` answers the app's
questions from casework.permissions and Django's own as before."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template

from casework.context_processors import APP_PERMISSIONS, AppPermissions
from casework.permissions import user_manages_follow_ups, user_may_archive


def _render(source: str, user) -> str:
    return Template(source).render(Context({"perms": AppPermissions(user)}))


def test_it_answers_the_apps_questions_by_the_rules_of_casework_permissions(
    coordinator, caseworker, partner_user
):
    source = "{% if perms.manages_followups %}M{% endif %}{% if perms.may_archive %}A{% endif %}"
    source += "{% if perms.sees_sensitive_fields %}S{% endif %}"
    assert _render(source, coordinator) == "MAS"
    assert _render(source, caseworker) == "S"
    assert _render(source, partner_user) == ""
    assert _render(source, AnonymousUser()) == ""
    assert APP_PERMISSIONS["manages_followups"] is user_manages_follow_ups
    assert APP_PERMISSIONS["may_archive"] is user_may_archive


def test_it_keeps_djangos_own_permission_lookups(caseworker, partner_user):
    source = "{% if perms.casework.change_case %}C{% endif %}"
    source += "{% if 'advocacy.change_document' in perms %}D{% endif %}"
    assert _render(source, type(caseworker).objects.get(pk=caseworker.pk)) == "CD"
    assert _render(source, type(partner_user).objects.get(pk=partner_user.pk)) == "C"


def test_no_question_of_the_app_hides_an_installed_apps_permissions():
    from django.apps import apps

    labels = {config.label for config in apps.get_app_configs()}
    assert not labels & set(APP_PERMISSIONS)


def test_pages_get_the_answers(client_as_coordinator):
    from tests.factories import CaseFactory

    case = CaseFactory()
    page = client_as_coordinator.get(f"/cases/{case.pk}/")
    assert page.context["perms"]["manages_followups"] is True
    assert "?case=" in page.text  # the coordinator's "Add follow-up"
