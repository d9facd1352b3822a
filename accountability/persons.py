"""Recording responsible persons: the person, their other names and match keys, their
identifiers and dated positions, and the team who may see them.

Names go through casework.names, the one module that compares names: a judge is found by
any spelling or script ("Bakhyt Nurlanov", "Бахыт Нурланов", "Nurlanov B."), as people and
actors are.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accountability.models import (
    Identifier,
    ResponsibleAlias,
    ResponsibleNameKey,
    ResponsiblePerson,
    ResponsiblePosition,
)
from accountability.permissions import require_responsible_person_recorder
from casework.cases import records_possible_duplicates
from casework.followups import user_today
from casework.models import Membership
from casework.names import (
    TextRefusedError,
    has_cyrillic,
    latin_name_from_cyrillic,
    name_clean,
    name_keys,
    name_search_keys,
)
from casework.people import birth_date_check
from casework.permissions import membership_for_user
from common.history import history_save, model_update

PERSON_EDITABLE_FIELDS = (
    "kind",
    "name",
    "native_name",
    "birth_date",
    "birth_place",
    "nationality",
    "notes",
    "team",
)
POSITION_EDITABLE_FIELDS = (
    "institution",
    "unit",
    "rank",
    "region",
    "started_on",
    "ended_on",
    "source",
)


# --- Names ---------------------------------------------------------------------------------


def responsible_persons_refresh_name_keys(*, person_ids: Iterable[int]) -> None:
    """Rebuild the key rows of these persons from all their names, in a fixed number of
    queries however many."""
    ids = set(person_ids)
    if not ids:
        return
    names: dict[int, list[str]] = defaultdict(list)
    for pk, name, native in ResponsiblePerson.objects.filter(pk__in=ids).values_list(
        "pk", "name", "native_name"
    ):
        names[pk] += [written for written in (name, native) if written]
    for person_id, name in ResponsibleAlias.objects.filter(person_id__in=ids).values_list(
        "person_id", "name"
    ):
        names[person_id].append(name)
    with transaction.atomic():
        ResponsibleNameKey.objects.filter(person_id__in=ids).delete()
        ResponsibleNameKey.objects.bulk_create(
            [
                ResponsibleNameKey(person_id=person_id, key=key)
                for person_id, written in names.items()
                for key in sorted({key for name in written for key in name_keys(name)})
            ],
            batch_size=2000,
        )


def responsible_persons_matching_name(
    *, persons: QuerySet[ResponsiblePerson], query: str
) -> QuerySet[ResponsiblePerson]:
    """Those of `persons` one of whose names matches the typed query."""
    keys = name_search_keys(query)
    if not keys:
        return persons.none()
    return persons.filter(
        pk__in=ResponsibleNameKey.objects.filter(key__in=keys).values("person_id")
    )


def responsible_persons_possible_duplicates(
    *, persons: QuerySet[ResponsiblePerson], names: Iterable[str]
) -> list[ResponsiblePerson]:
    """Those of `persons` (what the user may see) whom the names may be, in any spelling
    or script: the new responsible person's warning, by the duplicate-person warning's rule."""
    return records_possible_duplicates(
        records=persons,
        keys=ResponsibleNameKey.objects.all(),
        owner="person_id",
        names=names,
        names_of=lambda person: [
            person.name,
            person.native_name,
            *(alias.name for alias in person.aliases.all()),
        ],
    )


def _clean_name(value: str, field: str, *, label: str = "") -> str:
    """The name as it may be stored; refused beside `field`, the message naming the field
    by its label in the reader's language (never "native_name")."""
    if not label:
        model_field = cast("models.Field[Any, Any]", ResponsiblePerson._meta.get_field(field))
        label = capfirst(str(model_field.verbose_name))
    try:
        return name_clean(value, field=label)
    except TextRefusedError as error:
        raise ValidationError({field: str(error)}) from None


def _latin_name(value: str) -> str:
    """The name in Latin script, refused when it holds Cyrillic: a dossier and the
    FollowTheMoney export give it as the Latin spelling sanctions lists search by."""
    cleaned = _clean_name(value, "name")
    if has_cyrillic(cleaned):
        raise ValidationError(
            {
                "name": _(
                    "The name in Latin script holds Cyrillic letters. Write it in Latin "
                    "letters (for example “%(latin)s”) and put “%(written)s” in the name in "
                    "Cyrillic."
                )
                % {"latin": latin_name_from_cyrillic(cleaned), "written": cleaned}
            }
        )
    return cleaned


def _birth_date_check(value: Any) -> None:
    """casework.people's rule for a birth date (none before 1900, none in the future)."""
    try:
        birth_date_check(value)
    except ValidationError as error:
        raise ValidationError({"birth_date": error.messages}) from None


# --- Persons -------------------------------------------------------------------------------


