"""The one visibility rule (casework.visibility), role by role and level by level."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from casework.models import Confidentiality, Role
from casework.visibility import (
    case_is_visible_to,
    cases_visible_to,
    people_visible_to,
)
from tests.factories import CaseFactory, PersonFactory, member


@pytest.fixture
def cases(host, partner_organisation, other_partner_organisation, caseworker):
    def case(owner, level, **extra):
        return CaseFactory(owning_organisation=owner, confidentiality=level, **extra)

    return {
        "public_other": case(other_partner_organisation, Confidentiality.PUBLIC),
        "internal_host": case(host, Confidentiality.INTERNAL),
        "internal_partner": case(partner_organisation, Confidentiality.INTERNAL),
        "internal_other": case(other_partner_organisation, Confidentiality.INTERNAL),
        "restricted_host_assigned": case(
            host, Confidentiality.RESTRICTED, assigned_caseworker=caseworker
        ),
        "restricted_host": case(host, Confidentiality.RESTRICTED),
        "restricted_partner": case(partner_organisation, Confidentiality.RESTRICTED),
    }


def _visible(user, cases) -> set[str]:
    ids = set(cases_visible_to(user).values_list("pk", flat=True))
    return {name for name, case in cases.items() if case.pk in ids}


def test_it_shows_a_host_caseworker_public_internal_and_their_own_restricted_cases(
    cases, caseworker
):
    assert _visible(caseworker, cases) == {
        "public_other",
        "internal_host",
        "internal_partner",
        "internal_other",
        "restricted_host_assigned",
    }


def test_it_shows_a_host_coordinator_every_restricted_case_of_the_host_only(cases, coordinator):
    assert _visible(coordinator, cases) == {
        "public_other",
        "internal_host",
        "internal_partner",
        "internal_other",
        "restricted_host_assigned",
        "restricted_host",
    }


def test_it_shows_a_host_admin_what_a_host_coordinator_sees(cases, admin_user, coordinator):
    assert _visible(admin_user, cases) == _visible(coordinator, cases)


def test_it_shows_a_partner_user_only_public_cases_and_their_organisations_internal_ones(
    cases, partner_user
):
    assert _visible(partner_user, cases) == {"public_other", "internal_partner"}


def test_it_shows_a_partner_coordinator_their_organisations_restricted_cases(
    cases, partner_organisation
):
    partner_coordinator = member(organisation=partner_organisation, role=Role.COORDINATOR)
    assert _visible(partner_coordinator, cases) == {
        "public_other",
        "internal_partner",
        "restricted_partner",
    }


def test_it_shows_nothing_to_users_without_a_membership_even_superusers(cases, django_user_model):
    superuser = django_user_model.objects.create_superuser("root", "root@example.org", "x" * 16)
    assert _visible(superuser, cases) == set()
    assert _visible(AnonymousUser(), cases) == set()
    assert not people_visible_to(superuser).exists()


def test_it_shows_nothing_to_a_deactivated_user(cases, caseworker):
    caseworker.is_active = False
    caseworker.save()
    assert _visible(caseworker, cases) == set()


def test_it_hides_archived_cases_unless_asked(cases, caseworker):
    case = cases["internal_host"]
    case.archived_at = timezone.now()
    case.save()
    assert "internal_host" not in _visible(caseworker, cases)
    assert cases_visible_to(caseworker, include_archived=True).filter(pk=case.pk).exists()
    assert case_is_visible_to(case=case, user=caseworker)


def test_it_shows_a_person_through_any_visible_case_and_hides_one_seen_only_through_restricted_cases(
    cases, partner_user, caseworker
):
    restricted_person = cases["restricted_host"].person
    assert not people_visible_to(partner_user).filter(pk=restricted_person.pk).exists()
    assert not people_visible_to(caseworker).filter(pk=restricted_person.pk).exists()
    visible_person = cases["internal_partner"].person
    assert people_visible_to(partner_user).filter(pk=visible_person.pk).exists()


def test_it_shows_a_person_with_no_case_to_their_organisation_and_the_host_only(
    partner_organisation, partner_user, other_partner_user, caseworker
):
    person = PersonFactory(owning_organisation=partner_organisation)
    assert people_visible_to(partner_user).filter(pk=person.pk).exists()
    assert people_visible_to(caseworker).filter(pk=person.pk).exists()
    assert not people_visible_to(other_partner_user).filter(pk=person.pk).exists()


def test_it_keeps_a_person_visible_when_their_only_case_is_archived(cases, partner_user):
    case = cases["internal_partner"]
    case.archived_at = timezone.now()
    case.save()
    assert people_visible_to(partner_user).filter(pk=case.person_id).exists()


def test_it_decides_visibility_in_a_bounded_number_of_queries(
    cases, caseworker, django_assert_max_num_queries
):
    caseworker.refresh_from_db()
    with django_assert_max_num_queries(2):
        list(cases_visible_to(caseworker))


def test_it_shows_a_partner_member_their_own_organisation_and_the_host_only(
    host, partner_organisation, other_partner_organisation, partner_user, caseworker
):
    from casework.visibility import organisations_visible_to

    assert set(organisations_visible_to(partner_user)) == {host, partner_organisation}
    assert set(organisations_visible_to(caseworker)) == {
        host,
        partner_organisation,
        other_partner_organisation,
    }


def test_it_lists_every_account_to_host_admins_and_superusers_only(
    host, partner_organisation, partner_user, other_partner_user, caseworker, admin_user
):
    from casework.visibility import users_visible_to

    partner_admin = member(
        organisation=partner_organisation, role=Role.ADMIN, username="partner-admin"
    )
    host_admin = member(organisation=host, role=Role.ADMIN, username="host-admin")
    everyone = {partner_user, other_partner_user, caseworker, admin_user, partner_admin}
    assert everyone <= set(users_visible_to(host_admin))
    assert everyone <= set(users_visible_to(admin_user))
    assert set(users_visible_to(partner_admin)) == {partner_user, partner_admin}
    assert caseworker in set(users_visible_to(caseworker))
    assert partner_user not in set(users_visible_to(caseworker))
    assert not users_visible_to(AnonymousUser()).exists()


def test_it_builds_a_rule_once_and_hands_each_caller_a_copy(cases, caseworker):
    first = cases_visible_to(caseworker)
    second = cases_visible_to(caseworker)
    assert first is not second and first.query is not second.query
    assert str(first.query) == str(second.query)
    narrowed = first.filter(pk=cases["internal_host"].pk)
    assert _visible(caseworker, cases) == {
        "public_other",
        "internal_host",
        "internal_partner",
        "internal_other",
        "restricted_host_assigned",
    }
    assert list(narrowed) == [cases["internal_host"]]


def test_it_builds_the_rule_afresh_when_the_membership_changes(cases, caseworker):
    assert "restricted_host" not in _visible(caseworker, cases)
    caseworker.membership.role = Role.COORDINATOR
    caseworker.membership.save()
    assert "restricted_host" in _visible(caseworker, cases)
    caseworker.membership.role = Role.CASEWORKER
    assert "restricted_host" not in _visible(caseworker, cases)


def test_a_caseworker_who_moved_to_another_organisation_sees_nothing_of_the_old_ones_restricted_cases(
    cases, caseworker, coordinator, partner_organisation
):
    """Still the assigned caseworker of a restricted case of the organisation they left, a
    member who moved sees neither the case, nor its tasks, nor the cases' people."""
    from django.contrib.auth import get_user_model

    from casework.followups import follow_up_create
    from casework.models import Membership
    from casework.visibility import follow_ups_visible_to

    restricted = cases["restricted_host_assigned"]
    task = follow_up_create(
        case=restricted,
        title="Visit",
        assignee=caseworker,
        by=coordinator,
        due_on=timezone.localdate() + dt.timedelta(days=10),
    )
    assert "restricted_host_assigned" in _visible(caseworker, cases)
    membership = Membership.objects.get(user=caseworker)
    membership.organisation = partner_organisation
    membership.save()
    moved = get_user_model().objects.get(pk=caseworker.pk)
    assert "restricted_host_assigned" not in _visible(moved, cases)
    assert not case_is_visible_to(case=restricted, user=moved)
    assert restricted.person not in people_visible_to(moved)
    assert not follow_ups_visible_to(moved).filter(pk=task.pk).exists()
