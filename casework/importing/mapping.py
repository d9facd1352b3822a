"""Which column of a partner's sheet means which field: recognised from English and Russian
headers, adjustable by the user and remembered per organisation."""

from __future__ import annotations

import re
from dataclasses import dataclass

from casework.importing.cells import Cell, ImportFileError, Table
from casework.models import ColumnMapping, Organisation


@dataclass(frozen=True)
class ImportField:
    key: str
    label: str
    label_ru: str
    required: bool = False


IMPORT_FIELDS: tuple[ImportField, ...] = (
    ImportField("full_name", "Full name", "ФИО", required=True),
    ImportField("latin_name", "Name in Latin script", "ФИО латиницей"),
    ImportField("birth", "Date or year of birth", "Дата рождения"),
    ImportField("gender", "Gender", "Пол"),
    ImportField("region", "Region", "Регион"),
    ImportField("occupation", "Occupation", "Род занятий"),
    ImportField("reference", "Case reference", "Номер дела"),
    ImportField("charges", "Charges (articles)", "Статья"),
    ImportField("detained_on", "Date of detention", "Дата задержания"),
    ImportField("status", "Status", "Статус"),
    ImportField("measure", "Measure of restraint", "Мера пресечения"),
    ImportField("sentence", "Sentence", "Приговор"),
    ImportField("sentenced_on", "Date of sentence", "Дата приговора"),
    ImportField("released_on", "Date of release", "Дата освобождения"),
    ImportField("detention_place", "Detention place", "Место содержания"),
    ImportField("summary", "Note", "Примечание"),
)
FIELDS_BY_KEY = {field.key: field for field in IMPORT_FIELDS}

# Normalised header -> field key. "" marks a column recognised as meaningless (a row number).
HEADER_SYNONYMS: dict[str, str] = {}
_SYNONYMS = {
    "full_name": [
        "фио",
        "ф и о",
        "фамилия имя отчество",
        "фамилия имя",
        "имя",
        "полное имя",
        "фио заключенного",
        "фио политзаключенного",
        "заключенный",
        "full name",
        "name",
        "person",
        "prisoner",
        "name of prisoner",
        "surname name",
        "fullname",
    ],
    "latin_name": [
        "фио латиницей",
        "фио латиница",
        "имя латиницей",
        "latin name",
        "name latin",
        "name in latin",
        "name in latin script",
        "name english",
        "name in english",
    ],
    "birth": [
        "дата рождения",
        "год рождения",
        "д р",
        "др",
        "г р",
        "birth",
        "birth date",
        "date of birth",
        "dob",
        "born",
        "year of birth",
        "birth year",
        "date or year of birth",
    ],
    "gender": ["пол", "gender", "sex"],
    "region": ["регион", "область", "город", "город регион", "region", "oblast", "city"],
    "occupation": [
        "род занятий",
        "деятельность",
        "профессия",
        "занятие",
        "occupation",
        "profession",
    ],
    "reference": [
        "номер дела",
        "дело",
        "код дела",
        "reference",
        "case reference",
        "ref",
        "case id",
        "case",
        "case number",
    ],
    "charges": [
        "статья",
        "статьи",
        "статья ук",
        "статьи ук",
        "статья ук рк",
        "обвинение",
        "обвинения",
        "charges",
        "charge",
        "article",
        "articles",
        "charges articles",
    ],
    "detained_on": [
        "дата задержания",
        "задержан",
        "дата ареста",
        "арестован",
        "detained",
        "date of detention",
        "detention date",
        "detained on",
        "arrested",
        "date of arrest",
    ],
    "status": ["статус", "текущий статус", "положение", "status", "current status"],
    "measure": [
        "мера пресечения",
        "мера",
        "measure of restraint",
        "preventive measure",
        "measure",
    ],
    "sentence": ["приговор", "срок", "наказание", "sentence", "verdict", "punishment"],
    "sentenced_on": [
        "дата приговора",
        "date of sentence",
        "sentence date",
        "sentenced on",
        "date of verdict",
    ],
    "released_on": [
        "дата освобождения",
        "освобожден",
        "release date",
        "date of release",
        "released on",
    ],
    "detention_place": [
        "место содержания",
        "место заключения",
        "учреждение",
        "сизо колония",
        "detention place",
        "place of detention",
        "prison",
        "facility",
    ],
    "summary": [
        "примечание",
        "примечания",
        "комментарий",
        "комментарии",
        "описание",
        "note",
        "notes",
        "comment",
        "comments",
        "summary",
        "description",
    ],
    "": ["№", "n", "no", "#", "№ п п", "п п", "nr", "number", "row"],
}

