"""A realistic synthetic dataset for scale tests and benchmarks (`manage.py generate_data`).

Names come in Latin and Cyrillic with the variant spellings partner files really contain;
some people have several cases; cases have status timelines, charges and follow-ups;
documents name some of them. Everything is written with bulk inserts, and every row of a
model with history gets its history row in bulk too (reason "generate_data"), so the
generated data looks to the audit trail like any other.

No generated person ever bears the name of a seed person (the real prisoners the seed
documents name): the surname pool shares no family name with seeds/people.yaml.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

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
from casework.names import name_keys, name_parts, transliterate

# The history_change_reason of every history row generate_data writes.
GENERATE_DATA_REASON = "generate_data"
SEED_PEOPLE_FILE = Path(__file__).resolve().parent.parent / "seeds" / "people.yaml"

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
# Deliberately none of the surnames of the seed people (real prisoners, seeds/people.yaml)
# nor of other well-known Kazakh political prisoners: synthetic cases must never read as
# invented facts about a real person. synthetic_surnames() checks it again at run time.
SURNAMES = [
    "Абенов",
    "Байжанов",
    "Габдуллин",
    "Дюсенов",
    "Жунусов",
    "Искаков",
    "Кенжебаев",
    "Мухамедиев",
    "Нургалиев",
    "Садыков",
    "Тулегенов",
    "Утепов",
    "Шарипов",
    "Ермаганбетов",
    "Сулейменов",
    "Исмаилов",
    "Нуртазин",
    "Оспанов",
    "Ермеков",
    "Тлеубаев",
    "Жакупов",
    "Сарсенбаев",
    "Ибраимов",
    "Мусин",
    "Омаров",
    "Калиев",
    "Уразов",
    "Шаяхметов",
    "Есенов",
    "Бекмуратов",
    "Жаксылыков",
    "Амиров",
    "Нурпеисов",
    "Турсунов",
    "Иванов",
    "Петров",
    "Смирнов",
    "Попов",
    "Васильев",
    "Соколов",
    "Кузнецов",
    "Морозов",
    "Волков",
    "Лебедев",
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


def _feminine(surname: str) -> str:
    return surname + "а" if surname.endswith(("ов", "ев", "ин")) else surname


def _family_stem(folded: str) -> str:
    """One form for the masculine and feminine of a folded family name (tuletaeva, tuletaev)."""
    return folded[:-1] if folded.endswith(("ova", "eva", "ina")) else folded


@lru_cache(maxsize=4)
def seed_person_names(*, path: Path = SEED_PEOPLE_FILE) -> tuple[str, ...]:
    """Every name seeds/people.yaml gives a person: full name, native name and aliases."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built with it
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 (a safe loader)
    records = data.get("people") if isinstance(data, dict) else None
    if not records:
        # The check that keeps seed names out of synthetic data must never pass vacuously.
        raise ValueError(f"{path}: no 'people' list to keep synthetic names apart from.")
    names = []
    for record in records:
        names.append(record.get("full_name", ""))
        names.append(record.get("native_name", ""))
        for alias in record.get("aliases") or []:
            names.append(alias["name"] if isinstance(alias, dict) else alias)
    return tuple(name for name in names if name)


def synthetic_surnames(*, surnames: list[str], seed_names: Iterable[str]) -> list[str]:
    """The surnames whose masculine and feminine forms share no family name, in any script
    or spelling, with a seed person: so no generated name is a seed person's name."""
    seed_families = {_family_stem(name_parts(name).family) for name in seed_names}
    seed_families.discard("")
    return [
        surname
        for surname in surnames
        if not {_family_stem(name_parts(form).family) for form in (surname, _feminine(surname))}
        & seed_families
    ]


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


