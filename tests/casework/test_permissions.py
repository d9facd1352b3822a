"""Who may change what, and the fetch-and-check helpers (casework.permissions)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from casework.models import Confidentiality, ImportRun, Notification, Role
from casework.permissions import (
    ARCHIVING_REFUSED,
    CASE_CHANGE_REFUSED,
    FOLLOW_UP_COMPLETION_REFUSED,
    FOLLOW_UP_MANAGING_REFUSED,
    NOT_A_MEMBER,
    PERSON_CHANGE_REFUSED,
    case_for_user,
    case_is_editable_by,
    cases_editable_by,
    followup_for_user,
    import_organisations_for,
    import_run_for_user,
    membership_for_user,
    notification_for_user,
    organisations_recordable_by,
    person_for_user,
    require_follow_up_manager,
    user_is_active_superuser,
    user_manages_accounts,
    user_manages_follow_ups,
    user_may_archive,
    user_may_change_records_of,
    user_may_manage_account,
    user_sees_sensitive_fields,
    users_manageable_by,
)
from tests.factories import CaseFactory, FollowUpFactory, PersonFactory, UserFactory, member


@pytest.fixture
def partner_coordinator(partner_organisation):
    return member(
        organisation=partner_organisation, role=Role.COORDINATOR, username="partner-coordinator"
    )


@pytest.fixture
def host_admin(host):
    return member(organisation=host, role=Role.ADMIN, username="host-admin")


@pytest.fixture
def partner_admin(partner_organisation):
    return member(organisation=partner_organisation, role=Role.ADMIN, username="partner-admin")


def _refusal(call) -> str:
    with pytest.raises(PermissionDenied) as refused:
        call()
    return str(refused.value)


# --- Roles ------------------------------------------------------------------------------


def test_it_counts_only_a_signed_in_active_superuser_as_a_superuser(admin_user):
    assert user_is_active_superuser(admin_user)
    admin_user.is_active = False
    assert not user_is_active_superuser(admin_user)
    assert not user_is_active_superuser(AnonymousUser())
    assert not user_is_active_superuser(None)


def test_it_lets_coordinators_and_admins_archive_and_manage_tasks_and_nobody_else(
    host_admin, coordinator, partner_coordinator, caseworker, partner_user
):
    for manager in (host_admin, coordinator, partner_coordinator):
        assert user_may_archive(manager) and user_manages_follow_ups(manager), manager
    for other in (caseworker, partner_user, AnonymousUser()):
        assert not user_may_archive(other) and not user_manages_follow_ups(other), other


def test_it_hides_sensitive_fields_from_partner_users_only(partner_user, caseworker, coordinator):
    assert not user_sees_sensitive_fields(partner_user)
    assert user_sees_sensitive_fields(caseworker)
    assert user_sees_sensitive_fields(coordinator)
    assert not user_sees_sensitive_fields(AnonymousUser())


def test_it_lets_the_owning_organisation_and_host_staff_change_records(
    host, partner_organisation, other_partner_organisation, caseworker, partner_user
):
    assert user_may_change_records_of(user=partner_user, organisation_id=partner_organisation.pk)
    assert not user_may_change_records_of(user=partner_user, organisation_id=host.pk)
    assert user_may_change_records_of(
        user=caseworker, organisation_id=other_partner_organisation.pk
    )
    assert not user_may_change_records_of(user=AnonymousUser(), organisation_id=host.pk)


def test_it_lists_as_editable_only_the_visible_cases_a_user_may_change(
    host, partner_organisation, caseworker, partner_user
):
    public_host = CaseFactory(owning_organisation=host, confidentiality=Confidentiality.PUBLIC)
    own = CaseFactory(owning_organisation=partner_organisation)
    assert set(cases_editable_by(partner_user)) == {own}
    assert {public_host, own} <= set(cases_editable_by(caseworker))
    assert case_is_editable_by(case=public_host, user=caseworker)
    assert not case_is_editable_by(case=public_host, user=partner_user)
    assert not cases_editable_by(AnonymousUser()).exists()


def test_it_lets_host_coordinators_import_for_every_organisation_and_others_for_their_own(
    host, partner_organisation, other_partner_organisation, coordinator, caseworker, partner_user
):
    assert set(import_organisations_for(coordinator)) == {
        host,
        partner_organisation,
        other_partner_organisation,
    }
    assert list(import_organisations_for(caseworker)) == [host]
    assert list(import_organisations_for(partner_user)) == [partner_organisation]
    assert not import_organisations_for(AnonymousUser()).exists()


def test_it_refuses_a_user_of_no_organisation_what_needs_one(django_user_model, db):
    loner = django_user_model.objects.create_user(username="loner", password="x" * 16)
    assert _refusal(lambda: membership_for_user(loner)) == NOT_A_MEMBER
    assert _refusal(lambda: require_follow_up_manager(loner)) == FOLLOW_UP_MANAGING_REFUSED


# --- Accounts ---------------------------------------------------------------------------


def test_it_lets_superusers_and_host_admins_manage_accounts_and_nobody_else(
    admin_user, host_admin, partner_admin, coordinator
):
    assert user_manages_accounts(admin_user)  # a superuser
    assert user_manages_accounts(host_admin)
    assert not user_manages_accounts(partner_admin)
    assert not user_manages_accounts(coordinator)


def test_it_keeps_a_host_admins_own_account_and_superusers_out_of_their_reach(
    host_admin, admin_user, caseworker, partner_user
):
    manageable = set(users_manageable_by(host_admin))
    assert {caseworker, partner_user} <= manageable
    assert host_admin not in manageable and admin_user not in manageable
    assert not user_may_manage_account(user=host_admin, account=admin_user)
    assert user_may_manage_account(user=host_admin, account=caseworker)
    assert not users_manageable_by(caseworker).exists()


def test_it_lets_partner_users_record_people_and_cases_for_their_own_organisation_only(
    host, partner_organisation, other_partner_organisation, partner_user, caseworker
):
    assert list(organisations_recordable_by(partner_user)) == [partner_organisation]
    assert set(organisations_recordable_by(caseworker)) == {
        host,
        partner_organisation,
        other_partner_organisation,
    }


# --- Fetch and check --------------------------------------------------------------------


def test_it_answers_a_hidden_case_exactly_like_a_missing_one(host, partner_user, caseworker):
    restricted = CaseFactory(owning_organisation=host, confidentiality=Confidentiality.RESTRICTED)
    for pk in (restricted.pk, 987654321, "not-a-number", None):
        with pytest.raises(Http404):
            case_for_user(partner_user, pk)
    assert case_for_user(caseworker, str(CaseFactory(owning_organisation=host).pk))


def test_it_refuses_a_visible_case_to_a_user_who_may_not_change_it_with_the_reason(
    host, partner_user, caseworker
):
    case = CaseFactory(owning_organisation=host, confidentiality=Confidentiality.PUBLIC)
    assert case_for_user(partner_user, case.pk) == case
    assert _refusal(lambda: case_for_user(partner_user, case.pk, for_change=True)) == (
        CASE_CHANGE_REFUSED
    )
    assert case_for_user(caseworker, case.pk, for_change=True) == case


def test_it_reaches_an_archived_case_only_for_those_who_may_archive_it(
    host, caseworker, coordinator, partner_coordinator
):
    archived = CaseFactory(
        owning_organisation=host,
        confidentiality=Confidentiality.PUBLIC,
        archived_at=timezone.now(),
    )
    current = CaseFactory(owning_organisation=host, confidentiality=Confidentiality.PUBLIC)
    # Archived: missing for anyone who may not archive, and for every ordinary page.
    for user in (caseworker, partner_coordinator):
        with pytest.raises(Http404):
            case_for_user(user, archived.pk, for_archiving=True)
    with pytest.raises(Http404):
        case_for_user(coordinator, archived.pk)
    assert case_for_user(coordinator, archived.pk, for_archiving=True) == archived
    # Visible and current: refused, with the reason, to whoever may not archive it.
    assert _refusal(lambda: case_for_user(caseworker, current.pk, for_archiving=True)) == (
        ARCHIVING_REFUSED
    )
    # A partner's coordinator archives their own organisation's cases, not the host's.
    assert _refusal(lambda: case_for_user(partner_coordinator, current.pk, for_archiving=True)) == (
        CASE_CHANGE_REFUSED
    )


def test_it_fetches_a_person_and_refuses_changing_another_organisations(
    host, partner_organisation, partner_user, other_partner_user
):
    own = PersonFactory(owning_organisation=partner_organisation)
    public_host = CaseFactory(
        owning_organisation=host, confidentiality=Confidentiality.PUBLIC
    ).person
    assert person_for_user(partner_user, own.pk, for_change=True) == own
    assert person_for_user(partner_user, public_host.pk) == public_host
    assert _refusal(lambda: person_for_user(partner_user, public_host.pk, for_change=True)) == (
        PERSON_CHANGE_REFUSED
    )
    with pytest.raises(Http404):
        person_for_user(other_partner_user, own.pk)


def test_it_fetches_a_task_for_its_assignee_and_leaves_managing_it_to_coordinators(
    host, caseworker, coordinator
):
    task = FollowUpFactory(
        case=CaseFactory(owning_organisation=host), assignee=caseworker, assigned_by=coordinator
    )
    other = member(organisation=host, role=Role.CASEWORKER, username="other-caseworker")
    assert followup_for_user(caseworker, task.pk, for_completion=True) == task
    assert followup_for_user(coordinator, task.pk, for_change=True) == task
    assert _refusal(lambda: followup_for_user(caseworker, task.pk, for_change=True)) == (
        FOLLOW_UP_MANAGING_REFUSED
    )
    with pytest.raises(Http404):
        followup_for_user(other, task.pk, for_completion=True)
    # Visible to a coordinator of the organisation, who may complete it; a task they see
    # but whose assignee is someone else stays theirs to complete as managers.
    assert followup_for_user(coordinator, task.pk, for_completion=True) == task


def test_it_refuses_completing_a_task_to_whoever_sees_it_without_being_its_assignee(
    host, caseworker, coordinator
):
    demoted = member(organisation=host, role=Role.CASEWORKER, username="former-coordinator")
    task = FollowUpFactory(
        case=CaseFactory(owning_organisation=host), assignee=caseworker, assigned_by=demoted
    )
    assert followup_for_user(demoted, task.pk) == task
    assert _refusal(lambda: followup_for_user(demoted, task.pk, for_completion=True)) == (
        FOLLOW_UP_COMPLETION_REFUSED
    )


def test_it_fetches_import_runs_and_notifications_of_the_user_only(
    host, partner_organisation, partner_user, other_partner_user, caseworker
):
    run = ImportRun.objects.create(
        organisation=partner_organisation, user=partner_user, file_name="x.csv", file_sha256="0"
    )
    assert import_run_for_user(partner_user, run.pk) == run
    with pytest.raises(Http404):
        import_run_for_user(other_partner_user, run.pk)
    note = Notification.objects.create(user=caseworker, title="Yours")
    assert notification_for_user(caseworker, note.pk) == note
    with pytest.raises(Http404):
        notification_for_user(partner_user, note.pk)


def test_it_fetches_a_case_in_one_query_once_the_membership_is_known(
    host, caseworker, django_assert_num_queries
):
    case = CaseFactory(owning_organisation=host)
    membership_for_user(caseworker)  # read once a request, then cached on the user
    with django_assert_num_queries(1):
        fetched = case_for_user(caseworker, case.pk, for_change=True, select_related=("person",))
        assert fetched.person == case.person


def test_it_answers_a_superuser_without_membership_like_anyone_without_one(django_user_model, db):
    root = django_user_model.objects.create_superuser(username="root", password="x" * 16)
    case = CaseFactory(confidentiality=Confidentiality.PUBLIC)
    with pytest.raises(Http404):
        case_for_user(root, case.pk)
    assert user_manages_accounts(root)
    assert UserFactory() in set(users_manageable_by(root))
