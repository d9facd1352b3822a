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


def _role_permission_keys(*, role: str) -> set[tuple[str, str, str]]:
    """(app_label, model, codename) of each permission the role's group holds."""
    return {
        (app_label, model, f"{action}_{model}")
        for (app_label, model), actions in ROLE_PERMISSIONS[role].items()
        for action in actions
    }


def _permission_ids(*, keys: set[tuple[str, str, str]]) -> dict[tuple[str, str, str], int]:
    # One query on the codenames, matched to their models here: the same condition as an OR
    # of one (app, model, codenames) term per model costs more to build than to run.
    rows = Permission.objects.filter(
        codename__in={codename for _app_label, _model, codename in keys}
    ).values_list("content_type__app_label", "content_type__model", "codename", "pk")
    return {
        (app_label, model, codename): pk
        for app_label, model, codename, pk in rows
        if (app_label, model, codename) in keys
    }


def roles_ensure_groups() -> dict[str, Group]:
    """Create (or refresh) the four role groups with their permissions. It runs after every
    migrate, so after every flush of a test database too: a handful of queries in all, not
    a few for each role."""
    keys = {role: _role_permission_keys(role=role) for role in GROUP_NAMES}
    ids = _permission_ids(keys=set().union(*keys.values()))
    existing = {group.name: group for group in Group.objects.filter(name__in=GROUP_NAMES.values())}
    groups = {
        role: existing.get(name) or Group.objects.get_or_create(name=name)[0]
        for role, name in GROUP_NAMES.items()
    }
    through = Group.permissions.through
    held = {
        (group_id, permission_id): pk
        for pk, group_id, permission_id in through.objects.filter(
            group__in=groups.values()
        ).values_list("pk", "group_id", "permission_id")
    }
    wanted = {
        (groups[role].pk, ids[key])
        for role, role_keys in keys.items()
        for key in role_keys
        if key in ids
    }
    if stale := [pk for pair, pk in held.items() if pair not in wanted]:
        through.objects.filter(pk__in=stale).delete()
    through.objects.bulk_create(
        [through(group_id=group_id, permission_id=pk) for group_id, pk in wanted - held.keys()]
    )
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
