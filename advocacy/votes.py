"""What the roll-call votes show: a document's vote by political group and by country
with who voted against or abstained, and an actor's votes on the documents that name the
viewer's cases. Each is a fixed number of queries, however many members voted.

Votes come from HowTheyVote.eu's export (advocacy.votes_import). A procedure often has
several roll-call votes (amendments, then the text as a whole); the export marks the
vote on the text as a whole `is_main`, and that is the one that counts here. Should a
document have no main vote (the export's classification may miss one), all its votes
count.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from advocacy.models import (
    Actor,
    Country,
    Document,
    MemberVote,
    Mention,
    PoliticalGroup,
    RollCallVote,
)
from advocacy.visibility import roll_call_votes_visible_to
from casework.visibility import case_visibility_condition

CHOICES = MemberVote.Choice


def counting_votes_condition(*, prefix: str = "") -> Q:
    """A document's main vote, or every vote of a document that has none marked main."""
    no_main = ~Exists(
        RollCallVote.objects.filter(document_id=OuterRef(f"{prefix}document_id"), is_main=True)
    )
    return Q(**{f"{prefix}is_main": True}) | no_main


@dataclass
class Tally:
    code: str
    label: str
    counts: Counter = field(default_factory=Counter)

    @property
    def voted_for(self) -> int:
        return self.counts[CHOICES.FOR]

    @property
    def against(self) -> int:
        return self.counts[CHOICES.AGAINST]

    @property
    def abstention(self) -> int:
        return self.counts[CHOICES.ABSTENTION]

    @property
    def did_not_vote(self) -> int:
        return self.counts[CHOICES.DID_NOT_VOTE]


@dataclass
class RollCall:
    vote: RollCallVote
    total: Tally
    by_group: list[Tally]
    by_country: list[Tally]
    against_or_abstained: list[MemberVote]
    group_labels: dict[str, str] = field(default_factory=dict)  # code -> label

    @property
    def tables(self) -> list[tuple[str, list[Tally]]]:
        return [(_("Political group"), self.by_group), (_("Country"), self.by_country)]


def _tallies(rows, labels: dict[str, str], vote_id: int, key: str) -> list[Tally]:
    tallies: dict[str, Tally] = {}
    for row in rows:
        if row["vote_id"] != vote_id:
            continue
        code = row[key] or ""
        tally = tallies.setdefault(code, Tally(code=code, label=labels.get(code, code or "—")))
        tally.counts[row["position"]] += row["n"]
    return sorted(
        tallies.values(), key=lambda tally: (-tally.voted_for - tally.against, tally.label)
    )


def document_roll_calls(*, document: Document, user) -> list[RollCall]:
    """The counting votes on a document, each with its tallies and the members who voted
    against or abstained (six queries)."""
    votes = list(
        roll_call_votes_visible_to(user)
        .filter(document=document)
        .filter(counting_votes_condition())
        .order_by("timestamp", "howtheyvote_id")
    )
    if not votes:
        return []
    ids = [vote.pk for vote in votes]
    positions = MemberVote.objects.filter(vote_id__in=ids).order_by()
    by_group = list(positions.values("vote_id", "group_code", "position").annotate(n=Count("pk")))
    by_country = list(
        positions.values("vote_id", "country_code", "position").annotate(n=Count("pk"))
    )
    groups = {
        row.code: str(row)
        for row in PoliticalGroup.objects.filter(code__in={r["group_code"] for r in by_group})
    }
    countries = dict(
        Country.objects.filter(code__in={r["country_code"] for r in by_country}).values_list(
            "code", "label"
        )
    )
    dissent: dict[int, list[MemberVote]] = defaultdict(list)
    for row in (
        positions.filter(position__in=(CHOICES.AGAINST, CHOICES.ABSTENTION))
        .select_related("actor")
        .order_by("position", "actor__family_name", "actor__name")
    ):
        dissent[row.vote_id].append(row)
    roll_calls = []
    for vote in votes:
        total = Tally(code="", label="")
        for row in by_group:
            if row["vote_id"] == vote.pk:
                total.counts[row["position"]] += row["n"]
        roll_calls.append(
            RollCall(
                vote=vote,
                total=total,
                by_group=_tallies(by_group, groups, vote.pk, "group_code"),
                by_country=_tallies(by_country, countries, vote.pk, "country_code"),
                against_or_abstained=dissent[vote.pk],
                group_labels=groups,
            )
        )
    return roll_calls


def names_visible_cases_condition(*, user, document_ref: str) -> Exists:
    """The outer document names (a confirmed mention of) a case the user may see."""
    return Exists(
        Mention.objects.filter(
            document_id=OuterRef(document_ref), state=Mention.State.CONFIRMED
        ).filter(case_visibility_condition(user, prefix="case__"))
    )


def actor_votes_on_our_documents(*, actor: Actor, user) -> QuerySet[MemberVote]:
    """The actor's counting votes on documents that name a case the user may see."""
    return (
        MemberVote.objects.filter(
            actor=actor,
            vote__in=roll_call_votes_visible_to(user).values("pk"),
            vote__document__archived_at__isnull=True,
        )
        .filter(counting_votes_condition(prefix="vote__"))
        .filter(names_visible_cases_condition(user=user, document_ref="vote__document_id"))
        .select_related("vote__document")
        .order_by("-vote__timestamp")
    )


def votes_summary(member_votes: list[MemberVote]) -> Counter:
    """How many times the actor voted each way, among these votes."""
    return Counter(member_vote.position for member_vote in member_votes)
