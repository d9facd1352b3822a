"""Campaigns: recording and changing them, and their target lists.

A target list is built by filters (group, country, committee or delegation, how they
voted on an earlier document, our stance, how long since we last engaged them) and saved
on the campaign: the filters are kept, and the actors they match become its targets
(beside those added by hand, which saving again leaves alone). Every filter is one
condition of one query, so a list of any length costs the same few queries.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.actors import (
    current_positions_condition,
    last_engagement_subquery,
    latest_stance_subquery,
)
from advocacy.group_labels import group_labels_of, political_group_labels
from advocacy.links import cases_not_all_visible, members_outside, unseen_case_ids
from advocacy.models import (
    Actor,
    Campaign,
    CampaignTarget,
    Document,
    MemberVote,
    Position,
    Sharing,
    Stance,
)
from advocacy.updates import model_update
from advocacy.visibility import actors_visible_to, documents_visible_to, engagements_visible_to
from advocacy.votes import counting_votes_condition
from casework.models import Case
from casework.visibility import user_membership
from common.history import history_save

CAMPAIGN_EDITABLE_FIELDS = ("name", "goal", "status", "target_date", "sharing")
# Positions a target list filters by as "committee or delegation".
BODY_KINDS = (
    Position.Kind.COMMITTEE,
    Position.Kind.DELEGATION,
    Position.Kind.FRIENDSHIP_GROUP,
)


@dataclass
class TargetFilters:
    """What a target list asks for; empty parts ask for nothing."""

    kind: str = ""
    groups: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)
    vote_document: int | None = None
    vote_positions: list[str] = field(default_factory=list)
    stances: list[str] = field(default_factory=list)
    not_engaged_days: int | None = None

    def as_dict(self) -> dict:
        return {name: value for name, value in asdict(self).items() if value not in ("", [], None)}

    @classmethod
    def from_dict(cls, data: dict) -> TargetFilters:
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**known)

    def is_empty(self) -> bool:
        return not self.as_dict()


def our_engagements(user) -> QuerySet:
    """The engagements of the user's own organisation that the user may see."""
    membership = user_membership(user)
    engagements = engagements_visible_to(user)
    if membership is None:
        return engagements.none()
    return engagements.filter(owning_organisation_id=membership.organisation_id)


def actors_matching(
    *, filters: TargetFilters, user, today: datetime.date | None = None
) -> QuerySet[Actor]:
    """Actors the filters select, with our latest stance and last engagement annotated."""
    today = today or timezone.localdate()
    current = current_positions_condition(on=today)
    actors = actors_visible_to(user).annotate(
        our_stance=latest_stance_subquery(user=user),
        last_engaged_on=last_engagement_subquery(engagements=our_engagements(user)),
    )
    if filters.kind:
        actors = actors.filter(kind=filters.kind)
    if filters.countries:
        actors = actors.filter(country_code__in=filters.countries)
    if filters.groups:
        actors = actors.filter(
            Exists(
                Position.objects.filter(
                    current,
                    actor_id=OuterRef("pk"),
                    kind=Position.Kind.POLITICAL_GROUP,
                    body_code__in=filters.groups,
                )
            )
        )
    if filters.bodies:
        actors = actors.filter(
            Exists(
                Position.objects.filter(
                    current, actor_id=OuterRef("pk"), kind__in=BODY_KINDS
                ).filter(Q(body_code__in=filters.bodies) | Q(body__in=filters.bodies))
            )
        )
    if filters.vote_document:
        votes = MemberVote.objects.filter(
            counting_votes_condition(prefix="vote__"),
            actor_id=OuterRef("pk"),
            vote__document_id=filters.vote_document,
        )
        if filters.vote_positions:
            votes = votes.filter(position__in=filters.vote_positions)
        actors = actors.filter(Exists(votes))
    if filters.stances:
        wanted = Q(our_stance__in=filters.stances)
        if Stance.Value.UNKNOWN in filters.stances:
            wanted |= Q(our_stance__isnull=True)
        actors = actors.filter(wanted)
    if filters.not_engaged_days is not None:
        since = today - timedelta(days=filters.not_engaged_days)
        actors = actors.filter(Q(last_engaged_on__isnull=True) | Q(last_engaged_on__lt=since))
    return actors.order_by("family_name", "name", "pk")


