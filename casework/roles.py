"""Roles as Django groups, so the admin site and `user.has_perm` agree with Membership.role.

A user's role lives on their Membership (one organisation, one role); this module keeps
their group in step whenever the membership is saved. Object-level access (which cases)
is never a permission: it is casework.visibility's rule, applied on top of these.

It also says who manages accounts: superusers, and the admins of the host organisation
(who run the installation for every partner). A partner organisation's admin sees their
own organisation's accounts but changes none: a partner account is the likeliest to be
phished, and one that could edit memberships could move itself into the host. Nobody
but a superuser edits their own membership or account, touches a superuser, or grants
staff or superuser status.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Q, QuerySet

from casework.models import Membership, Organisation, Role
from casework.visibility import organisations_visible_to, user_membership

GROUP_NAMES = {
    Role.ADMIN: "Admins",
    Role.COORDINATOR: "Coordinators",
    Role.CASEWORKER: "Caseworkers",
    Role.PARTNER: "Partners",
}

_CASE_RECORDS = ("person", "personalias", "case", "caseevent")
_VOCABULARIES = ("charge", "detentionplace", "affiliation", "organisation", "issuingbody")
_ADVOCACY_RECORDS = ("document", "mention")

# (app_label, model) -> actions. No role gets "delete" on people, cases or documents:
# those are archived (casework/archive.py), never deleted.
ROLE_PERMISSIONS: dict[str, dict[tuple[str, str], tuple[str, ...]]] = {
    Role.PARTNER: {
        **{("casework", model): ("view", "add", "change") for model in _CASE_RECORDS},
        ("advocacy", "document"): ("view",),
        ("advocacy", "mention"): ("view",),
        **{("casework", model): ("view",) for model in ("charge", "detentionplace", "affiliation")},
    },
    Role.CASEWORKER: {
        **{("casework", model): ("view", "add", "change") for model in _CASE_RECORDS},
        ("casework", "followup"): ("view", "add", "change"),
        **{("advocacy", model): ("view", "add", "change") for model in _ADVOCACY_RECORDS},
        **{("casework", model): ("view",) for model in _VOCABULARIES if model != "issuingbody"},
        ("advocacy", "issuingbody"): ("view",),
    },
    Role.COORDINATOR: {
        **{("casework", model): ("view", "add", "change") for model in _CASE_RECORDS},
        ("casework", "followup"): ("view", "add", "change"),
        **{("advocacy", model): ("view", "add", "change") for model in _ADVOCACY_RECORDS},
        ("casework", "charge"): ("view", "add", "change"),
        ("casework", "detentionplace"): ("view", "add", "change"),
        ("casework", "affiliation"): ("view", "add", "change"),
        ("casework", "organisation"): ("view",),
        ("advocacy", "issuingbody"): ("view", "add", "change"),
    },
    Role.ADMIN: {
        **{("casework", model): ("view", "add", "change") for model in _CASE_RECORDS},
        ("casework", "followup"): ("view", "add", "change", "delete"),
        **{("advocacy", model): ("view", "add", "change") for model in _ADVOCACY_RECORDS},
        **{
            ("casework", model): ("view", "add", "change", "delete")
            for model in ("charge", "detentionplace", "affiliation", "organisation", "membership")
        },
        ("advocacy", "issuingbody"): ("view", "add", "change", "delete"),
        ("auth", "user"): ("view", "add", "change"),
        ("auth", "group"): ("view",),
        ("otp_totp", "totpdevice"): ("view", "delete"),
        ("otp_static", "staticdevice"): ("view", "delete"),
        ("casework", "reminder"): ("view",),
        ("casework", "notification"): ("view",),
        ("casework", "restrictedcaseview"): ("view",),
        ("casework", "importrun"): ("view",),
        ("casework", "columnmapping"): ("view", "add", "change", "delete"),
    },
}


def role_permissions(*, role: str) -> list[Permission]:
    condition = Q(pk__in=[])
    for (app_label, model), actions in ROLE_PERMISSIONS[role].items():
        condition |= Q(
            content_type__app_label=app_label,
            content_type__model=model,
            codename__in=[f"{action}_{model}" for action in actions],
        )
    return list(Permission.objects.filter(condition))


def roles_ensure_groups() -> dict[str, Group]:
    """Create (or refresh) the four role groups with their permissions."""
    groups = {}
    for role, name in GROUP_NAMES.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(role_permissions(role=role))
        groups[role] = group
    return groups


def membership_sync_groups(*, membership: Membership) -> None:
    """Put the member in their role's group and out of the other role groups."""
    groups = {group.name: group for group in Group.objects.filter(name__in=GROUP_NAMES.values())}
    if len(groups) < len(GROUP_NAMES):
        groups = {group.name: group for group in roles_ensure_groups().values()}
    wanted = groups[GROUP_NAMES[membership.role]]
    others = [group for name, group in groups.items() if name != wanted.name]
    user = membership.user
    user.groups.remove(*others)
    user.groups.add(wanted)


def _is_active_superuser(user) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


def user_manages_accounts(user) -> bool:
    """Superusers and the host organisation's admins add and change accounts, memberships
    and organisations."""
    if _is_active_superuser(user):
        return True
    membership = user_membership(user)
    return (
        membership is not None
        and membership.role == Role.ADMIN
        and membership.organisation.kind == Organisation.Kind.HOST
    )


def users_manageable_by(user) -> QuerySet:
    """Accounts ``user`` may change (and whose memberships and second-factor devices they
    may change): every account for a superuser; for a host admin every account except
    their own and superusers'; none for anyone else."""
    users = get_user_model().objects.all()
    if _is_active_superuser(user):
        return users
    if not user_manages_accounts(user):
        return users.none()
    return users.exclude(pk=user.pk).exclude(is_superuser=True)


def user_may_manage_account(*, user, account) -> bool:
    if account is None or account.pk is None:
        return user_manages_accounts(user)
    return users_manageable_by(user).filter(pk=account.pk).exists()


def organisations_recordable_by(user) -> QuerySet[Organisation]:
    """Organisations whose records (people, cases) ``user`` may create: their own, or, for
    host staff (not partner users), every organisation they see, as on the pages."""
    membership = user_membership(user)
    if membership is None:
        return Organisation.objects.none()
    if membership.organisation.kind == Organisation.Kind.HOST and membership.role != Role.PARTNER:
        return organisations_visible_to(user)
    return Organisation.objects.filter(pk=membership.organisation_id)
