"""Roles as Django groups, so the admin site and `user.has_perm` agree with Membership.role.

A user's role lives on their Membership (one organisation, one role); this module keeps
their group in step whenever the membership is saved. Object-level access (which cases)
is never a permission: it is casework.visibility's rule, applied on top of these.

It also names the manager roles (coordinators and admins), the one constant the
visibility rule and casework.permissions both read. Who may change what is
casework.permissions' to say.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from casework.models import Membership, Role

# Coordinators and admins: they see their organisation's restricted cases, assign and
# manage tasks, archive and restore records.
MANAGER_ROLES = frozenset({Role.COORDINATOR, Role.ADMIN})

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
        ("casework", "provenance"): ("view",),
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
        ("casework", "provenance"): ("view",),
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
        # Where a fact comes from, read only (casework.admin.provenance).
        ("casework", "provenance"): ("view",),
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
