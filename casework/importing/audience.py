"""Whose eyes an import works for. A coordinator may import on a partner's behalf, and
whatever the import links a partner's rows to becomes visible to that partner's users, so
candidates must come from what the TARGET organisation's users may already see — never from
the wider view of the coordinator who uploads the file.

casework.visibility decides visibility for a user; it is asked here for a stand-in member of
the organisation with the least a member sees (no coordinator rights, assigned to no case),
and the answer is intersected with what the importing user may see.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet

from casework.models import Case, Membership, Organisation, Person, Role
from casework.visibility import AnyUser, cases_visible_to, people_visible_to

# No user has this primary key, so "assigned to this user" matches no case.
_NOBODY = -1


def organisation_viewer(*, organisation: Organisation) -> AbstractBaseUser:
    """An unsaved user standing for any member of the organisation: what it may see, every
    member of the organisation may see."""
    user = get_user_model()(pk=_NOBODY, username=f"(members of {organisation.slug})")
    user.is_active = True
    membership = Membership(user=user, organisation=organisation, role=Role.PARTNER)
    # casework.visibility.user_membership reads the cached reverse relation first.
    Membership.user.field.remote_field.set_cached_value(user, membership)
    return user


def import_cases_visible(*, user: AnyUser, organisation: Organisation) -> QuerySet[Case]:
    """Cases (archived ones too) both the importing user and every member of the target
    organisation may see."""
    viewer = organisation_viewer(organisation=organisation)
    return cases_visible_to(user, include_archived=True).filter(
        pk__in=cases_visible_to(viewer, include_archived=True).values("pk")
    )


def import_people_visible(*, user: AnyUser, organisation: Organisation) -> QuerySet[Person]:
    """People both the importing user and every member of the target organisation may see."""
    viewer = organisation_viewer(organisation=organisation)
    return people_visible_to(user).filter(pk__in=people_visible_to(viewer).values("pk"))
