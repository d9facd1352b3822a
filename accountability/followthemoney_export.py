"""Responsible persons and their links as FollowTheMoney entities (the format of
OpenSanctions and Aleph), one JSON object per line, each validated by the followthemoney
package before it leaves: Person (names, aliases, birth, identifiers), Occupancy + Position
for each post, CourtCase + CourtCaseParty for each role on a case (the victim a party too),
Sanction for a submission that ended in a listing.

Entity ids are derived from this installation's record ids with a fixed prefix, so a second
export of the same records gives the same ids and the receiver can update rather than
duplicate."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy

from accountability.models import ResponsiblePerson, SanctionsSubmission
from accountability.roles import person_case_roles

ID_PREFIX = "advocase"

AUTHORITIES = {
    SanctionsSubmission.Jurisdiction.EU: "Council of the European Union",
    SanctionsSubmission.Jurisdiction.UK: "UK Foreign, Commonwealth and Development Office",
    SanctionsSubmission.Jurisdiction.US: "US Department of the Treasury (OFAC)",
    SanctionsSubmission.Jurisdiction.CANADA: "Global Affairs Canada",
}


def _entity(schema: str, *parts: object, **properties: Any) -> EntityProxy:
    entity = model.make_entity(schema)
    entity.make_id(ID_PREFIX, schema, *[str(part) for part in parts])
    for name, values in properties.items():
        for value in values if isinstance(values, list) else [values]:
            if value not in (None, ""):
                entity.add(name, str(value))
    return entity


def _person_entities(person: ResponsiblePerson) -> list[EntityProxy]:
    entity = _entity(
        "Person",
        "responsible",
        person.pk,
        name=[person.name, person.native_name],
        alias=[alias.name for alias in person.aliases.all()],
        birthDate=person.birth_date.isoformat() if person.birth_date else None,
        birthPlace=person.birth_place,
        nationality=person.nationality,
        notes=person.notes,
    )
    entities = [entity]
    for identifier in person.identifiers.all():
        entities.append(
            _entity(
                "Identification",
                "identifier",
                identifier.pk,
                holder=entity.id,
                number=identifier.value,
                type=identifier.get_kind_display(),
            )
        )
    for position in person.positions.all():
        post = _entity(
            "Position",
            "position",
            position.pk,
            name=str(position) or position.institution,
            subnationalArea=position.region,
        )
        entities += [
            post,
            _entity(
                "Occupancy",
                "occupancy",
                position.pk,
                holder=entity.id,
                post=post.id,
                startDate=position.started_on.isoformat() if position.started_on else None,
                endDate=position.ended_on.isoformat() if position.ended_on else None,
            ),
        ]
    for submission in person.submissions.all():
        if submission.outcome == SanctionsSubmission.Outcome.LISTED:
            entities.append(
                _entity(
                    "Sanction",
                    "sanction",
                    submission.pk,
                    entity=entity.id,
                    authority=AUTHORITIES[
                        SanctionsSubmission.Jurisdiction(submission.jurisdiction)
                    ],
                    program=submission.get_jurisdiction_display(),
                    listingDate=submission.outcome_on.isoformat()
                    if submission.outcome_on
                    else None,
                )
            )
    return entities


def _role_entities(person: ResponsiblePerson, person_id: str, user) -> list[EntityProxy]:
    entities: list[EntityProxy] = []
    seen_cases: set[int] = set()
    for role in person_case_roles(person=person, user=user):
        case = role.case
        court_case = _entity(
            "CourtCase", "case", case.pk, name=case.reference, caseNumber=case.reference
        )
        if case.pk not in seen_cases:
            seen_cases.add(case.pk)
            victim = _entity(
                "Person",
                "victim",
                case.person_id,
                name=[case.person.full_name, case.person.native_name],
            )
            entities += [
                court_case,
                victim,
                _entity(
                    "CourtCaseParty",
                    "victim-party",
                    case.pk,
                    party=victim.id,
                    case=court_case.id,
                    role="defendant",
                ),
            ]
        entities.append(
            _entity(
                "CourtCaseParty",
                "role",
                role.pk,
                party=person_id,
                case=court_case.id,
                role=role.get_role_display(),
                description=role.description,
                startDate=role.started_on.isoformat() if role.started_on else None,
                endDate=role.ended_on.isoformat() if role.ended_on else None,
                sourceUrl=[evidence.url for evidence in role.evidence.all() if evidence.url],
            )
        )
    return entities


def followthemoney_entities(*, persons: Iterable[ResponsiblePerson], user) -> list[dict[str, Any]]:
    """The entities of these persons and their links the user may see, validated."""
    entities: dict[str, EntityProxy] = {}
    for person in persons:
        own = _person_entities(person)
        for entity in own + _role_entities(person, own[0].id or "", user):
            entities.setdefault(entity.id or "", entity)
    dictionaries = [entity.to_dict() for entity in entities.values()]
    followthemoney_validate(dictionaries)
    return dictionaries


def followthemoney_validate(entities: Iterable[dict[str, Any]]) -> None:
    """InvalidData (followthemoney.exc) unless every entity is valid for its schema and
    every entity a link points at is in the export."""
    entities = list(entities)
    ids = {entity["id"] for entity in entities}
    for entity in entities:
        schema = model.get(entity["schema"])
        if schema is None:
            raise ValueError(f"unknown schema {entity['schema']}")
        schema.validate(entity)
        for name, values in entity["properties"].items():
            prop = schema.get(name)
            if prop is not None and prop.type.name == "entity":
                missing = set(values) - ids
                if missing:
                    raise ValueError(f"{entity['id']}.{name} points outside the export")


def followthemoney_json_lines(entities: list[dict[str, Any]]) -> str:
    return "".join(
        json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n" for entity in entities
    )
