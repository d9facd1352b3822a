"""The IDOR world's actors, campaigns, engagements, stances and their files (issue 19),
kept apart from tests/idor_world.py, which calls these functions at five places.

Actors and their positions are public records (nothing of them is hidden); campaigns,
engagements, stances and files follow advocacy.visibility: internal to the owning
organisation and the host, restricted to a campaign's team and the owning organisation's
coordinators and admins. The world holds one of each that every swept user may not see,
and engagements that a user sees but that raise cases hidden from them.
"""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.db.models import Q

from advocacy.models import (
    Actor,
    Campaign,
    CampaignTarget,
    Engagement,
    EngagementAttachment,
    EngagementFollowUp,
    Position,
    Sharing,
    Stance,
)
from advocacy.visibility import (
    actors_visible_to,
    campaigns_visible_to,
    engagement_attachments_visible_to,
    engagements_visible_to,
    stances_visible_to,
)
from casework.models import Case
from tests.factories import (
    ActorFactory,
    CampaignFactory,
    EngagementFactory,
    FollowUpFactory,
    PositionFactory,
    StanceFactory,
)

TARGET_KINDS = frozenset({"actor", "position", "campaign", "engagement", "attachment"})
# What an id in these URLs names, for tests/test_idor.py's URL_MODEL.
TARGET_URL_MODEL = {
    "actor_detail": "actor",
    "actor_edit": "actor",
    "actor_alias_add": "actor",
    "position_add": "actor",
    "stance_add": "actor",
    "actor_briefing": "actor",
    "position_edit": "position",
    "engagement_detail": "engagement",
    "engagement_edit": "engagement",
    "engagement_attachment_add": "engagement",
    "engagement_follow_up_add": "engagement",
    "engagement_attachment_download": "attachment",
    "campaign_detail": "campaign",
    "campaign_edit": "campaign",
    "campaign_targets": "campaign",
    "campaign_target_change": "campaign",
    "campaign_targets_export": "campaign",
    "campaign_briefing": "campaign",
}


def target_objects(kind: str):
    return {
        "actor": Actor.objects.all(),
        "position": Position.objects.all(),
        "campaign": Campaign.objects.all(),
        "engagement": Engagement.objects.all(),
        "attachment": EngagementAttachment.objects.all(),
    }[kind]


def target_visible(user, kind: str):
    return {
        "actor": lambda: actors_visible_to(user),
        "position": lambda: Position.objects.filter(actor__in=actors_visible_to(user)),
        "campaign": lambda: campaigns_visible_to(user),
        "engagement": lambda: engagements_visible_to(user),
        "attachment": lambda: engagement_attachments_visible_to(user),
    }[kind]()


def target_markers(world, user) -> dict[str, str]:
    markers: dict[str, str] = {}
    for campaign in world.hidden(user, "campaign"):
        markers[campaign.name] = f"campaign {campaign.pk}"
    for engagement in world.hidden(user, "engagement"):
        markers[engagement.subject] = f"engagement {engagement.pk}"
        markers[engagement.asks] = f"engagement {engagement.pk}"
    for attachment in world.hidden(user, "attachment"):
        markers[attachment.name] = f"attachment {attachment.pk}"
    for stance in Stance.objects.exclude(pk__in=stances_visible_to(user).values("pk")):
        markers[stance.reason] = f"stance {stance.pk}"
    return {marker: owner for marker, owner in markers.items() if marker}


def target_snapshot(world, user) -> dict:
    campaign_ids = [campaign.pk for campaign in world.hidden(user, "campaign")]
    engagement_ids = [engagement.pk for engagement in world.hidden(user, "engagement")]
    return {
        "campaigns": list(
            Campaign.objects.filter(pk__in=campaign_ids)
            .order_by("pk")
            .values_list("pk", "updated_at", "name", "sharing", "target_filters")
        ),
        "campaign_targets": list(
            CampaignTarget.objects.filter(campaign_id__in=campaign_ids)
            .order_by("pk")
            .values_list("pk", "actor_id")
        ),
        "campaign_links": list(
            Campaign.cases.through.objects.filter(campaign_id__in=campaign_ids)
            .order_by("pk")
            .values_list("pk", "case_id")
        ),
        "engagements": list(
            Engagement.objects.filter(pk__in=engagement_ids)
            .order_by("pk")
            .values_list("pk", "updated_at", "subject", "sharing", "campaign_id")
        ),
        "engagement_cases": list(
            Engagement.cases.through.objects.filter(
                Q(engagement_id__in=engagement_ids)
                | Q(case_id__in=[case.pk for case in world.hidden_cases(user)])
            )
            .order_by("pk")
            .values_list("pk", "engagement_id", "case_id")
        ),
        "engagement_files": EngagementAttachment.objects.filter(
            engagement_id__in=engagement_ids
        ).count(),
        "stances": list(
            Stance.objects.exclude(pk__in=stances_visible_to(user).values("pk"))
            .order_by("pk")
            .values_list("pk", "updated_at", "value")
        ),
    }


