"""A realistic synthetic dataset for scale tests and benchmarks (`manage.py generate_data`).

Names come in Latin and Cyrillic with the variant spellings partner files really contain
(advocacy.synthetic_names); some people have several cases; cases have status timelines,
charges and follow-ups; documents name some of them. Everything is written with the bulk
writer of common.bulk (COPY on PostgreSQL), and every row of a model with history gets its
history row in the same way (reason "generate_data"), so the generated data looks to the
audit trail like any other.

No generated person ever bears the name of a seed person (the real prisoners the seed
documents name): the surname pool shares no family name with seeds/people.yaml.

synthetic_data_generate takes its steps in turn: the people (with their aliases and name
keys), their cases (with charges), the cases' timelines, documents naming some of them and
their mentions, and follow-ups.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from advocacy.models import Document, IssuingBody, Mention
from advocacy.synthetic_names import (
    CHARGES,
    GIVEN_FEMALE,
    GIVEN_MALE,
    REGIONS,
    STATUSES_WEIGHTED,
    SURNAMES,
    feminine,
    latin_of,
    seed_person_names,
    synthetic_surnames,
    variant_spelling,
)
from casework.demo import HOST, PARTNER, organisation_ensure
from casework.models import (
    Case,
    CaseEvent,
    Charge,
    Confidentiality,
    FollowUp,
    Membership,
    Organisation,
    Person,
    PersonAlias,
    PersonNameKey,
    Role,
    Status,
)
from casework.names import name_keys
from casework.status import timelines_recompute
from common.bulk import ids_reserve, objects_insert, rows_insert

__all__ = [
    "GENERATE_DATA_REASON",
    "SURNAMES",
    "GeneratedCounts",
    "seed_person_names",
    "synthetic_data_generate",
    "synthetic_surnames",
]

# The history_change_reason of every history row generate_data writes.
GENERATE_DATA_REASON = "generate_data"


@dataclass
class GeneratedCounts:
    people: int = 0
    aliases: int = 0
    name_keys: int = 0
    cases: int = 0
    events: int = 0
    documents: int = 0
    mentions: int = 0
    follow_ups: int = 0
    history_rows: int = 0
    # What the generators other apps register (synthetic_generator_register) wrote, by name.
    others: dict[str, int] = field(default_factory=dict)


@dataclass
class _Generation:
    """What every step shares: the random source, the day, who writes, and the counts."""

    rng: random.Random
    seed: int
    today: datetime.date
    now: datetime.datetime
    created_by_id: int | None
    counts: GeneratedCounts
    keys_of: Callable[[str], list[str]]

    def insert(self, objects: list, *, history: bool = True) -> list[int]:
        """Insert objects (with their history rows, reason generate_data); returns the
        history rows' ids."""
        history_ids = objects_insert(
            objects=objects,
            now=self.now,
            history=history,
            history_user_id=self.created_by_id,
            history_reason=GENERATE_DATA_REASON,
        )
        self.counts.history_rows += len(history_ids)
        return history_ids


# Generators other apps add to generate_data without this module importing them (the
# accountability app's responsible persons): each is called, inside the transaction, with
# the generation (its rng, insert and counts), the generated cases and the host.
SyntheticGenerator = Callable[..., None]
_GENERATORS: list[SyntheticGenerator] = []


def synthetic_generator_register(generator: SyntheticGenerator) -> None:
    if generator not in _GENERATORS:
        _GENERATORS.append(generator)


