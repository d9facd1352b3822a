"""Writing a checked HowTheyVote.eu export (advocacy.votes_import reads and checks it):
countries, groups, members as actors, group memberships as positions, the votes that
belong to documents and every member's position in them. Rows are matched by the
export's own ids, so writing the same export again creates and changes nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from advocacy.actors import actors_refresh_name_keys
from advocacy.models import (
    Actor,
    ActorAlias,
    Country,
    Document,
    MemberVote,
    PoliticalGroup,
    Position,
    RollCallVote,
)
from advocacy.updates import fields_set
from casework.names import NAME_MATCH_THRESHOLD, name_match_score_best

PARLIAMENT = "European Parliament"
# The change reason of the history rows the import writes, to tell its renames from staff's.
IMPORT_REASON = "howtheyvote import"
GROUP_KEY_PREFIX = "howtheyvote:group:"


@dataclass(frozen=True)
class MemberRow:
    member_id: int
    first_name: str
    last_name: str
    country_code: str
    email: str

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class VoteRow:
    vote_id: int
    timestamp: datetime.datetime
    display_title: str
    reference: str
    description: str
    is_main: bool
    procedure_reference: str
    procedure_title: str
    counts: tuple[int | None, ...]


@dataclass
class ParsedExport:
    countries: dict[str, tuple[str, ...]]  # code -> (iso_alpha_2, label)
    groups: dict[str, tuple[str, ...]]  # code -> (label, short_label, official_label)
    members: dict[int, MemberRow]
    votes: dict[int, VoteRow]  # only those that belong to a document
    links: dict[int, tuple[int, str]]  # vote id -> (document id, how)
    memberships: list[tuple]  # (member id, group code, start, end)
    positions: list[tuple]  # (vote id, member id, position, group code, country code)


@dataclass
class VotesImported:
    members: int = 0
    actors_created: int = 0
    actors_matched_by_name: int = 0
    votes_linked: int = 0
    votes_skipped: int = 0
    member_votes: int = 0
    group_positions: int = 0
    documents: list[Document] = field(default_factory=list)


def _upsert_labels(model, rows: dict[str, tuple[str, ...]], fields: tuple[str, ...]) -> None:
    existing = {row.code: row for row in model.objects.filter(code__in=list(rows))}
    created, changed = [], []
    for code, values in rows.items():
        wanted = dict(zip(fields, values, strict=True))
        row = existing.get(code)
        if row is None:
            created.append(model(code=code, **wanted))
        elif fields_set(row, wanted):
            changed.append(row)
    model.objects.bulk_create(created)
    model.objects.bulk_update(changed, list(fields))


def _match_by_name(members: list[MemberRow]) -> dict[int, Actor]:
    """MEPs recorded by hand or from the seeds, before any import gave them their
    directory id, found by name (casework.names) and, where both say, the same country."""
    candidates = list(
        Actor.objects.filter(ep_member_id__isnull=True, kind=Actor.Kind.MEP).prefetch_related(
            "aliases"
        )
    )
    matched: dict[int, Actor] = {}
    taken: set[int] = set()
    for member in members:
        for actor in candidates:
            if actor.pk in taken:
                continue
            if (
                actor.country_code
                and member.country_code
                and actor.country_code != member.country_code
            ):
                continue
            names = [actor.name, *(alias.name for alias in actor.aliases.all())]
            if name_match_score_best(member.name, names) >= NAME_MATCH_THRESHOLD:
                matched[member.member_id] = actor
                taken.add(actor.pk)
                break
    return matched


def _named_by_hand(actor_ids: list[int]) -> set[int]:
    """Those of these actors whose name was last changed by staff, not by an import (one
    query): a correction such as "Jānis Ozoliņš" for the export's "Janis Ozolins" stays."""
    named: set[int] = set()
    previous: dict[int, str] = {}
    rows = (
        Actor.history.filter(id__in=actor_ids)  # type: ignore[attr-defined]
        .order_by("id", "history_date", "history_id")
        .values_list("id", "name", "history_type", "history_change_reason")
    )
    for actor_id, name, kind, reason in rows:
        if kind == "~" and actor_id in previous and name != previous[actor_id]:
            if reason == IMPORT_REASON:
                named.discard(actor_id)
            else:
                named.add(actor_id)
        previous[actor_id] = name
    return named