def build_target_world(*, world, host, partner, outsider) -> None:
    """Campaigns, engagements, stances and files of the three organisations."""
    outsider_user = world.outsider_user
    actor = ActorFactory(name="Actor Publicus", family_name="Publicus")
    PositionFactory(actor=actor)
    cases = {
        case.reference: case for case in Case.objects.filter(pk__in=[c.pk for c in world.cases])
    }

    # The host's restricted campaign, with no team: its coordinators and admins only.
    host_quiet = CampaignFactory(
        owning_organisation=host, name="Zzquiet host campaign", sharing=Sharing.RESTRICTED
    )
    CampaignTarget.objects.create(campaign=host_quiet, actor=actor)
    EngagementFactory(
        owning_organisation=host,
        campaign=host_quiet,
        sharing=Sharing.RESTRICTED,
        subject="Zzquiet host meeting",
        asks="Zzquiet host asks",
        actors=[actor],
    )
    StanceFactory(
        actor=actor,
        owning_organisation=host,
        campaign=host_quiet,
        sharing=Sharing.RESTRICTED,
        reason="Zzquiet host stance",
    )
    # A host engagement every host member sees, raising a public case and a restricted
    # one: the restricted case stays hidden from those outside its team.
    EngagementFactory(
        owning_organisation=host,
        subject="Host lobbying round",
        actors=[actor],
        cases=[cases["OPEN-PUBLIC"], cases["SECRET-RHOST"]],
    )
    # The partner's: seen by the partner and the host; it raises the partner's restricted
    # case, hidden from the partner's caseworker.
    partner_campaign = CampaignFactory(owning_organisation=partner, name="Partner campaign")
    partner_campaign.cases.add(cases["SECRET-RPARTNER"])
    EngagementFactory(
        owning_organisation=partner,
        subject="Partner letter",
        actors=[actor],
        cases=[cases["SECRET-RPARTNER"]],
        campaign=partner_campaign,
    )
    # The outsider's internal ones (the host sees them, the partner does not) and its
    # restricted ones (nobody swept sees them).
    outsider_campaign = CampaignFactory(owning_organisation=outsider, name="Zzoutsider campaign")
    outsider_meeting = EngagementFactory(
        owning_organisation=outsider,
        subject="Zzoutsider meeting",
        asks="Zzoutsider asks",
        actors=[actor],
        cases=[cases["SECRET-IOUT"]],
        campaign=outsider_campaign,
    )
    attachment = EngagementAttachment(
        engagement=outsider_meeting, name="zz-outsider-notes.pdf", size=4
    )
    attachment.file.save("notes.pdf", ContentFile(b"%PDF"), save=False)
    attachment.save()
    StanceFactory(actor=actor, owning_organisation=outsider, reason="Zzoutsider stance")
    outsider_quiet = CampaignFactory(
        owning_organisation=outsider, name="Zzquiet outsider campaign", sharing=Sharing.RESTRICTED
    )
    outsider_quiet.team.add(outsider_user)
    quiet_meeting = EngagementFactory(
        owning_organisation=outsider,
        campaign=outsider_quiet,
        sharing=Sharing.RESTRICTED,
        subject="Zzquiet outsider meeting",
        asks="Zzquiet outsider asks",
        actors=[actor],
        cases=[cases["SECRET-ROUT"]],
    )
    quiet_attachment = EngagementAttachment(
        engagement=quiet_meeting, name="zz-quiet-outsider-letter.pdf", size=4
    )
    quiet_attachment.file.save("letter.pdf", ContentFile(b"%PDF"), save=False)
    quiet_attachment.save()
    # A promise made at the outsider's meeting, about no case: the outsider's own task.
    EngagementFollowUp.objects.create(
        engagement=outsider_meeting,
        follow_up=FollowUpFactory(
            case=None,
            title="Zzoutsider promise",
            assignee=outsider_user,
            assigned_by=outsider_user,
            due_on=datetime.date(2030, 1, 1),
        ),
    )
