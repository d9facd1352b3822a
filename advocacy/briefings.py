"""The one-page briefing on an actor before a meeting: who they are (positions), how
they voted on the documents that name our cases, what we did with them before, and the
campaign's cases with their status today; all as far as the reader may see."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from advocacy.actors import current_positions_condition, our_stances
from advocacy.campaigns import our_engagements
from advocacy.engagements import engagements_for
from advocacy.models import Actor, ActorFact, Campaign, Engagement, MemberVote, Position, Stance
from advocacy.votes import actor_votes_on_our_documents, votes_summary
from casework.models import Case
from casework.visibility import cases_visible_to

BRIEFING_ENGAGEMENTS = 5
BRIEFING_FACTS = 4


@dataclass
class Briefing:
    actor: Actor
    campaign: Campaign | None
    positions: list[Position]
    facts: list[ActorFact]
    votes: list[MemberVote]
    vote_counts: Counter
    stance: Stance | None
    engagements: list[Engagement]
    engagements_total: int
    cases: list[Case]


def _positions_once(positions) -> list[Position]:
    """One line a position: a group or committee recorded by hand from a text and again by
    the roll-call export (one undated, one dated) is one position, shown with its date."""
    kept: dict[tuple, Position] = {}
    for position in positions:
        key = (position.kind, position.role, position.body_code or position.body)
        held = kept.get(key)
        if held is None or (held.started_on is None and position.started_on is not None):
            kept[key] = position
    return list(kept.values())


def actor_briefing(*, actor: Actor, user, campaign: Campaign | None = None) -> Briefing:
    today = timezone.localdate()
    positions = _positions_once(
        actor.positions.filter(current_positions_condition(on=today)).order_by("kind", "body")
    )
    votes = list(actor_votes_on_our_documents(actor=actor, user=user))
    ours: QuerySet[Engagement] = our_engagements(user).filter(actors=actor)
    engagements = list(engagements_for(user=user, engagements=ours)[:BRIEFING_ENGAGEMENTS])
    stance = our_stances(user).filter(actor=actor).order_by("-recorded_on", "-pk").first()
    cases: list[Case] = []
    if campaign is not None:
        cases = list(
            cases_visible_to(user)
            .filter(campaigns=campaign)
            .select_related("person", "detention_place")
            .order_by("person__full_name", "reference")
        )
    return Briefing(
        actor=actor,
        campaign=campaign,
        positions=positions,
        facts=list(actor.facts.select_related("document")[:BRIEFING_FACTS]),
        votes=votes,
        vote_counts=votes_summary(votes),
        stance=stance,
        engagements=engagements,
        engagements_total=ours.count(),
        cases=cases,
    )
