"""Responsible persons and their links as FollowTheMoney entities (the format of
OpenSanctions and Aleph), one JSON object per line, each validated by the followthemoney
package before it leaves: Person (names, aliases, birth, identifiers), Occupancy + Position
for each post, CourtCase + CourtCaseParty for each role on a case (the victim a party too),
Sanction for a submission that ended in a listing.

Entities are written, and people on file (the victims) mapped, by casework.exchange, as the
API's /people/<id>/ftm/ writes them: one rule, the same ids in every export.

The followthemoney package itself is a development dependency only (tests validate every
shape this module writes with it): it needs PyICU, which has no wheel and does not build on
a machine with only Python, as `make run` and the Docker image promise. When it is installed
the export is validated by it as well before it leaves (followthemoney_validate)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from django.utils import translation

from accountability.models import ResponsiblePerson, SanctionsSubmission
from accountability.roles import person_case_roles
from casework.exchange import Entity, ftm_entity, person_ftm_entity
from casework.visibility import AnyUser

_COUNTRY_CODE = re.compile(r"[a-z]{2}")

# The properties that point at another entity of the export.
LINK_PROPERTIES = frozenset({"holder", "post", "entity", "party", "case"})

AUTHORITIES = {
    SanctionsSubmission.Jurisdiction.EU: "Council of the European Union",
    SanctionsSubmission.Jurisdiction.UK: "UK Foreign, Commonwealth and Development Office",
    SanctionsSubmission.Jurisdiction.US: "US Department of the Treasury (OFAC)",
    SanctionsSubmission.Jurisdiction.CANADA: "Global Affairs Canada",
}


def _nationality_code(text: str) -> str | None:
    """The nationality as FollowTheMoney's country type holds it, a two-letter code ("kz"),
    or None for one written out in words ("Kazakhstan", "казах"), which that type refuses:
    the export answered 500 for such a person."""
    code = text.strip().lower()
    if not _COUNTRY_CODE.fullmatch(code):
        return None
    model = _followthemoney_model()
    if model is not None:
        from followthemoney.types import registry

        if not registry.country.validate(code):
            return None
    return code


def _person_entities(person: ResponsiblePerson) -> list[Entity]:
    nationality = _nationality_code(person.nationality)
    # A nationality in words stays in the export, as the notes' first line.
    written = f"Nationality: {person.nationality.strip()}" if person.nationality.strip() else ""
    entity = ftm_entity(
        "Person",
        "responsible",
        person.pk,
        name=[person.name, person.native_name],
        alias=[alias.name for alias in person.aliases.all()],
        birthDate=person.birth_date.isoformat() if person.birth_date else None,
        birthPlace=person.birth_place,
        nationality=nationality,
        notes=[written if nationality is None else "", person.notes],
    )
    entities = [entity]
    for identifier in person.identifiers.all():
        entities.append(
            ftm_entity(
                "Identification",
                "identifier",
                identifier.pk,
                holder=entity["id"],
                number=identifier.value,
                type=identifier.get_kind_display(),
            )
        )
    for position in person.positions.all():
        post = ftm_entity(
            "Position",
            "position",
            position.pk,
            name=str(position) or position.institution,
            subnationalArea=position.region,
        )
        entities += [
            post,
            ftm_entity(
                "Occupancy",
                "occupancy",
                position.pk,
                holder=entity["id"],
                post=post["id"],
                startDate=position.started_on.isoformat() if position.started_on else None,
                endDate=position.ended_on.isoformat() if position.ended_on else None,
            ),
        ]
    for submission in person.submissions.all():
        if submission.outcome == SanctionsSubmission.Outcome.LISTED:
            entities.append(
                ftm_entity(
                    "Sanction",
                    "sanction",
                    submission.pk,
                    entity=entity["id"],
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


def _role_entities(person: ResponsiblePerson, person_id: str, user: AnyUser) -> list[Entity]:
    entities: list[Entity] = []
    seen_cases: set[int] = set()
    # The victims' aliases too: casework.exchange writes them.
    roles = person_case_roles(person=person, user=user).prefetch_related("case__person__aliases")
    for role in roles:
        case = role.case
        court_case = ftm_entity(
            "CourtCase", "case", case.pk, name=case.reference, caseNumber=case.reference
        )
        if case.pk not in seen_cases:
            seen_cases.add(case.pk)
            victim = person_ftm_entity(person=case.person)
            entities += [
                court_case,
                victim,
                ftm_entity(
                    "CourtCaseParty",
                    "victim-party",
                    case.pk,
                    party=victim["id"],
                    case=court_case["id"],
                    role="defendant",
                ),
            ]
        entities.append(
            ftm_entity(
                "CourtCaseParty",
                "role",
                role.pk,
                party=person_id,
                case=court_case["id"],
                role=role.get_role_display(),
                description=role.description,
                startDate=role.started_on.isoformat() if role.started_on else None,
                endDate=role.ended_on.isoformat() if role.ended_on else None,
                # Each link once, though two pieces of evidence come from one page.
                sourceUrl=list(
                    dict.fromkeys(evidence.url for evidence in role.evidence.all() if evidence.url)
                ),
            )
        )
    return entities


def followthemoney_entities(
    *, persons: Iterable[ResponsiblePerson], user: AnyUser
) -> list[dict[str, Any]]:
    """The entities of these persons and their links the user may see, validated. Written
    in English whatever the page's language, as the format's readers (OpenSanctions,
    Aleph) and the rest of the export are: a role is "Sentencing judge" in every export."""
    entities: dict[str, Entity] = {}
    with translation.override("en"):
        for person in persons:
            own = _person_entities(person)
            for entity in own + _role_entities(person, own[0]["id"], user):
                entities.setdefault(entity["id"], entity)
    exported = list(entities.values())
    followthemoney_validate(exported)
    return exported


def _followthemoney_model() -> Any:
    try:
        from followthemoney import model
    except ImportError:  # production: see the module's docstring
        return None
    return model


def followthemoney_validate(entities: Iterable[Entity]) -> None:
    """ValueError unless every entity a link points at is in the export; and, where the
    followthemoney package is installed, its InvalidData unless every entity is valid for
    its schema."""
    entities = list(entities)
    ids = {entity["id"] for entity in entities}
    model = _followthemoney_model()
    for entity in entities:
        for name in LINK_PROPERTIES & set(entity["properties"]):
            if set(entity["properties"][name]) - ids:
                raise ValueError(f"{entity['id']}.{name} points outside the export")
        if model is not None:
            schema = model.get(entity["schema"])
            if schema is None:
                raise ValueError(f"unknown schema {entity['schema']}")
            schema.validate(entity)


def followthemoney_json_lines(entities: list[dict[str, Any]]) -> str:
    return "".join(
        json.dumps(entity, ensure_ascii=False, sort_keys=True) + "\n" for entity in entities
    )
