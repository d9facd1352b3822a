"""The names, places and charges generate_data draws from (advocacy.synthetic), and the check
that keeps every generated name apart from the seed people's: the real prisoners the seed
documents name."""

from __future__ import annotations

import random
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import yaml

from casework.models import Status
from casework.names import name_parts, transliterate

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


def variant_spelling(latin: str, rng: random.Random) -> str:
    """A Latin spelling as a partner or another document might write it."""
    swaps = [("zh", "j"), ("kh", "h"), ("ayev", "aev"), ("yev", "ev"), ("ya", "ia"), ("yu", "iu")]
    out = latin
    for old, new in swaps:
        if old in out.lower() and rng.random() < 0.6:
            out = out.replace(old, new).replace(old.capitalize(), new.capitalize())
    return out


def latin_of(cyrillic: str) -> str:
    return " ".join(part.capitalize() for part in transliterate(cyrillic).split())


def feminine(surname: str) -> str:
    return surname + "а" if surname.endswith(("ов", "ев", "ин")) else surname


def family_stem(folded: str) -> str:
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
    seed_families = {family_stem(name_parts(name).family) for name in seed_names}
    seed_families.discard("")
    return [
        surname
        for surname in surnames
        if not {family_stem(name_parts(form).family) for form in (surname, feminine(surname))}
        & seed_families
    ]
