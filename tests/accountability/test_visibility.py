import pytest
from django.http import Http404

from accountability.permissions import responsible_person_for_user
from accountability.visibility import (
    case_roles_visible_to,
    responsible_persons_visible_to,
    user_may_see_any_responsible_person,
)
from casework.models import Confidentiality, Role
from tests.factories import CaseFactory, CaseRoleFactory, ResponsiblePersonFactory, member


def test_it_shows_a_person_to_the_recording_organisations_coordinators(coordinator, judge):
    assert list(responsible_persons_visible_to(coordinator)) == [judge]


def test_it_hides_a_person_from_a_caseworker_not_on_the_team(caseworker, judge):
    assert not responsible_persons_visible_to(caseworker).exists()
    assert not user_may_see_any_responsible_person(caseworker)


def test_it_shows_a_person_to_a_caseworker_on_the_team(caseworker, judge):
    judge.team.add(caseworker)
    assert list(responsible_persons_visible_to(caseworker)) == [judge]
    assert user_may_see_any_responsible_person(caseworker)


def test_it_hides_a_hosts_person_from_a_partner_coordinator(partner_organisation, judge):
    partner_coordinator = member(organisation=partner_organisation, role=Role.COORDINATOR)
    assert not responsible_persons_visible_to(partner_coordinator).exists()


def test_a_partner_sees_only_what_its_own_organisation_recorded(
    partner_organisation, coordinator, judge
):
    partner_coordinator = member(organisation=partner_organisation, role=Role.COORDINATOR)
    own = ResponsiblePersonFactory(owning_organisation=partner_organisation)
    assert list(responsible_persons_visible_to(partner_coordinator)) == [own]
    assert own not in responsible_persons_visible_to(coordinator)


def test_it_answers_an_invisible_person_as_missing(caseworker, judge):
    with pytest.raises(Http404):
        responsible_person_for_user(caseworker, judge.pk)
    with pytest.raises(Http404):
        responsible_person_for_user(caseworker, "not-a-number")


def test_it_hides_a_role_on_a_case_the_viewer_may_not_see(host, coordinator, caseworker):
    person = ResponsiblePersonFactory(owning_organisation=host)
    person.team.add(caseworker)
    restricted = CaseFactory(owning_organisation=host, confidentiality=Confidentiality.RESTRICTED)
    role = CaseRoleFactory(person=person, case=restricted)
    assert role in case_roles_visible_to(coordinator)
    assert role not in case_roles_visible_to(caseworker)