class _BulkWriter:
    """Writes generate_data's rows, each row of a model with history together with its
    history row (reason "generate_data", the given user, one timestamp).

    On PostgreSQL rows go in with COPY, primary keys reserved from the table's sequence
    first: at a hundred thousand cases (over a million rows with history) INSERT through
    the ORM spends minutes compiling SQL and building history instances, COPY seconds.
    Elsewhere (SQLite: tests, the embedded run) bulk_create and simple_history's
    bulk_history_create, which return the keys."""

    def __init__(self, *, user, at: datetime.datetime, batch_size: int) -> None:
        self.user = user
        self.at = at
        self.batch_size = batch_size
        self.use_copy = connection.vendor == "postgresql"
        self.history_rows = 0

    def create(self, model, objs: list, *, history: bool = True) -> list[int]:
        """Save objs (setting their primary keys) and, with history, one history row each.
        Returns the history rows' primary keys in the order of objs."""
        if not objs:
            return []
        if not self.use_copy:
            model.objects.bulk_create(objs, batch_size=self.batch_size)
            if not history:
                return []
            rows = model.history.bulk_history_create(
                objs,
                batch_size=self.batch_size,
                default_user=self.user,
                default_change_reason=GENERATE_DATA_REASON,
                default_date=self.at,
            )
            self.history_rows += len(rows)
            return [row.pk for row in rows]
        fields = model._meta.concrete_fields
        for obj, pk in zip(objs, self._reserve_ids(model, len(objs)), strict=True):
            obj.pk = pk
            for field in fields:
                # What pre_save does for created_at / updated_at on a normal save.
                if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                    setattr(obj, field.attname, self.at)
        self._copy(
            model,
            [field.column for field in fields],
            (tuple(getattr(obj, field.attname) for field in fields) for obj in objs),
        )
        if not history:
            return []
        return self._copy_history(model, objs)

    def create_plain(self, model, columns: list[str], rows: list[tuple]) -> list[int]:
        """Save rows of a model without history, given as tuples of the named attributes;
        returns their primary keys. On PostgreSQL no model instance is built: a hundred
        thousand cases make over half a million name-key and charge rows."""
        if not rows:
            return []
        if not self.use_copy:
            objs = [model(**dict(zip(columns, row, strict=True))) for row in rows]
            model.objects.bulk_create(objs, batch_size=self.batch_size)
            return [obj.pk for obj in objs]
        pk = model._meta.pk
        ids = self._reserve_ids(model, len(rows))
        self._copy(
            model,
            [pk.column, *[model._meta.get_field(name).column for name in columns]],
            ((pk_value, *row) for pk_value, row in zip(ids, rows, strict=True)),
        )
        return ids

    def _copy_history(self, model, objs: list) -> list[int]:
        history_model = model.history.model
        history_ids = self._reserve_ids(history_model, len(objs))
        user_id = self.user.pk if self.user is not None else None
        fixed = {
            "history_date": self.at,
            "history_change_reason": GENERATE_DATA_REASON,
            "history_type": "+",
            "history_user_id": user_id,
        }
        tracked = {field.attname for field in history_model.tracked_fields}
        fields = [
            field for field in history_model._meta.concrete_fields if field.attname != "history_id"
        ]
        for field in fields:
            if field.attname not in fixed and field.attname not in tracked:
                raise ValueError(f"{history_model.__name__}.{field.attname}: no value for it.")

        def row(history_id: int, obj) -> tuple:
            values = [
                fixed[field.attname] if field.attname in fixed else getattr(obj, field.attname)
                for field in fields
            ]
            return (history_id, *values)

        self._copy(
            history_model,
            ["history_id", *[field.column for field in fields]],
            (row(history_id, obj) for history_id, obj in zip(history_ids, objs, strict=True)),
        )
        self.history_rows += len(objs)
        return history_ids

    def _reserve_ids(self, model, count: int) -> list[int]:
        pk = model._meta.pk
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]

    def _copy(self, model, columns: list[str], rows) -> None:
        quote = connection.ops.quote_name
        statement = (
            f"COPY {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
            "FROM STDIN"
        )
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for values in rows:
                copy.write_row(values)


