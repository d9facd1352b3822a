"""Which documents and mentions a user may reach, built on casework.visibility.

Documents are public statements (resolutions, appeals, letters): every member of an
organisation reads every document that is not archived; a user with no organisation (or
a deactivated one) reads none, as with cases. What a document says about cases is a
different matter: its mentions are reached only through the cases the user may see.
Every document page, the admin and the tasks fetch documents through this module.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from advocacy.models import (
    Actor,
    Campaign,
    Document,
    Engagement,
    EngagementAttachment,
    Mention,
    RollCallVote,
    Sharing,
    Stance,
)
from casework.models import Organisation, Role
from casework.visibility import (
    AnyUser,
    case_visibility_condition,
    rule_built_once,
    user_membership,
)


def documents_visible_to(user: AnyUser, *, include_archived: bool = False) -> QuerySet[Document]:
    """Archived documents are left out unless asked for (restoring one, the admin)."""
    if user_membership(user) is None:
        return Document.objects.none()
    documents = Document.objects.all()
    if not include_archived:
        documents = documents.filter(archived_at__isnull=True)
    return documents


def mentions_visible_to(user: AnyUser, *, include_archived: bool = False) -> QuerySet[Mention]:
    """Mentions of a case the user may see, in a document the user may see."""
    membership = user_membership(user)
    if membership is None:
        return Mention.objects.none()

    def build() -> QuerySet[Mention]:
        mentions = Mention.objects.filter(case_visibility_condition(user, prefix="case__"))
        if not include_archived:
            mentions = mentions.filter(
                document__archived_at__isnull=True, case__archived_at__isnull=True
            )
        return mentions

    return rule_built_once("mentions", user, build, include_archived)


# --- Actors, votes, campaigns, engagements and stances ----------------------------------
#
# Actors and roll-call votes are public record: every member reads them, as documents.
# Campaigns, engagements and stances are the organisation's own: `internal` ones are read
# by the owning organisation and the host organisation (the rule of internal cases);
# `restricted` ones by the owning organisation's coordinators and admins and the members
# of the campaign's team. A partner's member so sees only their own organisation's.


def actors_visible_to(user: AnyUser) -> QuerySet[Actor]:
    if user_membership(user) is None:
        return Actor.objects.none()
    return Actor.objects.all()


def roll_call_votes_visible_to(user: AnyUser) -> QuerySet[RollCallVote]:
    if user_membership(user) is None:
        return RollCallVote.objects.none()
    return RollCallVote.objects.all()


def sharing_condition(user: AnyUser, *, campaign_field: str) -> Q:
    """The rule of organisation data as a Q on a model with owning_organisation and
    sharing; `campaign_field` names the campaign whose team may read restricted rows
    ("pk" on Campaign itself, "campaign_id" on engagements and stances)."""
    membership = user_membership(user)
    if membership is None:
        return Q(pk__in=[])
    own = Q(owning_organisation_id=membership.organisation_id)
    internal = Q(sharing=Sharing.INTERNAL)
    if membership.organisation.kind != Organisation.Kind.HOST:
        internal &= own
    if membership.role in (Role.COORDINATOR, Role.ADMIN):
        team = Q()
    else:
        team = Q(
            Exists(
                Campaign.team.through.objects.filter(
                    campaign_id=OuterRef(campaign_field), user_id=membership.user_id
                )
            )
        )
    return internal | (Q(sharing=Sharing.RESTRICTED) & own & team)


def campaigns_visible_to(user: AnyUser) -> QuerySet[Campaign]:
    return Campaign.objects.filter(sharing_condition(user, campaign_field="pk"))


def engagements_visible_to(user: AnyUser) -> QuerySet[Engagement]:
    return Engagement.objects.filter(sharing_condition(user, campaign_field="campaign_id"))


def stances_visible_to(user: AnyUser) -> QuerySet[Stance]:
    return Stance.objects.filter(sharing_condition(user, campaign_field="campaign_id"))


def engagement_attachments_visible_to(user: AnyUser) -> QuerySet[EngagementAttachment]:
    return EngagementAttachment.objects.filter(
        engagement__in=engagements_visible_to(user).values("pk")
    )
