"""Which column of a partner's sheet means which field: recognised from English, Russian and
Kazakh headers (casework.importing.headers), adjustable by the user and remembered per
organisation; what each column holds (three sample values) and what will be ignored or
missing, shown before the preview."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.importing.cells import Cell, ImportFileError, Table, cell_text
from casework.importing.headers import (
    HEADER_ROWS_SEARCHED,
    HeaderReading,
    header_normalise,
    header_read,
)
from casework.models import ColumnMapping, Organisation


@dataclass(frozen=True)
class ImportField:
    key: str
    label_en: str
    label_ru: str
    label_kk: str
    required: bool = False

    @property
    def label(self) -> str:
        """The field's name in the user's language."""
        return str(gettext_lazy(self.label_en))


IMPORT_FIELDS: tuple[ImportField, ...] = (
    ImportField("full_name", "Full name", "ФИО", "Аты-жөні", required=True),
    ImportField("latin_name", "Name in Latin script", "ФИО латиницей", "Аты-жөні латынша"),
    ImportField("birth", "Date or year of birth", "Дата рождения", "Туған күні"),
    ImportField("gender", "Gender", "Пол", "Жынысы"),
    ImportField("region", "Region", "Регион", "Өңір"),
    ImportField("occupation", "Occupation", "Род занятий", "Кәсібі"),
    ImportField("reference", "Case reference", "Номер дела", "Іс нөмірі"),
    ImportField("charges", "Charges (articles)", "Статья", "Бабы"),
    ImportField("detained_on", "Date of detention", "Дата задержания", "Ұсталған күні"),
    ImportField("status", "Status", "Статус", "Мәртебесі"),
    ImportField("measure", "Measure of restraint", "Мера пресечения", "Бұлтартпау шарасы"),
    ImportField("sentence", "Sentence", "Приговор", "Үкім"),
    ImportField("sentenced_on", "Date of sentence", "Дата приговора", "Үкім шыққан күні"),
    ImportField("released_on", "Date of release", "Дата освобождения", "Босатылған күні"),
    ImportField("detention_place", "Detention place", "Место содержания", "Ұстау орны"),
    ImportField("summary", "Note", "Примечание", "Ескертпе"),
)
FIELDS_BY_KEY = {field.key: field for field in IMPORT_FIELDS}

# The English labels, for makemessages: the fields' names in the user's language.
_LABELS = [
    gettext_lazy("Full name"),
    gettext_lazy("Name in Latin script"),
    gettext_lazy("Date or year of birth"),
    gettext_lazy("Gender"),
    gettext_lazy("Region"),
    gettext_lazy("Occupation"),
    gettext_lazy("Case reference"),
    gettext_lazy("Charges (articles)"),
    gettext_lazy("Date of detention"),
    gettext_lazy("Status"),
    gettext_lazy("Measure of restraint"),
    gettext_lazy("Sentence"),
    gettext_lazy("Date of sentence"),
    gettext_lazy("Date of release"),
    gettext_lazy("Detention place"),
    gettext_lazy("Note"),
]

# Whole headers (normalised) each field is known by besides its labels; a header none of
# them is whole is read by its words (casework.importing.headers).
_PHRASES = {
    "full_name": """
        surname
        тегі
        отчество
        patronymic
        middle name
        әкесінің аты
        фамилия имя отчество
        фамилия имя
        полное имя
        фио заключенного
        фио политзаключенного
        full name
        surname name
        name of prisoner
    """,
    "latin_name": """
        фио латиницей
        фио латиница
        имя латиницей
        latin name
        name latin
        name in latin
        name english
        name in english
    """,
    "birth": """
        дата рождения
        год рождения
        date of birth
        year of birth
        birth year
        date or year of birth
    """,
    "reference": """
        номер дела
        код дела
        case
        case reference
        case id
        case number
    """,
    "charges": """
        статья ук рк
        charges articles
    """,
    "detained_on": """
        дата задержания
        дата ареста
        date of detention
        detention date
        detained on
        date of arrest
    """,
    "status": """
        текущий статус
        current status
    """,
    "measure": """
        мера
        measure
        measure of restraint
        preventive measure
    """,
    "sentenced_on": """
        дата приговора
        date of sentence
        sentence date
        sentenced on
        date of verdict
    """,
    "released_on": """
        дата освобождения
        release date
        date of release
        released on
    """,
    "detention_place": """
        место содержания
        место заключения
        сизо колония
        detention place
        place of detention
    """,
}
HEADER_PHRASES: dict[str, str] = {}
for _key, _phrases in _PHRASES.items():
    for _phrase in _phrases.strip().splitlines():
        HEADER_PHRASES[header_normalise(_phrase)] = _key
for _field in IMPORT_FIELDS:
    for _label in (_field.label_en, _field.label_ru, _field.label_kk):
        HEADER_PHRASES[header_normalise(_label)] = _field.key
    HEADER_PHRASES[header_normalise(f"{_field.label_ru} / {_field.label_en}")] = _field.key
    HEADER_PHRASES[header_normalise(f"{_field.label_en} / {_field.label_ru}")] = _field.key


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def header_row_find(*, table: Table) -> int:
    """The position (in table.rows) of the header. Partner sheets often carry a title block
    above the header (the organisation, the list's title, its date, its source), so look in
    the first HEADER_ROWS_SEARCHED rows that hold something for the one most headers
    recognise, among those that name a name column (a data row's "в СИЗО" and "ст. 174"
    read as headers too, its name never does); the first such row on a tie."""
    best_position, best_score = 0, (False, -1)
    for position, (_number, cells) in enumerate(table.rows[:HEADER_ROWS_SEARCHED]):
        fields = [
            header_read(cell, phrases=HEADER_PHRASES).field
            for cell in cells
            if isinstance(cell, str)
        ]
        recognised = sum(1 for field in fields if field)
        filled = sum(1 for cell in cells if cell is not None and str(cell).strip())
        score = (
            # A title above the header is one cell, even when it names the names ("ФИО").
            filled > 1 and bool({"full_name", "latin_name"} & set(fields)),
            recognised,
        )
        if score > best_score:
            best_position, best_score = position, score
    return best_position


@dataclass(frozen=True)
class ColumnGuess:
    """What a column was taken to mean before the user said: the field ("" ignored, None
    unknown), how ("remembered", "recognised"), and other fields its header names too."""

    field: str | None
    how: str = ""
    also: tuple[str, ...] = ()


def mapping_guess(*, headers: list[Cell], organisation: Organisation) -> dict[int, ColumnGuess]:
    """Column index -> what it was taken to mean: the organisation's remembered choices
    first, then the header as a person reads it."""
    normalised = [header_normalise(header) for header in headers]
    remembered = dict(
        ColumnMapping.objects.filter(
            organisation=organisation, header__in=[name for name in normalised if name]
        ).values_list("header", "field")
    )
    guesses = {}
    for index, header in enumerate(headers):
        name = normalised[index]
        if name in remembered and remembered[name] in ("", *FIELDS_BY_KEY):
            guesses[index] = ColumnGuess(remembered[name], "remembered")
            continue
        reading: HeaderReading = header_read(header, phrases=HEADER_PHRASES)
        guesses[index] = ColumnGuess(
            reading.field, "recognised" if reading.field is not None else "", reading.also
        )
    return guesses


def mapping_suggest(*, headers: list[Cell], organisation: Organisation) -> dict[str, str]:
    """Column index (string) -> field key, from mapping_guess."""
    # Two columns recognised as one field are both kept, so the mapping step names the
    # conflict instead of silently dropping one of them.
    return {
        str(index): guess.field
        for index, guess in mapping_guess(headers=headers, organisation=organisation).items()
        if guess.field
    }


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
            raise ImportFileError(_("Unknown field %(field)s.") % {"field": repr(key)})
        index = int(index_text)
        if key == "full_name" and key in seen and _name_part(headers, index):
            continue  # a name in several columns, read as one (casework.importing.rows)
        if key in seen:
            first = seen[key]
            raise ImportFileError(
                _(
                    "Columns %(first)s (%(first_header)s) and %(second)s (%(second_header)s) "
                    "both mean “%(field)s”; keep one of them."
                )
                % {
                    "first": column_letter(first),
                    "first_header": headers[first],
                    "second": column_letter(index),
                    "second_header": headers[index],
                    "field": FIELDS_BY_KEY[key].label,
                }
            )
        seen[key] = index
    for field in IMPORT_FIELDS:
        if field.required and field.key not in seen:
            raise ImportFileError(
                _(
                    "No column holds the “%(field)s” (%(field_ru)s); it is required. "
                    "Add it, or map the right column to it."
                )
                % {"field": field.label, "field_ru": field.label_ru}
            )


# Headers of the parts of a name, which a file may write in columns of their own.
NAME_PART_HEADERS = frozenset(
    header_normalise(header)
    for header in (
        "Фамилия",
        "Имя",
        "Отчество",
        "Имя, отчество",
        "Тегі",
        "Аты",
        "Әкесінің аты",
        "Surname",
        "Last name",
        "Family name",
        "First name",
        "Given name",
        "Middle name",
        "Patronymic",
    )
)


def _name_part(headers: list[Cell], index: int) -> bool:
    """Whether a later column of the name joins the first: it is headed as a part of a name
    ("Имя", "Отчество"), or has no header at all (the columns a "ФИО" merged across them
    covers, which the user mapped to the name). "ФИО" and "Full name" are two names, not a
    name and its part."""
    header = headers[index] if index < len(headers) else None
    if header is None or not str(header).strip():
        return True
    return header_normalise(header) in NAME_PART_HEADERS


def headers_check_duplicates(*, headers: list[Cell]) -> None:
    seen: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = header_normalise(header)
        if not name:
            continue
        if name in seen:
            raise ImportFileError(
                _(
                    "The header “%(header)s” appears twice (columns %(first)s and %(second)s); "
                    "rename or remove one of them."
                )
                % {
                    "header": header,
                    "first": column_letter(seen[name]),
                    "second": column_letter(index),
                }
            )
        seen[name] = index


# Sample values shown for each column, read from the first rows of the file.
SAMPLES_SHOWN = 3
_SAMPLE_ROWS_READ = 200


def column_samples(*, rows: list[tuple[int, list[Cell]]], width: int) -> list[list[str]]:
    """For each column, the first distinct values of the first rows, as text (cut short)."""
    samples: list[list[str]] = [[] for _ in range(width)]
    for _number, cells in rows[:_SAMPLE_ROWS_READ]:
        for index, cell in enumerate(cells[:width]):
            text = cell_text(cell)
            if text and len(samples[index]) < SAMPLES_SHOWN and text[:80] not in samples[index]:
                samples[index].append(text[:80])
    return samples


@dataclass(frozen=True)
class ColumnShown:
    """A column as the mapping page, the preview and the command line describe it."""

    index: int
    letter: str
    header: str
    field: str | None
    samples: list[str]
    # What else its header names, when it names two fields' words ("Статус / дата задержания").
    also: tuple[str, ...] = ()
    how: str = ""

    def as_json(self) -> dict[str, str | None]:
        return {"column": self.letter, "header": self.header, "field": self.field or None}


def columns_describe(
    *,
    headers: list[Cell],
    mapping: dict[str, str],
    samples: list[list[str]] | None = None,
    guesses: dict[int, ColumnGuess] | None = None,
) -> list[ColumnShown]:
    """Every column of the sheet: its letter, header, the field it is mapped to (None:
    ignored), sample values, and what its header also names."""
    samples = samples or []
    guesses = guesses or {}
    columns = []
    for index, header in enumerate(headers):
        guess = guesses.get(index)
        field = mapping.get(str(index)) or None
        columns.append(
            ColumnShown(
                index=index,
                letter=column_letter(index),
                header=" ".join(str(header or "").split())[:200],
                field=field,
                samples=samples[index] if index < len(samples) else [],
                also=tuple(key for key in (guess.also if guess else ()) if key != field),
                how=guess.how if guess and guess.field == (field or "") else "",
            )
        )
    return columns


def mapping_warnings(*, mapping: dict[str, str]) -> list[str]:
    """What the import will miss with this mapping, though it is allowed."""
    mapped = set(mapping.values())
    warnings = []
    if "status" not in mapped and "measure" not in mapped:
        warnings.append(
            _(
                "No column holds the status: every case will be recorded with the status "
                "“Unknown”. Map the column that says where each person is now, if the file "
                "has one."
            )
        )
    return warnings
