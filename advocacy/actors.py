"""Actors: recording and changing them, their other names and match keys, their dated
positions, and the stances an organisation records about them.

Names go through casework.names, the one module that compares names: an actor is found
by any spelling or script ("Róża Thun", "Roza Thun", "Роза Тун") as a person is.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from advocacy.models import (
    Actor,
    ActorAlias,
    ActorNameKey,
    Campaign,
    Position,
    Sharing,
    Stance,
)
from advocacy.updates import model_update
from advocacy.visibility import campaigns_visible_to, stances_visible_to
from casework.cases import records_possible_duplicates
from casework.followups import user_today
from casework.names import (
    TextRefusedError,
    name_clean,
    name_keys,
    name_search_keys,
    text_strip_spoofing,
)
from casework.visibility import user_membership
from common.history import history_save

ACTOR_EDITABLE_FIELDS = (
    "kind",
    "name",
    "family_name",
    "country_code",
    "country",
    "email",
    "website",
    "source",
)
POSITION_EDITABLE_FIELDS = (
    "kind",
    "role",
    "institution",
    "body",
    "body_code",
    "started_on",
    "ended_on",
    "source",
)


# --- Names ---------------------------------------------------------------------------------


def actors_refresh_name_keys(*, actor_ids: Iterable[int]) -> None:
    """Rebuild the key rows of these actors from their names and aliases, in a fixed
    number of queries however many (an import refreshes hundreds at once)."""
    ids = set(actor_ids)
    if not ids:
        return
    names: dict[int, list[str]] = defaultdict(list)
    for pk, name in Actor.objects.filter(pk__in=ids).values_list("pk", "name"):
        names[pk].append(name)
    for actor_id, name in ActorAlias.objects.filter(actor_id__in=ids).values_list(
        "actor_id", "name"
    ):
        names[actor_id].append(name)
    with transaction.atomic():
        ActorNameKey.objects.filter(actor_id__in=ids).delete()
        ActorNameKey.objects.bulk_create(
            [
                ActorNameKey(actor_id=actor_id, key=key)
                for actor_id, written in names.items()
                for key in sorted({key for name in written for key in name_keys(name)})
            ],
            batch_size=2000,
        )


def actor_ids_matching_name(*, query: str) -> QuerySet:
    """Ids of actors one of whose names matches the typed query, as a subquery."""
    keys = name_search_keys(query)
    if not keys:
        return ActorNameKey.objects.none().values("actor_id")
    return ActorNameKey.objects.filter(key__in=keys).values("actor_id")


def actors_matching_name(*, actors: QuerySet[Actor], query: str) -> QuerySet[Actor]:
    return actors.filter(pk__in=actor_ids_matching_name(query=query))


def actors_possible_duplicates(*, actors: QuerySet[Actor], names: Iterable[str]) -> list[Actor]:
    """Those of `actors` (what the user may see) whom the names may be, in any spelling or
    script: New actor's warning, by the duplicate-person warning's rule."""
    return records_possible_duplicates(
        records=actors,
        keys=ActorNameKey.objects.all(),
        owner="actor_id",
        names=names,
        names_of=lambda actor: [actor.name, *(alias.name for alias in actor.aliases.all())],
    )


def _actor_name(value: str, *, kind: str, field: str = "name", label: str = "") -> str:
    """A name as it may be stored (casework.names.name_clean: no direction controls, a
    letter first, so "=SUM(…)" never reaches a mail-merge export); an institution's name
    ("«Nur Otan» faction", "3rd Committee") may begin otherwise. Refused beside `field`."""
    label = label or capfirst(str(Actor._meta.get_field("name").verbose_name))
    try:
        if kind in (Actor.Kind.INSTITUTION, Actor.Kind.UN_MANDATE):
            return text_strip_spoofing(value, field=label).strip()
        return name_clean(value, field=label)
    except TextRefusedError as error:
        raise ValidationError({field: str(error)}) from None


_COUNTRY_CODE = re.compile(r"[A-Z]{3}")


def _country_code(value: str) -> str:
    """ISO 3166-1 alpha-3 in capitals, as the votes import writes it: "kaz" is KAZ, and "KZ"
    or "Kazakhstan" are refused, since the target list's country filter would list them as
    other countries than KAZ and leave their actors out of a KAZ target list."""
    code = value.strip().upper()
    if code and not _COUNTRY_CODE.fullmatch(code):
        raise ValidationError(
            {
                "country_code": _(
                    "Write the country as its three-letter ISO code (KAZ, DEU, POL), not "
                    "“%(written)s”; the country's name goes in Country."
                )
                % {"written": value.strip()}
            }
        )
    return code


# --- Actors --------------------------------------------------------------------------------


def actor_create(*, by, aliases: Iterable[str] = (), **fields: Any) -> Actor:
    """Record an actor by hand (or from the seeds), with its other names."""
    unknown = set(fields) - set(ACTOR_EDITABLE_FIELDS) - {"origin", "ep_member_id"}
    if unknown:
        raise ValueError(f"actor_create cannot set {', '.join(sorted(unknown))}")
    kind = fields.get("kind", "")
    if "name" in fields:
        fields["name"] = _actor_name(fields["name"], kind=kind)
    if "country_code" in fields:
        fields["country_code"] = _country_code(fields["country_code"])
    aliases = [
        _actor_name(name, kind=kind, field="aliases", label=_("Other names"))
        for name in aliases
        if name.strip()
    ]
    actor = Actor(
        created_by=by, **{k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    )
    actor.full_clean()
    with transaction.atomic():
        history_save(instance=actor, by=by)
        ActorAlias.objects.bulk_create(
            [ActorAlias(actor=actor, name=name) for name in dict.fromkeys(aliases)],
            ignore_conflicts=True,
        )
        actors_refresh_name_keys(actor_ids=[actor.pk])
    return actor


def actor_update(*, actor: Actor, by, **fields: Any) -> Actor:
    if "name" in fields:
        fields["name"] = _actor_name(fields["name"], kind=fields.get("kind", actor.kind))
    if "country_code" in fields:
        fields["country_code"] = _country_code(fields["country_code"])
    with transaction.atomic():
        model_update(instance=actor, data=fields, fields=ACTOR_EDITABLE_FIELDS, by=by)
        if "name" in fields:
            actors_refresh_name_keys(actor_ids=[actor.pk])
    return actor


def actor_add_alias(*, actor: Actor, name: str) -> ActorAlias:
    """Add another name of the actor (kept once however often it is added)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("A name is required.")})
    name = _actor_name(name, kind=actor.kind, label=_("Other name or spelling"))
    try:
        with transaction.atomic():
            alias = ActorAlias.objects.create(actor=actor, name=name)
            actors_refresh_name_keys(actor_ids=[actor.pk])
    except IntegrityError:
        alias = ActorAlias.objects.get(actor=actor, name=name)
    return alias


