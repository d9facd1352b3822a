"""Demo organisations and one user per role, for the embedded run."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.utils import bulk_update_with_history

from casework.models import Case, Membership, Organisation, Role
from casework.security import user_ensure_totp_device

HOST = {"slug": "demo-ngo", "name": "Advocase Demo NGO", "kind": Organisation.Kind.HOST}
PARTNER = {
    "slug": "kibhr",
    "name": "Kazakhstan International Bureau for Human Rights and Rule of Law",
    "kind": Organisation.Kind.PARTNER,
}
DEMO_USERS = [
    ("admin", Role.ADMIN, HOST),
    ("coordinator", Role.COORDINATOR, HOST),
    ("caseworker", Role.CASEWORKER, HOST),
    ("partner", Role.PARTNER, PARTNER),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    organisation: str
    password: str | None  # None: the user existed and kept their password
    created: bool
    totp_url: str = ""  # coordinators and admins sign in with a second factor


def organisation_ensure(*, slug: str, name: str, kind: str) -> Organisation:
    organisation, _ = Organisation.objects.get_or_create(
        slug=slug, defaults={"name": name, "kind": kind}
    )
    return organisation


def demo_users_ensure(*, password: str | None = None, reset: bool = False) -> list[DemoUser]:
    """Create the demo users that are missing. A fixed password (DEMO_PASSWORD) is set on
    every run; otherwise new users get a random one and existing ones keep theirs unless
    reset is asked for."""
    User = get_user_model()
    result = []
    with transaction.atomic():
        for username, role, organisation_fields in DEMO_USERS:
            organisation = organisation_ensure(**organisation_fields)
            user, created = User.objects.get_or_create(
                username=username, defaults={"email": f"{username}@demo.advocase.invalid"}
            )
            new_password = None
            if created or reset or password:
                new_password = password or _generated_password(user)
                user.set_password(new_password)
            user.is_staff = role == Role.ADMIN
            user.is_superuser = role == Role.ADMIN
            user.save()
            Membership.objects.update_or_create(
                user=user, defaults={"organisation": organisation, "role": role}
            )
            totp_url = ""
            if role in (Role.ADMIN, Role.COORDINATOR):
                _device, totp_url = user_ensure_totp_device(user=user)
            result.append(
                DemoUser(
                    username=username,
                    role=role,
                    organisation=organisation.name,
                    password=new_password,
                    created=created,
                    totp_url=totp_url,
                )
            )
        demo_cases_assign_caseworker()
    return result


def _generated_password(user) -> str:
    """A random password that passes the validators any other password must pass (a
    DEMO_PASSWORD is the operator's choice and is taken as given)."""
    for _attempt in range(100):
        candidate = secrets.token_urlsafe(12)
        try:
            validate_password(candidate, user=user)
        except ValidationError:
            continue
        return candidate
    raise RuntimeError("No generated password passed the password validators.")


def demo_cases_assign_caseworker() -> int:
    """Give the host's unassigned cases to the demo caseworker, so that reminders and
    "follow-ups for the people still detained" have someone to go to in the demo."""
    caseworker = get_user_model().objects.filter(username="caseworker").first()
    if caseworker is None:
        return 0
    cases = list(
        Case.objects.filter(
            owning_organisation__slug=HOST["slug"], assigned_caseworker__isnull=True
        )
    )
    for case in cases:
        case.assigned_caseworker = caseworker
    bulk_update_with_history(
        cases, Case, ["assigned_caseworker"], default_user=caseworker, batch_size=500
    )
    return len(cases)