def _write_actors(parsed: ParsedExport, result: VotesImported) -> dict[int, int]:
    """Every member as an actor; returns actor id by member id."""
    countries = parsed.countries
    by_member = {
        actor.ep_member_id: actor for actor in Actor.objects.filter(ep_member_id__isnull=False)
    }
    unknown = [member for member in parsed.members.values() if member.member_id not in by_member]
    by_name = _match_by_name(unknown) if unknown else {}
    named_by_hand = _named_by_hand(
        [actor.pk for actor in by_member.values() if actor.origin == Actor.Origin.HOWTHEYVOTE]
    )
    created, changed, aliases, refreshed = [], [], [], set()
    for member in parsed.members.values():
        label = countries.get(member.country_code, ("", ""))[1]
        actor = by_member.get(member.member_id) or by_name.get(member.member_id)
        if actor is None:
            created.append(_actor_from_member(member, country=label))
            continue
        if actor.origin == Actor.Origin.HOWTHEYVOTE:
            wanted = {
                "name": member.name[:200],
                "family_name": member.last_name[:100],
                "country_code": member.country_code,
                "country": label or actor.country,
                "email": member.email[:254] or actor.email,
            }
            if actor.pk in named_by_hand:
                # Staff corrected the name: it stays, and the export's spelling is another.
                del wanted["name"], wanted["family_name"]
                if member.name != actor.name:
                    aliases.append(ActorAlias(actor=actor, name=member.name[:200]))
                    refreshed.add(actor.pk)
        else:
            # Recorded by hand or from the seeds: the export adds what is missing and
            # its spelling of the name, never overwrites what staff wrote.
            wanted = {
                "ep_member_id": member.member_id,
                "country_code": actor.country_code or member.country_code,
                "country": actor.country or label,
                "email": actor.email or member.email[:254],
            }
            if member.member_id in by_name:
                result.actors_matched_by_name += 1
                if member.name != actor.name:
                    aliases.append(ActorAlias(actor=actor, name=member.name[:200]))
                    refreshed.add(actor.pk)
        renamed = actor.name != wanted.get("name", actor.name)
        if fields_set(actor, wanted):
            changed.append(actor)
            if renamed:
                refreshed.add(actor.pk)
    _actors_store(created=created, changed=changed, aliases=aliases)
    ids = dict(
        Actor.objects.filter(ep_member_id__in=list(parsed.members)).values_list(
            "ep_member_id", "pk"
        )
    )
    refreshed.update(ids[actor.ep_member_id] for actor in created)
    actors_refresh_name_keys(actor_ids=refreshed)
    result.members = len(parsed.members)
    result.actors_created = len(created)
    return ids


def _actor_from_member(member, *, country: str) -> Actor:
    """A new actor for a member of the export no actor is yet."""
    return Actor(
        kind=Actor.Kind.MEP,
        name=member.name[:200],
        family_name=member.last_name[:100],
        country_code=member.country_code,
        country=country,
        email=member.email[:254],
        ep_member_id=member.member_id,
        origin=Actor.Origin.HOWTHEYVOTE,
        source=f"HowTheyVote.eu export, members.csv id {member.member_id}",
    )


def _actors_store(*, created: list[Actor], changed: list[Actor], aliases: list[ActorAlias]) -> None:
    """The import's actors written, with history rows tagged as the import's
    (IMPORT_REASON), and the export's other spellings as other names."""
    if created:
        bulk_create_with_history(
            created, Actor, batch_size=500, default_change_reason=IMPORT_REASON
        )
    if changed:
        bulk_update_with_history(
            changed,
            Actor,
            ["name", "family_name", "country_code", "country", "email", "ep_member_id"],
            batch_size=500,
            default_change_reason=IMPORT_REASON,
        )
    ActorAlias.objects.bulk_create(aliases, ignore_conflicts=True)


