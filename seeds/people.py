"""People and their cases: read from people.yaml, written by natural key (the host's
person of that full name; the case reference)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from casework.models import (
    Affiliation,
    Case,
    Charge,
    Confidentiality,
    Organisation,
    Person,
    PersonAlias,
)
from casework.partial_dates import PartialDate, Precision, partial_date_parse
from seeds.events import EventSeed, StatusEventSeed, events_read, status_events_read
from seeds.provenance import ProvenanceSeed, sources_read
from seeds.records import Record, SeedFile
from seeds.writing import Tally

CONCERN_FIELDS = {
    "torture": "concern_torture",
    "health": "concern_health",
    "incommunicado": "concern_incommunicado",
    "family_harassment": "concern_family_harassment",
    "transnational_repression": "concern_transnational_repression",
}
CASE_DATE_FIELDS = Case.PARTIAL_DATE_FIELDS
PERSON_FACTS = (
    "full_name",
    "native_name",
    "aliases",
    "gender",
    "occupation",
    "region",
    "birth_year",
    "affiliations",
    "biography",
)
CASE_FACTS = ("reference", "sentence", "summary", "concerns", "charges", *CASE_DATE_FIELDS)


@dataclass(frozen=True)
class CaseSeed:
    reference: str
    sentence: str
    summary: str
    concerns: tuple[str, ...]
    charges: tuple[tuple[str, str, str, str], ...]
    dates: dict[str, PartialDate | None]
    status_events: tuple[StatusEventSeed, ...]
    events: tuple[EventSeed, ...]
    sources: tuple[ProvenanceSeed, ...]


@dataclass(frozen=True)
class PersonSeed:
    full_name: str
    native_name: str
    aliases: tuple[str, ...]
    gender: str
    occupation: str
    region: str
    birth_year: int | None
    affiliations: tuple[str, ...]
    biography: str
    cases: tuple[CaseSeed, ...]
    sources: tuple[ProvenanceSeed, ...]


# --- Reading -----------------------------------------------------------------------------


def people_read(
    *,
    directory: Path,
    texts: dict[str, str],
    affiliation_slugs: set[str],
    charge_keys: set[tuple],
    document_keys: set[str],
) -> list[PersonSeed]:
    seeds = []
    file = SeedFile(
        directory=directory, name="people.yaml", texts=texts, key="people", label="person"
    )
    case_references: set = set()
    for record, full_name in file.keyed("full_name"):
        sources = sources_read(record, facts=PERSON_FACTS)
        cases = []
        for case_record in record.records("cases", label="case"):
            reference = case_record.text("reference", required=True)
            case_record.where += f" ({reference})"
            if reference in case_references:
                raise case_record.error(None, f"reference {reference!r} appears twice")
            case_references.add(reference)
            cases.append(
                _case_seed(
                    case_record,
                    reference=reference,
                    person_sources=sources,
                    charge_keys=charge_keys,
                    document_keys=document_keys,
                )
            )
        if not cases:
            raise record.error("cases", "a person needs at least one case")
        seeds.append(_person_seed(record, full_name, sources, tuple(cases), affiliation_slugs))
    return seeds


def _person_seed(
    record: Record,
    full_name: str,
    sources: tuple[ProvenanceSeed, ...],
    cases: tuple[CaseSeed, ...],
    affiliation_slugs: set[str],
) -> PersonSeed:
    return PersonSeed(
        full_name=full_name,
        native_name=record.text("native_name"),
        aliases=record.strings("aliases"),
        gender=record.text("gender", choices=Person.Gender.values),
        occupation=record.text("occupation", choices=Person.Occupation.values),
        region=record.text("region"),
        birth_year=record.integer("birth_year", minimum=1900),
        affiliations=record.strings("affiliations", choices=affiliation_slugs),
        biography=record.text("biography"),
        cases=cases,
        sources=sources,
    )


def _partial_date(record: Record, name: str) -> PartialDate | None:
    value = record.text(name)
    if not value:
        return None
    try:
        return partial_date_parse(value)
    except ValueError as error:
        raise record.error(name, f"{value!r} is not a date, a month or a year: {error}") from error


def _case_charges(record: Record, charge_keys: set[tuple]) -> tuple[tuple, ...]:
    charges = []
    for charge in record.records("charges", label="charge"):
        key = (
            charge.text("jurisdiction") or "KZ",
            charge.text("code", required=True),
            charge.text("article", required=True),
            charge.text("part"),
        )
        if key not in charge_keys:
            raise charge.error("article", f"{key} is not in charges.yaml")
        charges.append(key)
        charge.finish()
    return tuple(charges)


def _case_seed(
    record: Record,
    *,
    reference: str,
    person_sources: tuple[ProvenanceSeed, ...],
    charge_keys: set[tuple],
    document_keys: set[str],
) -> CaseSeed:
    sources = sources_read(record, facts=CASE_FACTS, inherited=person_sources)
    dates = {name: _partial_date(record, name) for name in CASE_DATE_FIELDS}
    for earlier, later in (("detained_on", "released_on"), ("detained_on", "expected_release_on")):
        if dates[earlier] and dates[later] and dates[later].end < dates[earlier].start:
            raise record.error(later, f"is before {earlier}")
    case = CaseSeed(
        reference=reference,
        sentence=record.text("sentence"),
        summary=record.text("summary"),
        concerns=record.strings("concerns", choices=set(CONCERN_FIELDS)),
        charges=_case_charges(record, charge_keys),
        dates=dates,
        status_events=status_events_read(record, document_keys=document_keys),
        events=events_read(record),
        sources=sources,
    )
    record.finish()
    return case


# --- Writing -----------------------------------------------------------------------------


class _Existing:
    """The rows a load may update, read in a few queries before writing."""

    def __init__(self, *, seeds: list[PersonSeed], host: Organisation):
        self.people: dict[str, Person] = {}
        # Only the host's own records: a partner's person of the same name stays theirs. A
        # name entered twice by hand must not make the loader pick a different row each run.
        for person in Person.objects.filter(
            owning_organisation=host, full_name__in=[seed.full_name for seed in seeds]
        ).order_by("-pk"):
            self.people[person.full_name] = person
        references = [case.reference for seed in seeds for case in seed.cases]
        self.cases = {
            case.reference: case for case in Case.objects.filter(reference__in=references)
        }
        people = list(self.people.values())
        self.aliases = {
            (alias.person_id, alias.name) for alias in PersonAlias.objects.filter(person__in=people)
        }
        self.affiliations: dict[int, set[int]] = {}
        for person_id, affiliation_id in Person.affiliations.through.objects.filter(
            person__in=people
        ).values_list("person_id", "affiliation_id"):
            self.affiliations.setdefault(person_id, set()).add(affiliation_id)
        self.charges: dict[int, set[int]] = {}
        for case_id, charge_id in Case.charges.through.objects.filter(
            case__reference__in=references
        ).values_list("case_id", "charge_id"):
            self.charges.setdefault(case_id, set()).add(charge_id)


def people_write(
    *,
    seeds: list[PersonSeed],
    tally: Tally,
    host: Organisation,
    affiliations: dict[str, Affiliation],
    charges: dict[tuple, Charge],
) -> tuple[dict[str, Person], dict[str, Case]]:
    """Every person with their aliases, affiliations and cases: the people by full name,
    the cases by reference."""
    existing = _Existing(seeds=seeds, host=host)
    for seed in seeds:
        created_before = tally.created
        person = tally.upsert(
            Person,
            existing.people,
            seed.full_name,
            {
                "full_name": seed.full_name,
                "native_name": seed.native_name,
                "gender": seed.gender,
                "occupation": seed.occupation,
                "region": seed.region,
                "birth_year": seed.birth_year,
                "biography": seed.biography,
                "owning_organisation_id": host.pk,
            },
        )
        for alias in seed.aliases:
            if (person.pk, alias) not in existing.aliases:
                PersonAlias.objects.create(person=person, name=alias)
                existing.aliases.add((person.pk, alias))
                tally.created += 1
        wanted = {affiliations[slug].pk for slug in seed.affiliations}
        if existing.affiliations.get(person.pk, set()) != wanted:
            person.affiliations.set(wanted)
            # Linking a person created a moment ago is part of creating them.
            tally.updated += tally.created == created_before
        for case_seed in seed.cases:
            _case_write(
                case_seed,
                person=person,
                host=host,
                charges=charges,
                existing=existing,
                tally=tally,
            )
    return existing.people, existing.cases


def _case_write(
    case_seed: CaseSeed,
    *,
    person: Person,
    host: Organisation,
    charges: dict[tuple, Charge],
    existing: _Existing,
    tally: Tally,
) -> Case:
    values = {
        "person_id": person.pk,
        "owning_organisation_id": host.pk,
        "confidentiality": Confidentiality.PUBLIC,
        "reference": case_seed.reference,
        "sentence": case_seed.sentence,
        "summary": case_seed.summary,
        # Each fact's source is its provenance; the free-text field is the caseworkers'.
        "sources": "",
        **{name: value.start if value else None for name, value in case_seed.dates.items()},
        **{
            f"{name}_precision": value.precision if value else Precision.DAY
            for name, value in case_seed.dates.items()
        },
        **{model_field: name in case_seed.concerns for name, model_field in CONCERN_FIELDS.items()},
    }
    created_before = tally.created
    case = tally.upsert(Case, existing.cases, case_seed.reference, values)
    wanted = {charges[key].pk for key in case_seed.charges}
    if existing.charges.get(case.pk, set()) != wanted:
        case.charges.set(wanted)
        tally.updated += tally.created == created_before
    return case
