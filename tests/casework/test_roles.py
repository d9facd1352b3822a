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


def test_it_brings_the_role_groups_permissions_up_to_date_on_every_migrate(admin_user):
    from django.contrib.auth.models import Group, Permission
    from django.core.management import call_command

    from casework.roles import GROUP_NAMES

    admins = Group.objects.get(name=GROUP_NAMES[Role.ADMIN])
    stale = Permission.objects.get(codename="view_importrun")
    admins.permissions.remove(stale)  # as in a database from before the permission
    call_command("migrate", verbosity=0)  # nothing to apply; post_migrate runs all the same
    assert admins.permissions.filter(pk=stale.pk).exists()