# --- Writing ---------------------------------------------------------------------------------


def _checked_links(
    *,
    by,
    organisation_id: int,
    team: Iterable,
    cases: Iterable[Case],
    documents: Iterable[Document],
) -> None:
    errors = {}
    if members_outside(members=team, organisation_id=organisation_id):
        errors["team"] = _("The team are members of your organisation.")
    if cases_not_all_visible(cases=cases, by=by):
        errors["cases"] = _("Choose cases you can see.")
    document_ids = {document.pk for document in documents}
    if document_ids and documents_visible_to(by).filter(pk__in=document_ids).count() != len(
        document_ids
    ):
        errors["documents"] = _("Choose documents you can see.")
    if errors:
        raise ValidationError(errors)


def campaign_create(
    *,
    by,
    name: str,
    goal: str = "",
    status: str = Campaign.Status.ACTIVE,
    target_date: datetime.date | None = None,
    sharing: str = Sharing.INTERNAL,
    team: Iterable = (),
    cases: Iterable[Case] = (),
    documents: Iterable[Document] = (),
) -> Campaign:
    membership = user_membership(by)
    if membership is None:
        raise ValidationError(_("Only members of an organisation run campaigns."))
    team, cases, documents = list(team), list(cases), list(documents)
    _checked_links(
        by=by,
        organisation_id=membership.organisation_id,
        team=team,
        cases=cases,
        documents=documents,
    )
    campaign = Campaign(
        name=name.strip(),
        goal=goal.strip(),
        status=status,
        target_date=target_date,
        sharing=sharing,
        owning_organisation_id=membership.organisation_id,
        created_by=by,
    )
    campaign.full_clean()
    with transaction.atomic():
        history_save(instance=campaign, by=by)
        # Whoever starts a restricted campaign is on its team, or they could not see it.
        campaign.team.set({*team, by} if sharing == Sharing.RESTRICTED else team)
        campaign.cases.set(cases)
        campaign.documents.set(documents)
    return campaign


def campaign_update(
    *,
    campaign: Campaign,
    by,
    team: Iterable,
    cases: Iterable[Case],
    documents: Iterable[Document],
    **fields,
) -> Campaign:
    """Change a campaign. Linked cases `by` cannot see, and linked archived documents, stay
    linked (they were not offered)."""
    team, cases, documents = list(team), list(cases), list(documents)
    _checked_links(
        by=by,
        organisation_id=campaign.owning_organisation_id,
        team=team,
        cases=cases,
        documents=documents,
    )
    unseen = unseen_case_ids(linked=campaign.cases.all(), by=by)
    # Archived documents are not offered either: they stay linked too.
    unoffered = set(
        campaign.documents.exclude(pk__in=documents_visible_to(by).values("pk")).values_list(
            "pk", flat=True
        )
    )
    with transaction.atomic():
        model_update(instance=campaign, data=fields, fields=CAMPAIGN_EDITABLE_FIELDS, by=by)
        campaign.team.set(team)
        campaign.cases.set({case.pk for case in cases} | unseen)
        campaign.documents.set({document.pk for document in documents} | unoffered)
        if campaign.sharing == Sharing.RESTRICTED:
            # What was recorded for the campaign follows it out of sight.
            campaign.engagements.update(sharing=Sharing.RESTRICTED)
            campaign.stances.update(sharing=Sharing.RESTRICTED)
    return campaign


@dataclass
class TargetsSaved:
    matched: int
    added: int
    removed: int


def campaign_save_target_list(*, campaign: Campaign, filters: TargetFilters, by) -> TargetsSaved:
    """Keep the filters on the campaign and make the actors they match its targets: those
    the filters added before and no longer match leave the list, those added by hand stay."""
    matched = set(actors_matching(filters=filters, user=by).values_list("pk", flat=True))
    with transaction.atomic():
        campaign.target_filters = filters.as_dict()
        history_save(instance=campaign, by=by, update_fields=["target_filters", "updated_at"])
        removed, _deleted = (
            CampaignTarget.objects.filter(campaign=campaign, origin=CampaignTarget.Origin.FILTER)
            .exclude(actor_id__in=matched)
            .delete()
        )
        present = set(
            CampaignTarget.objects.filter(campaign=campaign).values_list("actor_id", flat=True)
        )
        added = CampaignTarget.objects.bulk_create(
            [
                CampaignTarget(
                    campaign=campaign,
                    actor_id=actor_id,
                    origin=CampaignTarget.Origin.FILTER,
                    added_by=by,
                )
                for actor_id in sorted(matched - present)
            ],
            ignore_conflicts=True,
        )
    return TargetsSaved(matched=len(matched), added=len(added), removed=removed)