def synthetic_data_generate(
    *, cases: int, seed: int = 1, user=None, batch_size: int = 5000
) -> GeneratedCounts:
    """Write `cases` synthetic cases (and their people, timelines, documents, mentions and
    follow-ups), deterministic for a given seed on a given day. `user` is recorded as the
    creator and the history user; None leaves both empty."""
    rng = random.Random(seed)
    prefix = f"GEN{seed}-"
    if Case.objects.filter(reference__startswith=prefix).exists():
        raise ValueError(
            f"Cases with references {prefix}… exist already; pass another --seed to add more."
        )
    surnames = synthetic_surnames(surnames=SURNAMES, seed_names=seed_person_names())
    if not surnames:
        raise ValueError("Every synthetic surname is a seed person's; extend SURNAMES.")
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
        # No password: a placeholder assignee nobody can sign in as.
        placeholder, _ = get_user_model().objects.get_or_create(username="generated-caseworker")
        Membership.objects.get_or_create(
            user=placeholder, defaults={"organisation": host, "role": Role.CASEWORKER}
        )
        caseworker_ids = [placeholder.pk]
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
    now = timezone.now()
    created_by_id = user.pk if user is not None else None
    writer = _BulkWriter(user=user, at=now, batch_size=batch_size)
    # A few thousand distinct names among a hundred thousand people: key each once.
    keys_of = lru_cache(maxsize=None)(name_keys)

    with transaction.atomic():
        # About one person in eight has two cases.
        people_count = max(1, int(cases / 1.125))
        people = []
        alias_names: list[list[str]] = []
        for index in range(people_count):
            female = rng.random() < 0.3
            surname = rng.choice(surnames)
            if female:
                surname = _feminine(surname)
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
                    created_by_id=created_by_id,
                )
            )
            variants = {_variant_spelling(latin, rng), f"{latin.split()[-1]} {latin.split()[0]}"}
            alias_names.append(sorted(variants - {latin}))
        for person in people:
            keys = set()
            for name in (person.full_name, person.native_name):
                keys.update(keys_of(name))
            person.match_keys = " ".join(sorted(keys))
        writer.create(Person, people)
        counts.people = len(people)

        aliases = [
            PersonAlias(person=person, name=name, match_keys=" ".join(keys_of(name)))
            for person, names in zip(people, alias_names, strict=True)
            for name in names
        ]
        writer.create(PersonAlias, aliases)
        counts.aliases = len(aliases)
        key_rows = []
        for person, names in zip(people, alias_names, strict=True):
            keys = set()
            for name in (person.full_name, person.native_name, *names):
                keys.update(keys_of(name))
            key_rows.extend((person.pk, key) for key in sorted(keys))
        writer.create_plain(PersonNameKey, ["person_id", "key"], key_rows)
        counts.name_keys = len(key_rows)

        case_rows = []
        case_charges: list[list[Charge]] = []
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
                    created_by_id=created_by_id,
                )
            )
            case_charges.append(rng.sample(charges, rng.randint(1, 2)))
        case_history_ids = writer.create(Case, case_rows)
        counts.cases = len(case_rows)

        links = [
            (case.pk, charge.pk)
            for case, linked in zip(case_rows, case_charges, strict=True)
            for charge in linked
        ]
        link_ids = writer.create_plain(Case.charges.through, ["case_id", "charge_id"], links)
        # The case's creation history row lists its charges, as a save through a form would
        # (simple_history copies each through row, its id included, onto the history row).
        history_by_case = {
            case.pk: history_id
            for case, history_id in zip(case_rows, case_history_ids, strict=True)
        }
        writer.create_plain(
            apps.get_model("casework", "HistoricalCase_charges"),
            ["history_id", "id", "case_id", "charge_id"],
            [
                (history_by_case[case_id], link_id, case_id, charge_id)
                for link_id, (case_id, charge_id) in zip(link_ids, links, strict=True)
            ],
        )

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
                        previous_status=Status.PRETRIAL_DETENTION,
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
        writer.create(CaseEvent, events)
        counts.events = len(events)

        # Not a real issuing body: synthetic appeals must not pass for the Parliament's.
        body, _ = IssuingBody.objects.get_or_create(
            name="Synthetic issuing body (generate_data)",
            defaults={"short_name": "Synthetic", "kind": IssuingBody.Kind.COALITION},
        )
        named_cases = []
        documents = []
        for index in range(max(5, cases // 100)):
            # A sample has no repeats, so no (document, case) pair twice.
            named = rng.sample(case_rows, min(len(case_rows), rng.randint(3, 30)))
            named_cases.append(named)
            passages = [f"calls for the release of {case.person.full_name}" for case in named]
            documents.append(
                Document(
                    kind=Document.Kind.APPEAL if index % 3 else Document.Kind.RESOLUTION,
                    issuing_body=body,
                    title=f"Synthetic appeal {seed}-{index}",
                    issued_on=today - datetime.timedelta(days=rng.randint(1, 3000)),
                    full_text="Synthetic document. It " + "; it ".join(passages) + ".",
                    source="Synthetic data (manage.py generate_data).",
                    created_by_id=created_by_id,
                )
            )
        writer.create(Document, documents)
        counts.documents = len(documents)
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
        writer.create(Mention, mentions)
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
        writer.create(FollowUp, follow_ups)
        counts.follow_ups = len(follow_ups)
    counts.history_rows = writer.history_rows
    return counts
