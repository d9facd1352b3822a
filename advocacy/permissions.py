"""Fetch and check in one call, for actors, campaigns, engagements and their files.

Each `<thing>_for_user` answers Http404 when the user may not see the object (exactly as
for an id that does not exist) and PermissionDenied when they may see it but not change
it; so no view decides access by itself. Who may see is advocacy.visibility's; who may
change is said here, once:

- actors and their positions are public record: staff of any organisation edit them,
  partner users read them (as documents);
- importing roll-call votes rewrites that shared record: coordinators and admins;
- a campaign, an engagement or a stance is changed by the members of the organisation
  that owns it who may see it (the host reads a partner's internal ones, and changes none).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from advocacy.models import Actor, Campaign, Engagement, EngagementAttachment
from advocacy.visibility import (
    actors_visible_to,
    campaigns_visible_to,
    engagement_attachments_visible_to,
    engagements_visible_to,
)
from casework.models import Role
from casework.visibility import user_membership

MANAGER_ROLES = (Role.COORDINATOR, Role.ADMIN)


def user_may_edit_actors(user) -> bool:
    membership = user_membership(user)
    return membership is not None and membership.role != Role.PARTNER


def user_may_import_votes(user) -> bool:
    membership = user_membership(user)
    return membership is not None and membership.role in MANAGER_ROLES


def user_owns(user, record) -> bool:
    """Whether `record` (a campaign, engagement or stance) belongs to the user's
    organisation, so they may change it."""
    membership = user_membership(user)
    return membership is not None and membership.organisation_id == record.owning_organisation_id


def actor_for_user(user, pk: int, *, for_change: bool = False) -> Actor:
    actor = get_object_or_404(actors_visible_to(user), pk=pk)
    if for_change and not user_may_edit_actors(user):
        raise PermissionDenied(_("Only staff of an organisation change actors."))
    return actor


def campaign_for_user(user, pk: int, *, for_change: bool = False) -> Campaign:
    campaign = get_object_or_404(
        campaigns_visible_to(user).select_related("owning_organisation"), pk=pk
    )
    if for_change and not user_owns(user, campaign):
        raise PermissionDenied(_("Only the organisation that runs a campaign changes it."))
    return campaign


def engagement_for_user(user, pk: int, *, for_change: bool = False) -> Engagement:
    engagement = get_object_or_404(
        engagements_visible_to(user).select_related("owning_organisation", "campaign"), pk=pk
    )
    if for_change and not user_owns(user, engagement):
        raise PermissionDenied(_("Only the organisation that recorded an engagement changes it."))
    return engagement


def attachment_for_user(user, pk: int) -> EngagementAttachment:
    return get_object_or_404(engagement_attachments_visible_to(user), pk=pk)