def campaign_add_target(*, campaign: Campaign, actor: Actor, by) -> CampaignTarget:
    target, _created = CampaignTarget.objects.get_or_create(
        campaign=campaign,
        actor=actor,
        defaults={"origin": CampaignTarget.Origin.MANUAL, "added_by": by},
    )
    return target


def campaign_remove_target(*, campaign: Campaign, actor: Actor) -> None:
    CampaignTarget.objects.filter(campaign=campaign, actor=actor).delete()


# --- The list ------------------------------------------------------------------------------


@dataclass
class TargetRow:
    actor: Actor
    origin: str
    groups: list[Position]
    bodies: list[Position]
    votes: dict[int, str]  # document id -> position
    group_labels: dict[str, str] = field(default_factory=dict)  # code -> label

    @property
    def group(self) -> str:
        """The groups as a person reads them (Greens/EFA), as the filters name them."""
        return group_labels_of(positions=self.groups, labels=self.group_labels)

    @property
    def group_code(self) -> str:
        # Once each: a group recorded by hand and again by the roll-call export is one.
        return ", ".join(
            dict.fromkeys(position.body_code or position.body for position in self.groups)
        )


def campaign_vote_documents(*, campaign: Campaign, user) -> list[Document]:
    """The documents whose votes a target list shows: the campaign's, and the one its
    filters ask about."""
    filters = TargetFilters.from_dict(campaign.target_filters)
    wanted = Q(pk__in=campaign.documents.values("pk"))
    if filters.vote_document:
        wanted |= Q(pk=filters.vote_document)
    return list(
        documents_visible_to(user)
        .filter(wanted)
        .filter(roll_call_votes__isnull=False)
        .distinct()
        .order_by("issued_on")
    )


def target_rows(
    *,
    actors: QuerySet[Actor],
    user,
    documents: list[Document],
    origins: dict[int, str] | None = None,
) -> list[TargetRow]:
    """Rows of a target list (page, export, briefings): current group and committees or
    delegations, our stance, last engagement and the votes on `documents`, in five queries."""
    today = timezone.localdate()
    current = Position.objects.filter(current_positions_condition(on=today)).order_by(
        "kind", "body"
    )
    if "our_stance" not in actors.query.annotations:
        actors = actors.annotate(
            our_stance=latest_stance_subquery(user=user),
            last_engaged_on=last_engagement_subquery(engagements=our_engagements(user)),
        )
    actors = list(
        actors.prefetch_related(
            Prefetch("positions", queryset=current, to_attr="current_positions")
        )
    )
    votes: dict[int, dict[int, str]] = defaultdict(dict)
    if documents and actors:
        for actor_id, document_id, position in (
            MemberVote.objects.filter(
                counting_votes_condition(prefix="vote__"),
                actor_id__in=[actor.pk for actor in actors],
                vote__document_id__in=[document.pk for document in documents],
            )
            .order_by("vote__timestamp")
            .values_list("actor_id", "vote__document_id", "position")
        ):
            votes[actor_id][document_id] = position
    labels = political_group_labels() if actors else {}
    return [
        TargetRow(
            actor=actor,
            origin=(origins or {}).get(actor.pk, ""),
            groups=[p for p in actor.current_positions if p.kind == Position.Kind.POLITICAL_GROUP],
            bodies=[p for p in actor.current_positions if p.kind in BODY_KINDS],
            votes=votes[actor.pk],
            group_labels=labels,
        )
        for actor in actors
    ]


def campaign_target_rows(*, campaign: Campaign, user) -> list[TargetRow]:
    origins = dict(campaign.targets.values_list("actor_id", "origin"))
    actors = actors_visible_to(user).filter(pk__in=campaign.targets.values("actor_id"))
    actors = actors.order_by("family_name", "name", "pk")
    return target_rows(
        actors=actors,
        user=user,
        documents=campaign_vote_documents(campaign=campaign, user=user),
        origins=origins,
    )
