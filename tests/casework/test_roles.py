"""Role groups follow Membership.role (casework.roles)."""

from __future__ import annotations

from casework.models import Membership, Role
from casework.roles import GROUP_NAMES


def test_it_puts_each_member_in_their_role_group_only(caseworker):
    assert list(caseworker.groups.values_list("name", flat=True)) == [GROUP_NAMES[Role.CASEWORKER]]
    membership = Membership.objects.get(user=caseworker)
    membership.role = Role.COORDINATOR
    membership.save()
    assert list(caseworker.groups.values_list("name", flat=True)) == [GROUP_NAMES[Role.COORDINATOR]]


def test_it_gives_no_role_permission_to_delete_people_cases_or_documents(
    admin_user, coordinator, caseworker, partner_user
):
    for user in (coordinator, caseworker, partner_user):
        fresh = type(user).objects.get(pk=user.pk)
        for permission in (
            "casework.delete_case",
            "casework.delete_person",
            "advocacy.delete_document",
        ):
            assert not fresh.has_perm(permission), (user, permission)


def test_it_lets_partners_view_but_not_edit_documents(partner_user, caseworker):
    partner = type(partner_user).objects.get(pk=partner_user.pk)
    assert partner.has_perm("advocacy.view_document")
    assert not partner.has_perm("advocacy.change_document")
    staff = type(caseworker).objects.get(pk=caseworker.pk)
    assert staff.has_perm("advocacy.change_document")


# --- Who manages accounts --------------------------------------------------------------


def test_it_lets_superusers_and_host_admins_manage_accounts_and_nobody_else(
    host, partner_organisation, admin_user, coordinator
):
    from casework.roles import user_manages_accounts
    from tests.factories import member

    host_admin = member(organisation=host, role=Role.ADMIN, username="host-admin")
    partner_admin = member(
        organisation=partner_organisation, role=Role.ADMIN, username="partner-admin"
    )
    assert user_manages_accounts(admin_user)  # a superuser
    assert user_manages_accounts(host_admin)
    assert not user_manages_accounts(partner_admin)
    assert not user_manages_accounts(coordinator)


def test_it_keeps_a_host_admins_own_account_and_superusers_out_of_their_reach(
    host, admin_user, caseworker, partner_user
):
    from casework.roles import user_may_manage_account, users_manageable_by
    from tests.factories import member

    host_admin = member(organisation=host, role=Role.ADMIN, username="host-admin")
    manageable = set(users_manageable_by(host_admin))
    assert {caseworker, partner_user} <= manageable
    assert host_admin not in manageable and admin_user not in manageable
    assert not user_may_manage_account(user=host_admin, account=admin_user)
    assert not users_manageable_by(caseworker).exists()


def test_it_lets_partner_users_record_people_and_cases_for_their_own_organisation_only(
    host, partner_organisation, other_partner_organisation, partner_user, caseworker
):
    from casework.roles import organisations_recordable_by

    assert list(organisations_recordable_by(partner_user)) == [partner_organisation]
    assert set(organisations_recordable_by(caseworker)) == {
        host,
        partner_organisation,
        other_partner_organisation,
    }


def test_it_brings_the_role_groups_permissions_up_to_date_on_every_migrate(admin_user):
    from django.contrib.auth.models import Group, Permission
    from django.core.management import call_command

    from casework.roles import GROUP_NAMES

    admins = Group.objects.get(name=GROUP_NAMES[Role.ADMIN])
    stale = Permission.objects.get(codename="view_importrun")
    admins.permissions.remove(stale)  # as in a database from before the permission
    call_command("migrate", verbosity=0)  # nothing to apply; post_migrate runs all the same
    assert admins.permissions.filter(pk=stale.pk).exists()