def _check_team(*, team: Iterable[Any], organisation_id: int) -> list[Any]:
    members = list(team)
    member_ids = [member.pk for member in members]
    of_organisation = set(
        Membership.objects.filter(
            user_id__in=member_ids, organisation_id=organisation_id
        ).values_list("user_id", flat=True)
    )
    if set(member_ids) - of_organisation:
        raise ValidationError(
            {"team": _("The team may only include members of your organisation.")}
        )
    return members


def responsible_person_create(
    *, by, aliases: Iterable[str] = (), team: Iterable[Any] = (), **fields: Any
) -> ResponsiblePerson:
    """Record a responsible person for `by`'s organisation, with their other names and team."""
    require_responsible_person_recorder(by)
    organisation_id = membership_for_user(by).organisation_id
    unknown = set(fields) - set(PERSON_EDITABLE_FIELDS) - {"is_synthetic"}
    if unknown:
        raise ValueError(f"responsible_person_create cannot set {', '.join(sorted(unknown))}")
    fields["name"] = _latin_name(fields.get("name", ""))
    if fields.get("native_name"):
        fields["native_name"] = _clean_name(fields["native_name"], "native_name")
    _birth_date_check(fields.get("birth_date"))
    members = _check_team(team=team, organisation_id=organisation_id)
    person = ResponsiblePerson(owning_organisation_id=organisation_id, created_by=by, **fields)
    person.full_clean()
    with transaction.atomic():
        history_save(instance=person, by=by)
        person.team.set(members)
        ResponsibleAlias.objects.bulk_create(
            [
                ResponsibleAlias(
                    person=person, name=_clean_name(name, "aliases", label=_("Other names"))
                )
                for name in dict.fromkeys(aliases)
                if name.strip()
            ],
            ignore_conflicts=True,
        )
        responsible_persons_refresh_name_keys(person_ids=[person.pk])
    return person


def responsible_person_update(*, person: ResponsiblePerson, by, **fields: Any) -> ResponsiblePerson:
    """Change the person's facts; only coordinators change the team."""
    if "team" in fields:
        require_responsible_person_recorder(by)
        fields["team"] = _check_team(
            team=fields["team"], organisation_id=person.owning_organisation_id
        )
    if fields.get("name"):
        fields["name"] = _latin_name(fields["name"])
    if fields.get("native_name"):
        fields["native_name"] = _clean_name(fields["native_name"], "native_name")
    if "birth_date" in fields:
        _birth_date_check(fields["birth_date"])
    with transaction.atomic():
        model_update(instance=person, data=fields, fields=PERSON_EDITABLE_FIELDS, by=by)
        responsible_persons_refresh_name_keys(person_ids=[person.pk])
    return person


def responsible_person_add_alias(*, person: ResponsiblePerson, name: str) -> ResponsibleAlias:
    """Add another name (kept once however often it is added)."""
    if not name.strip():
        raise ValidationError({"name": _("A name is required.")})
    cleaned = _clean_name(name, "name", label=_("Other name"))
    with transaction.atomic():
        alias, _created = ResponsibleAlias.objects.get_or_create(person=person, name=cleaned)
        responsible_persons_refresh_name_keys(person_ids=[person.pk])
    return alias


def responsible_person_add_identifier(
    *, person: ResponsiblePerson, kind: str, value: str, source: str = ""
) -> Identifier:
    identifier = Identifier(person=person, kind=kind, value=value.strip(), source=source.strip())
    identifier.full_clean(validate_constraints=False)
    try:
        # The unique constraint decides; Django's own message for it names the model and
        # its fields in English ("Identifier with this Person, Kind and Value …").
        with transaction.atomic():
            identifier.save()
    except IntegrityError:
        raise ValidationError(
            {
                "value": _("Already recorded: %(kind)s %(value)s.")
                % {"value": identifier.value, "kind": identifier.get_kind_display()}
            }
        ) from None
    return identifier


def _position_start_check(*, fields: dict[str, Any], by) -> None:
    # A post taken up in years to come is a typo (2029 for 2019): the page, the dossier and
    # the export would show it held "to the present". An end to come may be a known term.
    started = fields.get("started_on")
    if started is not None and started > user_today(by):
        raise ValidationError({"started_on": _("A position cannot start in the future.")})


def position_create(*, person: ResponsiblePerson, by, **fields: Any) -> ResponsiblePosition:
    unknown = set(fields) - set(POSITION_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"position_create cannot set {', '.join(sorted(unknown))}")
    _position_start_check(fields=fields, by=by)
    position = ResponsiblePosition(
        person=person, **{k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    )
    position.full_clean()
    history_save(instance=position, by=by)
    return position


def position_update(*, position: ResponsiblePosition, by, **fields: Any) -> ResponsiblePosition:
    _position_start_check(fields=fields, by=by)
    return model_update(instance=position, data=fields, fields=POSITION_EDITABLE_FIELDS, by=by)