# --- Positions ----------------------------------------------------------------------------


def position_add(*, actor: Actor, by, **fields: Any) -> Position:
    unknown = set(fields) - set(POSITION_EDITABLE_FIELDS) - {"source_key"}
    if unknown:
        raise ValueError(f"position_add cannot set {', '.join(sorted(unknown))}")
    position = Position(
        actor=actor, **{k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    )
    position.full_clean()
    history_save(instance=position, by=by)
    return position


def position_update(*, position: Position, by, **fields: Any) -> Position:
    return model_update(instance=position, data=fields, fields=POSITION_EDITABLE_FIELDS, by=by)


def current_positions_condition(*, on: datetime.date, prefix: str = "") -> Q:
    """Positions held on `on`: begun by then (or of unknown start), not ended before it."""
    return (Q(**{f"{prefix}started_on__isnull": True}) | Q(**{f"{prefix}started_on__lte": on})) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": on})
    )


# --- Stances ------------------------------------------------------------------------------


def stance_record(
    *,
    actor: Actor,
    by,
    value: str,
    recorded_on: datetime.date | None = None,
    reason: str = "",
    campaign: Campaign | None = None,
    sharing: str = Sharing.INTERNAL,
) -> Stance:
    """Record where an actor stands for the user's organisation (a new row each time, so
    the history of a stance is the list of its rows)."""
    membership = user_membership(by)
    if membership is None:
        raise ValidationError(_("Only members of an organisation record stances."))
    if campaign is not None:
        if (
            not campaigns_visible_to(by)
            .filter(pk=campaign.pk, owning_organisation_id=membership.organisation_id)
            .exists()
        ):
            raise ValidationError({"campaign": _("Choose one of your organisation's campaigns.")})
        if campaign.sharing == Sharing.RESTRICTED:
            sharing = Sharing.RESTRICTED
    if sharing == Sharing.RESTRICTED and campaign is None:
        raise ValidationError(
            {"sharing": _("A restricted stance belongs to a campaign, whose team may see it.")}
        )
    if recorded_on is not None and recorded_on > user_today(by):
        # "Our stance" is the latest by date: a typo (2062) would outrank every later one.
        raise ValidationError({"recorded_on": _("A stance cannot be dated in the future.")})
    stance = Stance(
        actor=actor,
        value=value,
        recorded_on=recorded_on or timezone.localdate(),
        reason=reason.strip(),
        recorded_by=by,
        owning_organisation_id=membership.organisation_id,
        sharing=sharing,
        campaign=campaign,
    )
    stance.full_clean()
    history_save(instance=stance, by=by)
    return stance


def our_stances(user) -> QuerySet[Stance]:
    """The stances the user's own organisation recorded that the user may see: what
    "our stance" means in lists, filters and exports (another organisation's, where
    visible, is shown on the actor's page with its name)."""
    membership = user_membership(user)
    if membership is None:
        return Stance.objects.none()
    return stances_visible_to(user).filter(owning_organisation_id=membership.organisation_id)


def latest_stance_subquery(*, user, field: str = "value", actor_ref: str = "pk") -> Subquery:
    """Our latest stance on the outer actor, as a subquery (for lists)."""
    return Subquery(
        our_stances(user)
        .filter(actor_id=OuterRef(actor_ref))
        .order_by("-recorded_on", "-pk")
        .values(field)[:1]
    )


def actor_latest_stances(*, actor: Actor, user, limit: int = 10) -> list[Stance]:
    return list(
        stances_visible_to(user)
        .filter(actor=actor)
        .select_related("recorded_by", "campaign", "owning_organisation")
        .order_by("-recorded_on", "-pk")[:limit]
    )


def last_engagement_subquery(*, engagements: QuerySet, actor_ref: str = "pk") -> Subquery:
    """The date of the latest of these engagements with the outer actor."""
    return Subquery(
        engagements.filter(actors=OuterRef(actor_ref))
        .order_by()
        .values("actors")
        .annotate(last=Max("happened_on"))
        .values("last")[:1]
    )
