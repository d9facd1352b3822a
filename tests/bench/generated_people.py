"""The 100,000 people bench_names measures against: Kazakh and Russian given names, family
names made of common roots with a little noise, a Cyrillic native name for half of them,
written by bulk inserts with the keys casework.names gives (no signals)."""

from __future__ import annotations

import random
import re
import time


def _listed(text: str) -> list[str]:
    return text.split()


GIVEN_MALE = _listed(
    """
    Almat Aset Askhat Kairat Dulat Zhanbolat Kenzhebek Lukpan Mukhtar Talgat Serikzhan Aron
    Yerzhan Ulasbek Daryn Serik Garifulla Bolatbek Nurlan Marat Ruslan Timur Arman Berik
    Dauren Yerlan Madiyar Aidos Nursultan Bakhytzhan Zhandos Azamat Yerbol Kanat Samat
    Daniyar Vladimir Vadim Sergey Aleksandr Dmitriy Andrey Igor Oleg Pavel Nikolay Viktor
    Yevgeniy
    """
)
GIVEN_FEMALE = _listed(
    """
    Roza Dametkan Saltanat Saniya Bota Asel Nurgul Kaisha Gyuzyal Aigul Aigerim Gulnar
    Zhanar Dinara Aliya Madina Assel Raushan Zarina Ainur Natalya Olga Yelena Tatyana Irina
    """
)
SURNAME_ROOTS = _listed(
    """
    Zhumagul Abish Zheksebay Klysh Aspandiyar Akhmedyar Ablyaz Bokay Yelshibay Akhmet
    Khassen Kalu Oraz Bayadalin Blyal Tuletay Kuramsh Kozl Nurlanbek Seitkali
    Tokayev Dzhaksybek Kenzhebay Serikbay Omar Ibray Sultanbek Kairbek Mukhamedzhan
    Bekmukhamed Temirbek Dosmukhamed Zhakup Baimagambet Sarsenbay Tulegen Ospan Kassym
    Yessenbay Nurpeis Mamyr Sadyk Utegen Zhaksylyk Abdrakhman Sagyndyk Beisenbay Tokhtar
    Orazbek Zhanuzak Kudaibergen Ismail Kurmangazy Shakhanov Yeszhan Alimzhan Mukhtar
    Zhylkybay Karabay Sarybay Dauletbay Yermek Kadyr Aidarbek Sabit Kanatbek Zhanibek Yerkin
    Aman Baurzhan Ergali Galym Zhomart Talap
    """
)


LATIN_TO_CYRILLIC = {
    "shch": "щ",
    "dzh": "дж",
    "zh": "ж",
    "kh": "х",
    "ts": "ц",
    "ch": "ч",
    "sh": "ш",
    "yu": "ю",
    "ya": "я",
    "yo": "ё",
    "ye": "е",
    "iu": "ю",
    "ia": "я",
    "c": "к",
    "h": "х",
    "j": "ж",
    "q": "к",
    "w": "в",
    "x": "кс",
    "y": "ы",
} | dict(zip("abdefgiklmnoprstuvz", "абдефгиклмнопрстувз", strict=True))
_LATIN_SPELLINGS = re.compile("|".join(sorted(LATIN_TO_CYRILLIC, key=len, reverse=True)))


def cyrillic_spelling(text: str) -> str:
    """A likely Cyrillic spelling of a Latin name: 'Zhumagulov' -> 'жумагулов'."""
    from casework.names import normalise_name

    return _LATIN_SPELLINGS.sub(
        lambda match: LATIN_TO_CYRILLIC[match.group(0)], normalise_name(text)
    )


def _random_name(generator: random.Random) -> tuple[str, str]:
    """A Latin full name and, for some, a Cyrillic native name."""
    female = generator.random() < 0.45
    given = generator.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    root = generator.choice(SURNAME_ROOTS)
    # Three letters of noise make 100,000 people with realistic, mostly distinct surnames.
    root = root + "".join(
        generator.choice("aeiou") + generator.choice("bklmnrst") for _ in range(1)
    )
    suffix = generator.choice(["ov", "ev", "in", "uly" if not female else "kyzy", ""])
    if female and suffix in {"ov", "ev", "in"}:
        suffix += "a"
    family = (root + suffix).capitalize()
    full_name = f"{given} {family}"
    native = cyrillic_spelling(full_name).title() if generator.random() < 0.5 else ""
    return full_name, native


def make_people(count: int) -> list[tuple[int, str, str]]:
    """`count` people with their PersonNameKey rows, by bulk inserts (no signals)."""
    from casework.models import Organisation, Person, PersonNameKey
    from casework.names import name_keys

    generator = random.Random(2021)
    organisation = Organisation.objects.order_by("pk").first()
    started = time.perf_counter()
    batch = 5_000
    made: list[tuple[int, str, str]] = []
    for offset in range(0, count, batch):
        names = [_random_name(generator) for _ in range(min(batch, count - offset))]
        keys_of = [
            sorted(set(name_keys(full_name)) | set(name_keys(native) if native else []))
            for full_name, native in names
        ]
        people = Person.objects.bulk_create(
            [
                Person(
                    full_name=full_name,
                    native_name=native,
                    owning_organisation=organisation,
                    match_keys=" ".join(keys),
                )
                for (full_name, native), keys in zip(names, keys_of, strict=True)
            ]
        )
        PersonNameKey.objects.bulk_create(
            [
                PersonNameKey(person_id=person.pk, key=key)
                for person, keys in zip(people, keys_of, strict=True)
                for key in keys
            ],
            batch_size=10_000,
        )
        made.extend(
            (person.pk, full_name, native)
            for person, (full_name, native) in zip(people, names, strict=True)
        )
    from django.db import connection

    with connection.cursor() as cursor:
        # As autovacuum leaves tables after a bulk insert: statistics and the visibility map
        # (index-only lookups of name keys), so search is measured as it runs in use.
        cursor.execute("VACUUM ANALYZE")
    keys = PersonNameKey.objects.count()
    print(f"made {count:,} people and {keys:,} name keys in {time.perf_counter() - started:.1f} s")
    return made