def _write_group_positions(parsed: ParsedExport, actors: dict[int, int]) -> int:
    existing = {
        position.source_key: position
        for position in Position.objects.filter(source_key__startswith=GROUP_KEY_PREFIX)
    }
    created, changed = [], []
    for member_id, code, started_on, ended_on in parsed.memberships:
        key = f"{GROUP_KEY_PREFIX}{member_id}:{code}:{started_on.isoformat()}"
        label = (parsed.groups.get(code) or (code,))[0] or code
        wanted = {
            "actor_id": actors[member_id],
            "kind": Position.Kind.POLITICAL_GROUP,
            "role": Position.Role.MEMBER,
            "institution": PARLIAMENT,
            "body": label[:300],
            "body_code": code[:50],
            "started_on": started_on,
            "ended_on": ended_on,
        }
        position = existing.get(key)
        if position is None:
            created.append(
                Position(
                    source_key=key, source="HowTheyVote.eu export, group_memberships.csv", **wanted
                )
            )
        elif fields_set(position, wanted):
            changed.append(position)
    if created:
        bulk_create_with_history(created, Position, batch_size=1000)
    if changed:
        bulk_update_with_history(
            changed, Position, ["actor_id", "body", "ended_on"], batch_size=1000
        )
    return len(parsed.memberships)


def _write_votes(parsed: ParsedExport) -> dict[int, int]:
    existing = {
        vote.howtheyvote_id: vote
        for vote in RollCallVote.objects.filter(howtheyvote_id__in=list(parsed.votes))
    }
    fields = (
        "timestamp",
        "display_title",
        "reference",
        "description",
        "is_main",
        "procedure_reference",
        "procedure_title",
        "count_for",
        "count_against",
        "count_abstention",
        "count_did_not_vote",
        "document_id",
        "linked_by",
    )
    created, changed = [], []
    for vote_id, row in parsed.votes.items():
        document_id, linked_by = parsed.links[vote_id]
        values = (
            row.timestamp,
            row.display_title,
            row.reference,
            row.description,
            row.is_main,
            row.procedure_reference,
            row.procedure_title,
            *row.counts,
            document_id,
            linked_by,
        )
        wanted = dict(zip(fields, values, strict=True))
        vote = existing.get(vote_id)
        if vote is None:
            created.append(RollCallVote(howtheyvote_id=vote_id, **wanted))
        elif fields_set(vote, wanted):
            changed.append(vote)
    RollCallVote.objects.bulk_create(created)
    RollCallVote.objects.bulk_update(changed, list(fields))
    return dict(
        RollCallVote.objects.filter(howtheyvote_id__in=list(parsed.votes)).values_list(
            "howtheyvote_id", "pk"
        )
    )


def _write_member_votes(parsed: ParsedExport, actors: dict[int, int], votes: dict[int, int]) -> int:
    existing = {
        (row.vote_id, row.actor_id): row
        for row in MemberVote.objects.filter(vote_id__in=list(votes.values()))
    }
    created, changed = [], []
    for vote_id, member_id, position, group_code, country_code in parsed.positions:
        key = (votes[vote_id], actors[member_id])
        row = existing.get(key)
        if row is None:
            created.append(
                MemberVote(
                    vote_id=key[0],
                    actor_id=key[1],
                    position=position,
                    group_code=group_code,
                    country_code=country_code,
                )
            )
        elif (row.position, row.group_code, row.country_code) != (
            position,
            group_code,
            country_code,
        ):
            row.position, row.group_code, row.country_code = position, group_code, country_code
            changed.append(row)
    MemberVote.objects.bulk_create(created, batch_size=2000)
    MemberVote.objects.bulk_update(
        changed, ["position", "group_code", "country_code"], batch_size=2000
    )
    return len(parsed.positions)


def export_write(*, parsed: ParsedExport) -> VotesImported:
    """Write a checked export; the caller holds the transaction."""
    result = VotesImported()
    _upsert_labels(Country, parsed.countries, ("iso_alpha_2", "label"))
    _upsert_labels(PoliticalGroup, parsed.groups, ("label", "short_label", "official_label"))
    actors = _write_actors(parsed, result)
    result.group_positions = _write_group_positions(parsed, actors)
    votes = _write_votes(parsed)
    result.votes_linked = len(votes)
    result.member_votes = _write_member_votes(parsed, actors, votes)
    return result
