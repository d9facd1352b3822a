"""A realistic synthetic dataset for scale tests and benchmarks (`manage.py generate_data`).

Names come in Latin and Cyrillic with the variant spellings partner files really contain;
some people have several cases; cases have status timelines, charges and follow-ups;
documents name some of them. Everything is written with bulk inserts, history included.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from advocacy.models import Document, IssuingBody, Mention
from casework.demo import HOST, PARTNER, organisation_ensure
from casework.models import (
    Case,
    CaseEvent,
    Charge,
    Confidentiality,
    FollowUp,
    Membership,
    Person,
    PersonAlias,
    PersonNameKey,
    Role,
    Status,
)
from casework.names import name_keys, transliterate

GIVEN_MALE = [
    "Алмат",
    "Асет",
    "Кенжебек",
    "Аскар",
    "Ерлан",
    "Нурлан",
    "Серик",
    "Жанболат",
    "Дулат",
    "Кайрат",
    "Максат",
    "Талгат",
    "Марат",
    "Бахытжан",
    "Ерболат",
    "Нуржан",
    "Азамат",
    "Айдос",
    "Бауыржан",
    "Владимир",
    "Вадим",
    "Сергей",
    "Андрей",
    "Дмитрий",
    "Игорь",
    "Олжас",
    "Мухтар",
    "Рустем",
    "Даурен",
    "Ержан",
    "Самат",
    "Тимур",
    "Арман",
    "Галым",
]
GIVEN_FEMALE = [
    "Роза",
    "Салтанат",
    "Даметкан",
    "Сания",
    "Бота",
    "Айгуль",
    "Жанар",
    "Динара",
    "Гульнара",
    "Асель",
    "Алия",
    "Мадина",
    "Назерке",
    "Айжан",
    "Елена",
    "Ольга",
    "Наталья",
    "Асем",
    "Жулдыз",
    "Камила",
]
SURNAMES = [
    "Жумагулов",
    "Абишев",
    "Жексебаев",
    "Клышев",
    "Агадил",
    "Аспандияров",
    "Ахмедьяров",
    "Тойкен",
    "Жардемали",
    "Аблязов",
    "Козлов",
    "Курамшин",
    "Тулетаев",
    "Бокаев",
    "Аян",
    "Билаш",
    "Атабек",
    "Мамай",
    "Нурмагамбетов",
    "Сапаргали",
    "Ешенкулов",
    "Байбосын",
    "Кожахметов",
    "Есенов",
    "Сулейменов",
    "Исмаилов",
    "Нуртазин",
    "Оспанов",
    "Ермеков",
    "Кадыров",
    "Тлеубаев",
    "Жакупов",
    "Сарсенбаев",
    "Ибраимов",
    "Мусин",
    "Ахметов",
    "Омаров",
    "Калиев",
    "Уразов",
    "Шаяхметов",
]
REGIONS = [
    "Almaty",
    "Astana",
    "Shymkent",
    "Mangystau",
    "Atyrau",
    "Aktobe",
    "Karaganda",
    "Pavlodar",
    "Zhambyl",
    "Kyzylorda",
]
STATUSES_WEIGHTED = [
    (Status.PRETRIAL_DETENTION, 15),
    (Status.IMPRISONED, 25),
    (Status.RESTRICTED_FREEDOM, 15),
    (Status.HOUSE_ARREST, 5),
    (Status.ON_TRIAL, 8),
    (Status.INVESTIGATION, 10),
    (Status.RELEASED, 12),
    (Status.IN_EXILE, 5),
    (Status.PSYCHIATRIC_DETENTION, 1),
    (Status.ACQUITTED, 1),
    (Status.DIED_IN_CUSTODY, 1),
    (Status.UNKNOWN, 2),
]
CHARGES = [
    ("174", "1", "Inciting social discord"),
    ("174", "2", "Inciting social discord (aggravated)"),
    ("405", "1", "Organising the activity of a banned extremist organisation"),
    ("405", "2", "Participation in a banned extremist organisation"),
    ("274", "", "Spreading knowingly false information"),
    ("272", "", "Calls for mass unrest"),
]


def _variant_spelling(latin: str, rng: random.Random) -> str:
    """A Latin spelling as a partner or another document might write it."""
    swaps = [("zh", "j"), ("kh", "h"), ("ayev", "aev"), ("yev", "ev"), ("ya", "ia"), ("yu", "iu")]
    out = latin
    for old, new in swaps:
        if old in out.lower() and rng.random() < 0.6:
            out = out.replace(old, new).replace(old.capitalize(), new.capitalize())
    return out


def _latin(cyrillic: str) -> str:
    return " ".join(part.capitalize() for part in transliterate(cyrillic).split())


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


def synthetic_data_generate(
    *, cases: int, seed: int = 1, batch_size: int = 5000
) -> GeneratedCounts:
    rng = random.Random(seed)
    prefix = f"GEN{seed}-"
    if Case.objects.filter(reference__startswith=prefix).exists():
        raise ValueError(
            f"Cases with references {prefix}… exist already; pass another --seed to add more."
        )
    counts = GeneratedCounts()
    host = organisation_ensure(**HOST)
    partner = organisation_ensure(**PARTNER)
    caseworker_ids = list(
        Membership.objects.filter(organisation=host, role=Role.CASEWORKER).values_list(
            "user_id", flat=True
        )
    )
    coordinator_ids = list(
        Membership.objects.filter(organisation=host, role=Role.COORDINATOR).values_list(
            "user_id", flat=True
        )
    )
    if not caseworker_ids:
        user, _ = get_user_model().objects.get_or_create(username="generated-caseworker")
        Membership.objects.get_or_create(
            user=user, defaults={"organisation": host, "role": Role.CASEWORKER}
        )
        caseworker_ids = [user.pk]
    coordinator_ids = coordinator_ids or caseworker_ids
    charges = []
    for article, part, title in CHARGES:
        charge, _ = Charge.objects.get_or_create(
            jurisdiction="KZ", code="CC 2014", article=article, part=part, defaults={"title": title}
        )
        charges.append(charge)
    statuses = [status for status, _ in STATUSES_WEIGHTED]
    weights = [weight for _, weight in STATUSES_WEIGHTED]
    today = timezone.localdate()

    with transaction.atomic():
        # About one person in eight has two cases.
        people_count = max(1, int(cases / 1.125))
        people = []
        alias_names: list[list[str]] = []
        for index in range(people_count):
            female = rng.random() < 0.3
            surname = rng.choice(SURNAMES)
            if female:
                surname = surname + "а" if surname.endswith(("ов", "ев", "ин")) else surname
            given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
            native = f"{given} {surname}"
            latin = _latin(native)
            people.append(
                Person(
                    full_name=latin,
                    native_name=native,
                    birth_year=rng.randint(1950, 2003) if rng.random() < 0.8 else None,
                    gender=Person.Gender.FEMALE if female else Person.Gender.MALE,
                    region=rng.choice(REGIONS),
                    occupation=rng.choice(Person.Occupation.values[:7]),
                    owning_organisation=partner if index % 10 == 0 else host,
                )
            )
            variants = {_variant_spelling(latin, rng), f"{latin.split()[-1]} {latin.split()[0]}"}
            alias_names.append(sorted(variants - {latin}))
        for person in people:
            keys = set()
            for name in (person.full_name, person.native_name):
                keys.update(name_keys(name))
            person.match_keys = " ".join(sorted(keys))
        people = bulk_create_with_history(people, Person, batch_size=batch_size)
        counts.people = len(people)

        aliases = [
            PersonAlias(person=person, name=name, match_keys=" ".join(name_keys(name)))
            for person, names in zip(people, alias_names, strict=True)
            for name in names
        ]
        PersonAlias.objects.bulk_create(aliases, batch_size=batch_size)
        counts.aliases = len(aliases)
        key_rows = []
        for person, names in zip(people, alias_names, strict=True):
            keys = set()
            for name in (person.full_name, person.native_name, *names):
                keys.update(name_keys(name))
            key_rows.extend(PersonNameKey(person=person, key=key) for key in keys)
        PersonNameKey.objects.bulk_create(key_rows, batch_size=batch_size, ignore_conflicts=True)
        counts.name_keys = len(key_rows)

        case_rows = []
        for index in range(cases):
            person = people[index % len(people)]
            detained = today - datetime.timedelta(days=rng.randint(30, 3650))
            status = rng.choices(statuses, weights)[0]
            released = None
            if status in (Status.RELEASED, Status.ACQUITTED):
                released = detained + datetime.timedelta(days=rng.randint(10, 1500))
                released = min(released, today)
            confidentiality = rng.choices(
                [Confidentiality.PUBLIC, Confidentiality.INTERNAL, Confidentiality.RESTRICTED],
                [6, 3, 1],
            )[0]
            case_rows.append(
                Case(
                    reference=f"{prefix}{index:07d}",
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
                )
            )
        case_rows = bulk_create_with_history(case_rows, Case, batch_size=batch_size)
        counts.cases = len(case_rows)

        through = Case.charges.through
        charge_links = [
            through(case_id=case.pk, charge_id=charge.pk)
            for case in case_rows
            for charge in rng.sample(charges, rng.randint(1, 2))
        ]
        through.objects.bulk_create(charge_links, batch_size=batch_size)

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
                )
            )
            if case.status != Status.PRETRIAL_DETENTION:
                events.append(
                    CaseEvent(
                        case=case,
                        kind=CaseEvent.Kind.STATUS,
                        status=case.status,
                        previous_status=Status.PRETRIAL_DETENTION,
                        happened_on=case.status_since,
                        source="synthetic",
                    )
                )
            if rng.random() < 0.3:
                events.append(
                    CaseEvent(
                        case=case,
                        kind=CaseEvent.Kind.HEARING,
                        happened_on=min(today, case.detained_on + datetime.timedelta(days=20)),
                        description="Hearing.",
                    )
                )
        CaseEvent.objects.bulk_create(events, batch_size=batch_size)
        counts.events = len(events)

        body, _ = IssuingBody.objects.get_or_create(
            name="European Parliament", defaults={"short_name": "EP", "kind": "parliament"}
        )
        documents = [
            Document(
                kind=Document.Kind.APPEAL if index % 3 else Document.Kind.RESOLUTION,
                issuing_body=body,
                title=f"Synthetic appeal {seed}-{index}",
                issued_on=today - datetime.timedelta(days=rng.randint(1, 3000)),
                full_text="Synthetic document.",
            )
            for index in range(max(5, cases // 100))
        ]
        documents = bulk_create_with_history(documents, Document, batch_size=batch_size)
        counts.documents = len(documents)
        mentions = []
        for document in documents:
            for case in rng.sample(case_rows, min(len(case_rows), rng.randint(3, 30))):
                mentions.append(
                    Mention(
                        document=document,
                        case=case,
                        passage=f"calls for the release of {case.person.full_name}",
                        matched_text=case.person.full_name,
                        demands_release=True,
                        origin=Mention.Origin.SEED,
                        state=Mention.State.CONFIRMED,
                    )
                )
        Mention.objects.bulk_create(mentions, batch_size=batch_size, ignore_conflicts=True)
        counts.mentions = len(mentions)

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
        bulk_create_with_history(follow_ups, FollowUp, batch_size=batch_size)
        counts.follow_ups = len(follow_ups)
    return counts
