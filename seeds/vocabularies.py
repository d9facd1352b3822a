"""Organisations, issuing bodies, affiliations and charges: read from their seed files
and written by natural key."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from advocacy.models import IssuingBody
from casework.models import Affiliation, Charge, Organisation
from seeds.provenance import ProvenanceSeed, sources_describe, sources_read
from seeds.records import SeedError, SeedFile
from seeds.writing import Tally

HOST_SLUG = "demo-ngo"

ORGANISATION_FACTS = ("name", "kind", "country")
ISSUING_BODY_FACTS = ("name", "short_name", "kind")
AFFILIATION_FACTS = ("name", "short_name", "kind", "banned_as_extremist", "description")
CHARGE_FACTS = ("jurisdiction", "code", "article", "part", "title", "title_ru")


@dataclass(frozen=True)
class OrganisationSeed:
    slug: str
    name: str
    kind: str
    country: str
    sources: tuple[ProvenanceSeed, ...]


@dataclass(frozen=True)
class IssuingBodySeed:
    key: str
    name: str
    short_name: str
    kind: str
    sources: tuple[ProvenanceSeed, ...]


@dataclass(frozen=True)
class AffiliationSeed:
    slug: str
    name: str
    short_name: str
    kind: str
    banned_as_extremist: bool
    description: str
    sources: tuple[ProvenanceSeed, ...]


@dataclass(frozen=True)
class ChargeSeed:
    jurisdiction: str
    code: str
    article: str
    part: str
    title: str
    title_ru: str
    sources: tuple[ProvenanceSeed, ...]

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.jurisdiction, self.code, self.article, self.part)


# --- Reading -----------------------------------------------------------------------------


def organisations_read(*, directory: Path, texts: dict[str, str]) -> list[OrganisationSeed]:
    seeds = []
    file = SeedFile(directory=directory, name="organisations.yaml", texts=texts)
    for record, slug in file.keyed("slug"):
        seeds.append(
            OrganisationSeed(
                slug=slug,
                name=record.text("name", required=True),
                kind=record.text("kind", required=True, choices=Organisation.Kind.values),
                country=record.text("country"),
                sources=sources_read(record, facts=ORGANISATION_FACTS),
            )
        )
    if HOST_SLUG not in {seed.slug for seed in seeds}:
        raise SeedError(f"organisations.yaml: the host organisation '{HOST_SLUG}' is missing")
    return seeds


def issuing_bodies_read(*, directory: Path, texts: dict[str, str]) -> list[IssuingBodySeed]:
    seeds = []
    file = SeedFile(directory=directory, name="issuing_bodies.yaml", texts=texts)
    for record, key in file.keyed("key"):
        seeds.append(
            IssuingBodySeed(
                key=key,
                name=record.text("name", required=True),
                short_name=record.text("short_name"),
                kind=record.text("kind", required=True, choices=IssuingBody.Kind.values),
                sources=sources_read(record, facts=ISSUING_BODY_FACTS),
            )
        )
    return seeds


def affiliations_read(*, directory: Path, texts: dict[str, str]) -> list[AffiliationSeed]:
    seeds = []
    file = SeedFile(directory=directory, name="affiliations.yaml", texts=texts, key="affiliations")
    for record, slug in file.keyed("slug"):
        seeds.append(
            AffiliationSeed(
                slug=slug,
                name=record.text("name", required=True),
                short_name=record.text("short_name"),
                kind=record.text("kind", required=True, choices=Affiliation.Kind.values),
                banned_as_extremist=record.boolean("banned_as_extremist"),
                description=record.text("description"),
                sources=sources_read(record, facts=AFFILIATION_FACTS),
            )
        )
    return seeds


def charges_read(*, directory: Path, texts: dict[str, str]) -> list[ChargeSeed]:
    seeds = []
    file = SeedFile(directory=directory, name="charges.yaml", texts=texts)
    for record in file:
        charge = ChargeSeed(
            jurisdiction=record.text("jurisdiction", required=True),
            code=record.text("code", required=True),
            article=record.text("article", required=True),
            part=record.text("part"),
            title=record.text("title", required=True),
            title_ru=record.text("title_ru"),
            sources=sources_read(record, facts=CHARGE_FACTS),
        )
        record.where += f" (art. {charge.article})"
        file.unique(record, charge.key, "charge")
        seeds.append(charge)
        record.finish()
    return seeds


# --- Writing -----------------------------------------------------------------------------


def organisations_write(*, seeds: list[OrganisationSeed], tally: Tally) -> dict[str, Organisation]:
    existing = {
        row.slug: row for row in Organisation.objects.filter(slug__in=[seed.slug for seed in seeds])
    }
    other_host = (
        Organisation.objects.filter(kind=Organisation.Kind.HOST)
        .exclude(slug__in=[seed.slug for seed in seeds])
        .first()
    )
    for seed in seeds:
        if seed.kind == Organisation.Kind.HOST and other_host is not None:
            raise SeedError(
                f"organisations.yaml: record ({seed.slug}), field 'kind': another host "
                f"organisation ({other_host.slug!r}) already exists; there can be only one"
            )
        tally.upsert(
            Organisation,
            existing,
            seed.slug,
            {"slug": seed.slug, "name": seed.name, "kind": seed.kind, "country": seed.country},
        )
    return existing


def issuing_bodies_write(*, seeds: list[IssuingBodySeed], tally: Tally) -> dict[str, IssuingBody]:
    """The bodies by their seed key (documents.yaml refers to them by it)."""
    by_name = {
        body.name: body
        for body in IssuingBody.objects.filter(name__in=[seed.name for seed in seeds])
    }
    return {
        seed.key: tally.upsert(
            IssuingBody,
            by_name,
            seed.name,
            {"name": seed.name, "short_name": seed.short_name, "kind": seed.kind},
        )
        for seed in seeds
    }


def affiliations_write(*, seeds: list[AffiliationSeed], tally: Tally) -> dict[str, Affiliation]:
    by_slug = {
        row.slug: row for row in Affiliation.objects.filter(slug__in=[seed.slug for seed in seeds])
    }
    for seed in seeds:
        tally.upsert(
            Affiliation,
            by_slug,
            seed.slug,
            {
                "slug": seed.slug,
                "name": seed.name,
                "short_name": seed.short_name,
                "kind": seed.kind,
                "banned_as_extremist": seed.banned_as_extremist,
                "description": seed.description,
                "source": sources_describe(seed.sources),
            },
        )
    return by_slug


def charges_write(*, seeds: list[ChargeSeed], tally: Tally) -> dict[tuple, Charge]:
    by_key = {
        (row.jurisdiction, row.code, row.article, row.part): row
        for row in Charge.objects.filter(article__in={seed.article for seed in seeds})
    }
    for seed in seeds:
        tally.upsert(
            Charge,
            by_key,
            seed.key,
            {
                "jurisdiction": seed.jurisdiction,
                "code": seed.code,
                "article": seed.article,
                "part": seed.part,
                "title": seed.title,
                "title_ru": seed.title_ru,
            },
        )
    return by_key