_HEADER_NOISE = re.compile(r"[^\w№#]+", re.UNICODE)


def header_normalise(header: Cell) -> str:
    # Only the start matters, and a hostile 10 MB cell must not cost a regex pass.
    text = "" if header is None else str(header)[:300]
    text = text.lower().replace("ё", "е").replace("_", " ")
    return _HEADER_NOISE.sub(" ", text).strip()[:200]


for _key, _words in _SYNONYMS.items():
    for _word in _words:
        HEADER_SYNONYMS[header_normalise(_word)] = _key
for _field in IMPORT_FIELDS:
    HEADER_SYNONYMS[header_normalise(_field.label)] = _field.key
    HEADER_SYNONYMS[header_normalise(_field.label_ru)] = _field.key
    HEADER_SYNONYMS[header_normalise(f"{_field.label_ru} / {_field.label}")] = _field.key
    HEADER_SYNONYMS[header_normalise(f"{_field.label} / {_field.label_ru}")] = _field.key


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def header_row_find(*, table: Table) -> int:
    """The position (in table.rows) of the header. Partner sheets often carry a title row
    above the header, so look in the first five rows for the one most headers recognise."""
    best_position, best_score = 0, -1
    for position, (_, cells) in enumerate(table.rows[:5]):
        score = sum(1 for cell in cells if header_normalise(cell) in HEADER_SYNONYMS)
        if score > best_score:
            best_position, best_score = position, score
    return best_position


def mapping_suggest(*, headers: list[Cell], organisation: Organisation) -> dict[str, str]:
    """Column index (string) -> field key: the organisation's remembered choices first,
    then the built-in English and Russian synonyms."""
    normalised = [header_normalise(header) for header in headers]
    remembered = dict(
        ColumnMapping.objects.filter(
            organisation=organisation, header__in=[name for name in normalised if name]
        ).values_list("header", "field")
    )
    mapping: dict[str, str] = {}
    for index, name in enumerate(normalised):
        if not name:
            continue
        key = remembered.get(name, HEADER_SYNONYMS.get(name, ""))
        # Two columns recognised as one field are both kept, so the mapping step names the
        # conflict instead of silently dropping one of them.
        if key and key in FIELDS_BY_KEY:
            mapping[str(index)] = key
    return mapping


def mapping_remember(
    *, headers: list[Cell], mapping: dict[str, str], organisation: Organisation
) -> None:
    """Keep the user's choices (including "ignore this column") for the organisation's next file."""
    rows = {}
    for index, header in enumerate(headers):
        name = header_normalise(header)
        if name:
            rows[name] = mapping.get(str(index), "")
    ColumnMapping.objects.bulk_create(
        [
            ColumnMapping(organisation=organisation, header=name, field=key)
            for name, key in rows.items()
        ],
        update_conflicts=True,
        unique_fields=["organisation", "header"],
        update_fields=["field", "updated_at"],
    )


def mapping_validate(*, headers: list[Cell], mapping: dict[str, str]) -> None:
    """Refuse a mapping without a name column, or with two columns for one field."""
    seen: dict[str, int] = {}
    for index_text, key in sorted(mapping.items(), key=lambda item: int(item[0])):
        if not key:
            continue
        if key not in FIELDS_BY_KEY:
            raise ImportFileError(f"Unknown field {key!r}.")
        index = int(index_text)
        if key in seen:
            first = seen[key]
            raise ImportFileError(
                f"Columns {column_letter(first)} ({headers[first]!s}) and "
                f"{column_letter(index)} ({headers[index]!s}) both mean "
                f"“{FIELDS_BY_KEY[key].label}”; keep one of them."
            )
        seen[key] = index
    for field in IMPORT_FIELDS:
        if field.required and field.key not in seen:
            raise ImportFileError(
                f"No column holds the “{field.label}” ({field.label_ru}); it is required. "
                "Add it, or map the right column to it."
            )


def headers_check_duplicates(*, headers: list[Cell]) -> None:
    seen: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = header_normalise(header)
        if not name:
            continue
        if name in seen:
            raise ImportFileError(
                f"The header “{header}” appears twice (columns {column_letter(seen[name])} "
                f"and {column_letter(index)}); rename or remove one of them."
            )
        seen[name] = index