def synthetic_data_generate(
    *, cases: int, seed: int = 1, user=None, batch_size: int = 5000
) -> GeneratedCounts:
    """Write `cases` synthetic cases (and their people, timelines, documents, mentions and
    follow-ups), deterministic for a given seed on a given day. `user` is recorded as the
    creator and the history user; None leaves both empty. batch_size is kept for callers;
    COPY sends any number of rows in one statement."""
    prefix = f"GEN{seed}-"
    if Case.objects.filter(reference__startswith=prefix).exists():
        raise ValueError(
            f"Cases with references {prefix}… exist already; pass another --seed to add more."
        )
    surnames = synthetic_surnames(surnames=SURNAMES, seed_names=seed_person_names())
    if not surnames:
        raise ValueError("Every synthetic surname is a seed person's; extend SURNAMES.")
    generation = _Generation(
        rng=random.Random(seed),
        seed=seed,
        today=timezone.localdate(),
        now=timezone.now(),
        created_by_id=user.pk if user is not None else None,
        counts=GeneratedCounts(),
        # A few thousand distinct names among a hundred thousand people: key each once.
        keys_of=lru_cache(maxsize=None)(name_keys),
    )
    host = organisation_ensure(**HOST)
    partner = organisation_ensure(**PARTNER)
    caseworker_ids, coordinator_ids = _staff_ids(host)
    charges = _charges_ensure()
    with transaction.atomic():
        # About one person in eight has two cases.
        people = _people_write(
            generation,
            count=max(1, int(cases / 1.125)),
            surnames=surnames,
            owners=(host, partner),
        )
        case_rows = _cases_write(
            generation,
            people=people,
            count=cases,
            prefix=prefix,
            caseworker_ids=caseworker_ids,
            charges=charges,
        )
        _events_write(generation, case_rows=case_rows)
        # The timeline rule in bulk (casework.status): each event's "from", every case's
        # status, "since" and current event, and the status conflicts between the
        # organisations' cases of one person.
        timelines_recompute(
            case_ids=[case.pk for case in case_rows], by=user, reason="generate_data"
        )
        _documents_write(generation, case_rows=case_rows, count=max(5, cases // 100))
        _follow_ups_write(generation, case_rows=case_rows, coordinator_ids=coordinator_ids)
        for generator in _GENERATORS:
            generator(generation=generation, case_rows=case_rows, host=host)
    return generation.counts


def _staff_ids(host: Organisation) -> tuple[list[int], list[int]]:
    """The host's caseworkers and coordinators, to assign cases and follow-ups to."""
    members = Membership.objects.filter(organisation=host)
    caseworker_ids = list(
        members.filter(role=Role.CASEWORKER).values_list("user_id", flat=True).order_by("pk")
    )
    coordinator_ids = list(
        members.filter(role=Role.COORDINATOR).values_list("user_id", flat=True).order_by("pk")
    )
    if not caseworker_ids:
        # No password: a placeholder assignee nobody can sign in as.
        placeholder, _ = get_user_model().objects.get_or_create(username="generated-caseworker")
        Membership.objects.get_or_create(
            user=placeholder, defaults={"organisation": host, "role": Role.CASEWORKER}
        )
        caseworker_ids = [placeholder.pk]
    return caseworker_ids, coordinator_ids or caseworker_ids


def _charges_ensure() -> list[Charge]:
    charges = []
    for article, part, title in CHARGES:
        charge, _ = Charge.objects.get_or_create(
            jurisdiction="KZ", code="CC 2014", article=article, part=part, defaults={"title": title}
        )
        charges.append(charge)
    return charges


def _people_write(
    generation: _Generation,
    *,
    count: int,
    surnames: list[str],
    owners: tuple[Organisation, Organisation],
) -> list[Person]:
    """People with Cyrillic and Latin names, their variant spellings as aliases, and the
    name keys search and matching use; one in ten is the partner's."""
    rng, keys_of = generation.rng, generation.keys_of
    host, partner = owners
    people, alias_names = [], []
    for index in range(count):
        female = rng.random() < 0.3
        surname = rng.choice(surnames)
        if female:
            surname = feminine(surname)
        native = f"{rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)} {surname}"
        latin = latin_of(native)
        person = Person(
            full_name=latin,
            native_name=native,
            birth_year=rng.randint(1950, 2003) if rng.random() < 0.8 else None,
            gender=Person.Gender.FEMALE if female else Person.Gender.MALE,
            region=rng.choice(REGIONS),
            occupation=rng.choice(Person.Occupation.values[:7]),
            owning_organisation=partner if index % 10 == 0 else host,
            created_by_id=generation.created_by_id,
        )
        person.match_keys = " ".join(sorted({*keys_of(latin), *keys_of(native)}))
        people.append(person)
        variants = {variant_spelling(latin, rng), f"{latin.split()[-1]} {latin.split()[0]}"}
        alias_names.append(sorted(variants - {latin}))
    generation.insert(people)
    aliases = [
        PersonAlias(person=person, name=name, match_keys=" ".join(keys_of(name)))
        for person, names in zip(people, alias_names, strict=True)
        for name in names
    ]
    generation.insert(aliases)
    key_rows = [
        {"person_id": person.pk, "key": key}
        for person, names in zip(people, alias_names, strict=True)
        for key in sorted(
            {
                key
                for name in (person.full_name, person.native_name, *names)
                for key in keys_of(name)
            }
        )
    ]
    rows_insert(model=PersonNameKey, rows=key_rows)
    generation.counts.people = len(people)
    generation.counts.aliases = len(aliases)
    generation.counts.name_keys = len(key_rows)
    return people


def _case_build(
    generation: _Generation, *, person: Person, reference: str, caseworker_ids: list[int]
) -> Case:
    rng, today = generation.rng, generation.today
    statuses = [status for status, _ in STATUSES_WEIGHTED]
    weights = [weight for _, weight in STATUSES_WEIGHTED]
    detained = today - datetime.timedelta(days=rng.randint(30, 3650))
    status = rng.choices(statuses, weights)[0]
    released = None
    if status in (Status.RELEASED, Status.ACQUITTED):
        released = min(detained + datetime.timedelta(days=rng.randint(10, 1500)), today)
    confidentiality = rng.choices(
        [Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.RESTRICTED],
        [6, 3, 1],
    )[0]
    return Case(
        reference=reference,
        person=person,
        owning_organisation=person.owning_organisation,
        assigned_caseworker_id=rng.choice(caseworker_ids),
        confidentiality=confidentiality,
        status=status,
        status_since=released or detained + datetime.timedelta(days=rng.randint(0, 29)),
        detained_on=detained,
        released_on=released,
        sentence=f"{rng.randint(1, 12)} years" if status == Status.IMPRISONED else "",
        concern_torture=rng.random() < 0.1,
        concern_health=rng.random() < 0.15,
        concern_incommunicado=rng.random() < 0.05,
        concern_family_harassment=rng.random() < 0.1,
        concern_transnational_repression=rng.random() < 0.05,
        summary="Synthetic case for scale tests.",
        created_by_id=generation.created_by_id,
    )


def _cases_write(
    generation: _Generation,
    *,
    people: list[Person],
    count: int,
    prefix: str,
    caseworker_ids: list[int],
    charges: list[Charge],
) -> list[Case]:
    """The cases, one or two per person, with one or two charges each; each case's creation
    history row lists its charges, as a save through a form would (simple_history copies
    each through row, its id included, onto the history row)."""
    case_rows, case_charges = [], []
    for index in range(count):
        case_rows.append(
            _case_build(
                generation,
                person=people[index % len(people)],
                reference=f"{prefix}{index:07d}",
                caseworker_ids=caseworker_ids,
            )
        )
        case_charges.append(generation.rng.sample(charges, generation.rng.randint(1, 2)))
    history_ids = generation.insert(case_rows)
    links = [
        (case.pk, charge.pk)
        for case, linked in zip(case_rows, case_charges, strict=True)
        for charge in linked
    ]
    link_ids = ids_reserve(model=Case.charges.through, count=len(links))
    rows_insert(
        model=Case.charges.through,
        rows=[
            {"id": link_id, "case_id": case_id, "charge_id": charge_id}
            for link_id, (case_id, charge_id) in zip(link_ids, links, strict=True)
        ],
    )
    history_of_case = {
        case.pk: history_id for case, history_id in zip(case_rows, history_ids, strict=True)
    }
    rows_insert(
        model=apps.get_model("casework", "HistoricalCase_charges"),
        rows=[
            {
                "history_id": history_of_case[case_id],
                "id": link_id,
                "case_id": case_id,
                "charge_id": charge_id,
            }
            for link_id, (case_id, charge_id) in zip(link_ids, links, strict=True)
        ],
    )
    generation.counts.cases = len(case_rows)
    return case_rows


def _events_write(generation: _Generation, *, case_rows: list[Case]) -> None:
    """Each case's timeline: detained, then its current status, and for some a hearing.
    The one place generate_data writes status events; their chain is derived afterwards
    (casework.status.timelines_recompute)."""
    rng, today, created_by_id = generation.rng, generation.today, generation.created_by_id
    events = []
    for case in case_rows:
        events.append(
            CaseEvent(
                case=case,
                kind=CaseEvent.Kind.STATUS,
                status=Status.PRETRIAL_DETENTION,
                happened_on=case.detained_on,
                source="synthetic",
                description="Detained.",
                created_by_id=created_by_id,
            )
        )
        if case.status != Status.PRETRIAL_DETENTION:
            events.append(
                CaseEvent(
                    case=case,
                    kind=CaseEvent.Kind.STATUS,
                    status=case.status,
                    happened_on=case.status_since,
                    source="synthetic",
                    created_by_id=created_by_id,
                )
            )
        if rng.random() < 0.3:
            events.append(
                CaseEvent(
                    case=case,
                    kind=CaseEvent.Kind.HEARING,
                    happened_on=min(today, case.detained_on + datetime.timedelta(days=20)),
                    description="Hearing.",
                    created_by_id=created_by_id,
                )
            )
    generation.insert(events)
    generation.counts.events = len(events)


def _documents_write(generation: _Generation, *, case_rows: list[Case], count: int) -> None:
    """Appeals and resolutions of a synthetic issuing body, each naming a few cases."""
    rng, seed = generation.rng, generation.seed
    # Not a real issuing body: synthetic appeals must not pass for the Parliament's.
    body, _ = IssuingBody.objects.get_or_create(
        name="Synthetic issuing body (generate_data)",
        defaults={"short_name": "Synthetic", "kind": IssuingBody.Kind.COALITION},
    )
    named_cases, documents = [], []
    for index in range(count):
        # A sample has no repeats, so no (document, case) pair twice.
        named = rng.sample(case_rows, min(len(case_rows), rng.randint(3, 30)))
        named_cases.append(named)
        passages = [f"calls for the release of {case.person.full_name}" for case in named]
        documents.append(
            Document(
                kind=Document.Kind.APPEAL if index % 3 else Document.Kind.RESOLUTION,
                issuing_body=body,
                title=f"Synthetic appeal {seed}-{index}",
                issued_on=generation.today - datetime.timedelta(days=rng.randint(1, 3000)),
                full_text="Synthetic document. It " + "; it ".join(passages) + ".",
                source="Synthetic data (manage.py generate_data).",
                created_by_id=generation.created_by_id,
            )
        )
    generation.insert(documents)
    mentions = [
        Mention(
            document=document,
            case=case,
            passage=f"calls for the release of {case.person.full_name}",
            matched_text=case.person.full_name,
            demands_release=True,
            origin=Mention.Origin.GENERATED,
            state=Mention.State.CONFIRMED,
        )
        for document, named in zip(documents, named_cases, strict=True)
        for case in named
    ]
    generation.insert(mentions)
    generation.counts.documents = len(documents)
    generation.counts.mentions = len(mentions)


def _follow_ups_write(
    generation: _Generation, *, case_rows: list[Case], coordinator_ids: list[int]
) -> None:
    rng, today = generation.rng, generation.today
    follow_ups = [
        FollowUp(
            case=case,
            title="Check status with the lawyer",
            assignee_id=case.assigned_caseworker_id,
            assigned_by_id=rng.choice(coordinator_ids),
            due_on=today + datetime.timedelta(days=rng.randint(-20, 60)),
            priority=rng.choice(FollowUp.Priority.values),
        )
        for case in case_rows
        if rng.random() < 0.1
    ]
    generation.insert(follow_ups)
    generation.counts.follow_ups = len(follow_ups)
