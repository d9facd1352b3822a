"""What each row of a partner's sheet will do: new, update, unchanged, possible duplicate or
error. Reads only; every lookup is a bulk query over all rows, never one per row.

Candidates come only from the people and cases that both the importing user and every
member of the target organisation may see (casework.importing.audience, which asks
casework.visibility), and only records owned by the target organisation are ever updated,
so a file cannot read or change another organisation's records, nor link a partner's row to
a person the partner may not see.

Case references in a file are the organisation's own: they are looked up among the
organisation's own cases only, and a new case's reference is stored under the
organisation's namespace (see case_reference_stored), so the answer for a reference another
organisation uses is the same as for a reference nobody uses: a new case.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils import timezone

from casework import names
from casework.importing.audience import import_cases_visible, import_people_visible
from casework.importing.mapping import FIELDS_BY_KEY, column_letter
from casework.importing.parsing import Cell
from casework.importing.values import (
    CellError,
    ChargeReference,
    charges_parse,
    date_parse,
    file_name_order,
    gender_parse,
    name_parse,
    occupation_parse,
    status_parse,
    text_parse,
    word_normalise,
)
from casework.models import (
    Case,
    Charge,
    DetentionPlace,
    ImportMatchDecision,
    Organisation,
    Person,
    PersonAlias,
    PersonNameKey,
    Status,
)

REFERENCE_MAX = Case._meta.get_field("reference").max_length

NEW = "new"
UPDATE = "update"
UNCHANGED = "unchanged"
POSSIBLE_DUPLICATE = "possible_duplicate"
ERROR = "error"

LOOKUP_CHUNK = 500
# A name at least this close, but not certain, is shown side by side for a person to decide.
NAME_MATCH_THRESHOLD: float = getattr(names, "NAME_MATCH_THRESHOLD", 0.85)

PERSON_FIELDS = ("native_name", "birth_date", "birth_year", "gender", "region", "occupation")
CASE_FIELDS = (
    "status",
    "detained_on",
    "sentenced_on",
    "released_on",
    "sentence",
    "detention_place_id",
    "summary",
)


@dataclass(slots=True)
class RowPlan:
    row: int
    outcome: str = NEW
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, Any]] = field(default_factory=list)
    person_id: int | None = None
    case_id: int | None = None
    # The earlier row whose new person (or case) this row shares.
    same_person_as_row: int | None = None
    person_changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    case_changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    charges_added: list[ChargeReference] = field(default_factory=list)
    candidate: dict[str, Any] | None = None
    # The recorded person the row is (shown on the preview, so the user can tell).
    matched: dict[str, Any] | None = None
    note: str = ""
    # The row's name and birth year as a key (row_identity_key), and the choice this run
    # makes about a recorded person ("same" | "new", person id), remembered when written.
    row_key: str = ""
    decided: tuple[str, int] | None = None


@dataclass
class ImportPlan:
    organisation: Organisation
    rows: list[RowPlan]
    charge_ids: dict[ChargeReference, int]
    place_ids: dict[str, int]
    # References any case holds now, among those this plan would give its new cases.
    references_taken: set[str] = field(default_factory=set)

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [error for row in self.rows for error in row.errors]

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    def summary(self) -> dict[str, Any]:
        return {
            "new": self.count(NEW),
            "updated": self.count(UPDATE),
            "unchanged": self.count(UNCHANGED),
            "possible_duplicates": self.count(POSSIBLE_DUPLICATE),
            "errors": self.errors,
        }


def _chunks(items: list, size: int | None = None) -> Iterable[list]:
    # SQLite caps the parameters of one statement; PostgreSQL takes big IN lists happily.
    size = size or (LOOKUP_CHUNK if connection.vendor == "sqlite" else 10 * LOOKUP_CHUNK)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _in(field: str, values: list) -> dict[str, Any]:
    """filter(**_in("pk", ids)): on PostgreSQL one array parameter rather than a placeholder
    per value (the driver's parsing of thousands of placeholders costs more than the query)."""
    if connection.vendor == "postgresql" and values:
        array = "bigint[]" if isinstance(values[0], int) else "text[]"
        return {f"{field}__in": RawSQL(f"SELECT unnest(%s::{array})", [list(values)])}  # noqa: S611
    return {f"{field}__in": values}


def _column_name(index: int, headers: list[Cell]) -> str:
    header = headers[index] if index < len(headers) else None
    if header in (None, ""):
        return column_letter(index)
    header = " ".join(str(header).split())
    return f"{column_letter(index)} ({header[:60]}{'…' if len(header) > 60 else ''})"


def column_names(*, headers: list[Cell], mapping: dict[str, str]) -> dict[str, str]:
    """Field key -> the spreadsheet column as its user sees it: letter and header, "B (ФИО)".
    A field no column holds is named by its label, so the message still says what to add."""
    names = {key: f"{FIELDS_BY_KEY[key].label} (no such column)" for key in FIELDS_BY_KEY}
    names.update({key: _column_name(int(index), headers) for index, key in mapping.items() if key})
    return names


def reference_namespace(organisation: Organisation) -> str:
    """The prefix under which an organisation's own references are stored: its slug (for
    people) and its id (slugs are cut short, ids are unique)."""
    return f"{organisation.slug[:12].upper()}.{organisation.pk}:"


def case_reference_stored(reference: str, organisation: Organisation) -> str:
    """The reference a new case gets for a reference written in the organisation's file.

    Case references are unique across all organisations. Storing a file's "2021-45" as is
    would make the import's answer depend on whether another organisation, invisible to
    this one, already has a "2021-45" (an error, or a different reference, would say it
    does). Stored under the organisation's namespace, the same reference gives the same
    answer whoever else uses it, and never collides with anyone else's case."""
    namespace = reference_namespace(organisation)
    return reference if reference.startswith(namespace) else f"{namespace}{reference}"


# --- Step 1: cells -> values ------------------------------------------------------------------


_TEXT_LIMITS = {
    "region": 100,
    "sentence": 200,
    "detention_place": 200,
    "reference": 50,
    "summary": None,
}
_DATE_FIELDS = ("detained_on", "sentenced_on", "released_on")


def rows_parse(
    *, rows: list[tuple[int, list[Cell]]], headers: list[Cell], mapping: dict[str, str]
) -> list[RowPlan]:
    """Each row's values, or its errors naming row, column and what was written."""
    columns = {key: int(index) for index, key in mapping.items() if key}
    names_of = column_names(headers=headers, mapping=mapping)
    measure_index = columns.get("measure")
    measure_label = (
        " ".join(str(headers[measure_index]).split())[:60]
        if measure_index is not None and measure_index < len(headers) and headers[measure_index]
        else FIELDS_BY_KEY["measure"].label_ru
    )
    today = timezone.localdate()
    max_chars = settings.IMPORT_MAX_CELL_CHARS
    # A column holds few distinct statuses, charges, dates and places: each distinct cell is
    # parsed once per file (its value or its error), not once per row.
    memo: dict[tuple, tuple[Any, CellError | None]] = {}
    # The one-cell fields this mapping reads, in parsing order, worked out once per file.
    mapped = [(key, columns[key]) for key in _FIELD_ORDER[1:] if key in columns]
    name_index = columns.get("full_name")
    family_first = (
        file_name_order(
            [cells[name_index] for _number, cells in rows if name_index < len(cells)],
            header=headers[name_index] if name_index < len(headers) else None,
        )
        if name_index is not None
        else None
    )
    return [
        _row_parse(
            number=number,
            cells=cells,
            columns=columns,
            mapped=mapped,
            column_names=names_of,
            measure_label=measure_label,
            headers=headers,
            today=today,
            max_chars=max_chars,
            memo=memo,
            family_first=family_first,
        )
        for number, cells in rows
    ]


def _row_parse(
    *,
    number: int,
    cells: list[Cell],
    columns: dict[str, int],
    mapped: list[tuple[str, int]],
    column_names: dict[str, str],
    measure_label: str,
    headers: list[Cell],
    today: datetime.date,
    max_chars: int,
    memo: dict[tuple, tuple[Any, CellError | None]],
    family_first: bool | None = None,
) -> RowPlan:
    plan = RowPlan(row=number)
    for index, value in enumerate(cells):
        if type(value) is str and len(value) > max_chars:
            plan.errors.append({
                "row": number,
                "column": _column_name(index, headers),
                "message": f"The cell has {len(value):,} characters; the limit is {max_chars:,}.",
            })  # fmt: skip
    if plan.errors:
        plan.outcome = ERROR
        return plan

    def cell(key: str) -> Cell:
        index = columns.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    values: dict[str, Any] = {}
    try:
        _field_parse(
            key="full_name", cell=cell, values=values, today=today, family_first=family_first
        )
    except CellError as error:
        column = "full_name" if "full_name" in columns else "latin_name"
        plan.errors.append({"row": number, "column": column_names[column], "message": str(error)})
    width = len(cells)
    for key, index in mapped:
        value = cells[index] if index < width else None
        # Remembered by type and value: 1, 1.0 and True are equal keys but read differently.
        memo_key = (key, type(value), value)
        remembered = memo.get(memo_key)
        if remembered is None:
            remembered = memo[memo_key] = _field_parse_once(key=key, value=value, today=today)
        parsed, error = remembered
        if error is not None:
            plan.errors.append({"row": number, "column": column_names[key], "message": str(error)})
            continue
        if key == "charges":
            # A fresh list per row: rows never share a mutable value.
            values["charges"] = list(parsed["charges"])
        else:
            values.update(parsed)
    measure = values.pop("measure", None)
    if measure is not None:
        # The measure of restraint is kept in the case note, whatever else the row says; it
        # gives the status only when the status column is empty.
        text, status, problem = measure
        if not values.get("status"):
            if problem is not None:
                plan.errors.append(
                    {"row": number, "column": column_names["measure"], "message": problem}
                )
            elif status:
                values["status"] = status
                values["status_from_measure"] = True
        note = f"{measure_label}: {text}"
        summary = values.get("summary") or ""
        if note not in summary:
            values["summary"] = f"{summary}\n{note}" if summary else note
        values["measure_kept"] = text
    detained, released = values.get("detained_on"), values.get("released_on")
    if not plan.errors and detained and released and released < detained:
        plan.errors.append({
            "row": number,
            "column": column_names["released_on"],
            "message": "The date of release is before the date of detention.",
        })  # fmt: skip
    plan.values = values
    if plan.errors:
        plan.outcome = ERROR
    return plan


_FIELD_ORDER = (
    "full_name", "birth", *_DATE_FIELDS, "status", "measure", "gender", "occupation", "charges",
    *_TEXT_LIMITS,
)  # fmt: skip


def _field_parse_once(
    *, key: str, value: Cell, today: datetime.date
) -> tuple[dict[str, Any], CellError | None]:
    """What a one-cell field reads as: its values, or the error it raises."""
    parsed: dict[str, Any] = {}
    try:
        _field_parse(key=key, cell=lambda _key: value, values=parsed, today=today)
    except CellError as error:
        return {}, error
    return parsed, None


def _field_parse(
    *,
    key: str,
    cell: Callable[[str], Cell],
    values: dict[str, Any],
    today: datetime.date,
    family_first: bool | None = None,
) -> None:
    if key == "full_name":
        parsed_name = name_parse(cell("full_name"), cell("latin_name"), family_first=family_first)
        values["full_name"], values["native_name"] = parsed_name.full_name, parsed_name.native_name
    elif key == "birth":
        parsed = date_parse(cell("birth"))
        if parsed.value and parsed.value > today:
            raise CellError("The date of birth is in the future.")
        values["birth_date"] = parsed.value
        values["birth_year"] = parsed.value.year if parsed.value else parsed.year
    elif key in _DATE_FIELDS:
        parsed = date_parse(cell(key))
        if parsed.year and not parsed.value:
            raise CellError(
                f"“{parsed.year}”: a full date is needed here (a year alone is accepted for "
                "the date of birth only)."
            )
        if parsed.value and parsed.value > today:
            raise CellError(f"{parsed.value:%d.%m.%Y} is in the future.")
        values[key] = parsed.value
    elif key == "status":
        values["status"] = status_parse(cell("status"))
    elif key == "measure":
        text = text_parse(cell("measure"), max_length=200)
        if text:
            try:
                values["measure"] = (text, status_parse(text), None)
            except CellError as error:
                values["measure"] = (text, "", str(error))
    elif key == "gender":
        values["gender"] = gender_parse(cell("gender"))
    elif key == "occupation":
        values["occupation"] = occupation_parse(cell("occupation"))
    elif key == "charges":
        values["charges"] = charges_parse(cell("charges"))
    else:
        values[key] = text_parse(cell(key), max_length=_TEXT_LIMITS[key])


# --- Step 2: rows -> people and cases ---------------------------------------------------------


# Large enough for the two names of every row of a big file; emptied after each import
# (casework.importing.runs), so a long-lived process does not keep them.
NAME_CACHE_SIZE = 262_144


@functools.lru_cache(maxsize=NAME_CACHE_SIZE)
def name_parts_cached(name: str) -> names.NameParts:
    """casework.names.name_parts, remembered: a file names each person in several places."""
    return names.name_parts(name)


@functools.lru_cache(maxsize=NAME_CACHE_SIZE)
def name_keys_cached(name: str) -> tuple[str, ...]:
    return tuple(names.name_keys(name))


@functools.lru_cache(maxsize=NAME_CACHE_SIZE)
def whole_key_cached(name: str) -> str:
    """The names module's key of the whole name (its words in alphabetical order)."""
    words = [word for word in name_parts_cached(name).full_words if len(word) >= 2]
    return " ".join(sorted(words))


def _has_patronymic(name: str) -> bool:
    return bool(name_parts_cached(name).patronymics)


def _row_names(values: dict) -> list[str]:
    return [name for name in (values.get("full_name"), values.get("native_name")) if name]


def row_identity_key(values: dict) -> str:
    """What makes a later file's row "the same row" for a remembered choice: its name as
    written (the native one when the file gives it), word order aside, and its birth year."""
    name = values.get("native_name") or values.get("full_name") or ""
    words = sorted(names.normalise_name(name).split())
    basis = f"{' '.join(words)}|{values.get('birth_year') or ''}"
    return hashlib.sha256(basis.encode()).hexdigest()


def _remembered_decisions(
    *, rows: list[RowPlan], organisation: Organisation
) -> dict[str, dict[int, str]]:
    """Row key -> {person id: "same" | "new"}: the organisation's earlier choices."""
    keys = sorted({row.row_key for row in rows})
    remembered: dict[str, dict[int, str]] = defaultdict(dict)
    for chunk in _chunks(keys):
        for key, person_id, choice in ImportMatchDecision.objects.filter(
            organisation=organisation, **_in("row_key", chunk)
        ).values_list("row_key", "person_id", "choice"):
            remembered[key][person_id] = choice
    return remembered


def _person_year(person: dict) -> int | None:
    return person["birth_date"].year if person["birth_date"] else person["birth_year"]


def import_plan_build(
    *,
    rows: list[RowPlan],
    organisation: Organisation,
    user,
    column_names: dict[str, str] | None = None,
    decisions: dict[str, dict] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ImportPlan:
    """Decide what each parsed row does. Pure reads, a bounded number of queries."""
    decisions = decisions or {}
    names_of = column_names or {key: field.label for key, field in FIELDS_BY_KEY.items()}
    valid = [row for row in rows if row.outcome != ERROR]
    visible_people = import_people_visible(user=user, organisation=organisation)
    visible_cases = import_cases_visible(user=user, organisation=organisation)

    # Charges and detention places: vocabularies, resolved for all rows at once.
    charge_ids = _charges_resolve(valid)
    place_ids = {
        word_normalise(name): pk for pk, name in DetentionPlace.objects.values_list("pk", "name")
    }

    # Cases named by reference: only the organisation's own cases (that its members may
    # see) are looked up, written as in the file or as an earlier import stored them.
    references = sorted({row.values["reference"] for row in valid if row.values.get("reference")})
    stored_of = {
        reference: case_reference_stored(reference, organisation) for reference in references
    }
    own_by_reference: dict[str, dict] = {}
    references_taken: set[str] = set()
    lookups = sorted(set(references) | set(stored_of.values()))
    for chunk in _chunks(lookups):
        for case in visible_cases.filter(
            **_in("reference", chunk), owning_organisation=organisation
        ).values("pk", "reference", "person_id", "archived_at"):
            own_by_reference[case["reference"]] = case
    for chunk in _chunks(sorted(set(stored_of.values()))):
        # Which of the references new cases would get are held by any case at all: read to
        # avoid a failed write, never shown (a file cannot learn what others hold).
        references_taken.update(
            Case.objects.filter(**_in("reference", chunk)).values_list("reference", flat=True)
        )

    def own_case(reference: str) -> dict | None:
        return own_by_reference.get(reference) or own_by_reference.get(stored_of[reference])

    # People: the whole-name key first; the names module's pair and initial keys only for
    # rows without such a hit (single-word keys would pull in every namesake).
    whole_keys = {
        row.row: {key for key in map(whole_key_cached, _row_names(row.values)) if key}
        for row in valid
    }
    key_people = _people_by_keys(
        keys=set().union(*whole_keys.values()) if whole_keys else set(), people=visible_people
    )
    exact_of: dict[int, set[int]] = {}
    for row in valid:
        exact_of[row.row] = set().union(
            *(key_people.get(key, set()) for key in whole_keys[row.row])
        )
    partial_keys = {
        row.row: {
            key for name in _row_names(row.values) for key in name_keys_cached(name) if " " in key
        }
        for row in valid
        if not exact_of[row.row]
    }
    partial_people = _people_by_keys(
        keys=set().union(*partial_keys.values()) if partial_keys else set(), people=visible_people
    )
    candidates_of: dict[int, set[int]] = {}
    for row in valid:
        found = set(exact_of[row.row])
        for key in partial_keys.get(row.row, ()):
            found |= partial_people.get(key, set())
        reference = row.values.get("reference")
        case = own_case(reference) if reference else None
        if case is not None:
            found.add(case["person_id"])
        candidates_of[row.row] = found
    # A remembered answer is about a recorded person, so only rows with someone to be the
    # same as need their key (most rows of a large file have nobody).
    with_candidates = [row for row in valid if candidates_of[row.row]]
    for row in with_candidates:
        row.row_key = row_identity_key(row.values)
    remembered = _remembered_decisions(rows=with_candidates, organisation=organisation)

    person_ids = sorted(set().union(*candidates_of.values())) if candidates_of else []
    people: dict[int, dict] = {}
    person_names: dict[int, list[str]] = defaultdict(list)
    for chunk in _chunks(person_ids):
        for person in Person.objects.filter(**_in("pk", chunk)).values(
            "pk", "full_name", "owning_organisation_id", "owning_organisation__name", *PERSON_FIELDS
        ):
            people[person["pk"]] = person
            person_names[person["pk"]] += [
                n for n in (person["full_name"], person["native_name"]) if n
            ]
        for person_id, alias in PersonAlias.objects.filter(**_in("person_id", chunk)).values_list(
            "person_id", "name"
        ):
            person_names[person_id].append(alias)

    # The organisation's cases of those people (that all its members may see): the only
    # cases an import updates.
    own_cases: dict[int, list[dict]] = defaultdict(list)
    case_charges: dict[int, set[int]] = defaultdict(set)
    own_case_ids: list[int] = []
    for chunk in _chunks(person_ids):
        for case in visible_cases.filter(
            **_in("person_id", chunk), owning_organisation=organisation, archived_at__isnull=True
        ).values("pk", "reference", "person_id", *CASE_FIELDS):
            own_cases[case["person_id"]].append(case)
            own_case_ids.append(case["pk"])
    for chunk in _chunks(own_case_ids):
        for case_id, charge_id in Case.charges.through.objects.filter(
            **_in("case_id", chunk)
        ).values_list("case_id", "charge_id"):
            case_charges[case_id].add(charge_id)
    cases_by_id = {case["pk"]: case for cases in own_cases.values() for case in cases}

    new_people: dict[str, list[tuple[int | None, int]]] = defaultdict(list)  # key -> (year, row)
    case_first_row: dict[Any, RowPlan] = {}
    reference_first_row: dict[str, RowPlan] = {}
    for position, row in enumerate(rows, start=1):
        if on_progress and position % 1000 == 0:
            on_progress(position)
        if row.outcome == ERROR:
            continue
        values = row.values
        _row_decide_person(
            row=row,
            candidates=candidates_of[row.row],
            exact=exact_of[row.row],
            people=people,
            person_names=person_names,
            decisions=decisions,
            remembered=remembered.get(row.row_key, {}),
        )
        if row.outcome == POSSIBLE_DUPLICATE:
            continue
        reference = values.get("reference")
        case = own_case(reference) if reference else None
        if case is not None:
            if case["archived_at"] is not None:
                _row_fail(row, names_of["reference"], f"The case {case['reference']} is "
                          "archived; ask a coordinator to restore it first, or leave the "
                          "reference empty to record a new case.")  # fmt: skip
                continue
            if row.person_id is not None and row.person_id != case["person_id"]:
                _row_fail(
                    row, names_of["reference"], f"The case {reference} belongs to another person."
                )
                continue
            row.person_id = case["person_id"]
            row.case_id = case["pk"]
        if row.person_id is None:
            # Two rows of one file with the same name are one person unless both give a
            # birth year and the years differ (namesakes); a row without a year that could
            # be either of two such namesakes is an error rather than a guess.
            earlier_rows = new_people[whole_key_cached(values["full_name"])]
            year = values.get("birth_year")
            same = [
                first
                for first_year, first in earlier_rows
                if year is None or first_year is None or first_year == year
            ]
            if len(same) > 1:
                rows_named = " and ".join(str(first) for first in same)
                _row_fail(row, names_of["birth"], f"Rows {rows_named} name different people "
                          "with this name; give the birth year to say which one.")  # fmt: skip
                continue
            if same:
                row.same_person_as_row = same[0]
            else:
                earlier_rows.append((year, row.row))
        elif row.case_id is None:
            row.case_id = _case_pick(own_cases.get(row.person_id, []), values)
        if reference and row.case_id is None:
            # A reference names one case: a second row giving it to someone else would
            # write two cases with one reference.
            first = reference_first_row.get(reference)
            if first is not None and _person_identity(first) != _person_identity(row):
                _row_fail(row, names_of["reference"], f"Row {first.row} gives the case "
                          f"reference {reference} to another person; a reference names one "
                          "case.")  # fmt: skip
                continue
            reference_first_row.setdefault(reference, row)
        identity = _case_identity(row)
        earlier = case_first_row.get(identity)
        if earlier is not None:
            if _comparable(earlier.values) == _comparable(values):
                row.outcome = UNCHANGED
                row.note = f"Repeats row {earlier.row}."
            else:
                _row_fail(row, names_of["full_name"], f"Row {earlier.row} describes the same "
                          "person and case with different values; keep one of the two rows.")  # fmt: skip
            continue
        case_first_row[identity] = row
        if row.person_id is not None:
            person = people[row.person_id]
            row.matched = {
                "person_id": row.person_id,
                "full_name": person["full_name"],
                "native_name": person["native_name"],
                "birth_year": _person_year(person),
            }
        _row_compare(
            row=row,
            organisation=organisation,
            people=people,
            case=cases_by_id.get(row.case_id) if row.case_id else None,
            existing_charges=case_charges.get(row.case_id, set()) if row.case_id else set(),
            charge_ids=charge_ids,
            place_ids=place_ids,
            column_names=names_of,
        )
        if row.outcome == NEW and reference:
            stored = stored_of[reference]
            if len(stored) > REFERENCE_MAX:
                room = REFERENCE_MAX - len(reference_namespace(organisation))
                _row_fail(row, names_of["reference"], f"The reference has {len(reference)} "
                          f"characters; a new case's reference may have {room} (it is stored "
                          f"after “{reference_namespace(organisation)}”).")  # fmt: skip
                continue
            if stored in references_taken:
                # Only a case the organisation's members may not see can hold a reference in
                # the organisation's own namespace; the case gets a reference of its own.
                values["stored_reference"] = None
                row.note = " ".join(filter(None, [row.note, f"Your reference {reference} is "
                                    "kept in the case note; the case gets a reference of its own."]))  # fmt: skip
                values["summary"] = "\n".join(
                    filter(None, [values.get("summary"), f"Reference: {reference}"])
                )
            else:
                values["stored_reference"] = stored
                row.note = " ".join(
                    filter(None, [row.note, f"Your reference {reference} is recorded as {stored}."])
                )
        if row.outcome in (NEW, UPDATE) and _status_undated(row):
            label = Status(values["status"]).label
            row.note = " ".join(filter(None, [row.note, f"The file gives no date for the status "
                                f"“{label}”: it is recorded as since an unknown date."]))  # fmt: skip
        if values.get("measure_kept") and row.outcome != ERROR:
            used = " and gives the status" if values.get("status_from_measure") else ""
            row.note = " ".join(filter(None, [row.note, f"The measure of restraint "
                                f"“{values['measure_kept']}” is kept in the case note{used}."]))  # fmt: skip
    if on_progress:
        on_progress(len(rows))
    return ImportPlan(
        organisation=organisation,
        rows=rows,
        charge_ids=charge_ids,
        place_ids=place_ids,
        references_taken=references_taken,
    )


def _people_by_keys(*, keys: set[str], people) -> dict[str, set[int]]:
    """Key -> ids of the people (among `people`, those the import may see) that carry it.
    The keys are looked up alone (an index scan), then the few people found are checked for
    visibility, which is cheaper than asking the visibility rule about every key row."""
    found: dict[str, set[int]] = defaultdict(set)
    for chunk in _chunks(sorted(keys)):
        if connection.vendor == "postgresql":
            # One text parameter split by the server instead of thousands of placeholders
            # (or an array the driver builds element by element); keys are folded words and
            # spaces, never a line break.
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT key, person_id FROM {PersonNameKey._meta.db_table} "  # noqa: S608
                    "WHERE key = ANY(string_to_array(%s, E'\\n'))",
                    ["\n".join(chunk)],
                )
                pairs = cursor.fetchall()
        else:
            pairs = PersonNameKey.objects.filter(key__in=chunk).values_list("key", "person_id")
        for key, person_id in pairs:
            found[key].add(person_id)
    person_ids = sorted(set().union(*found.values())) if found else []
    visible: set[int] = set()
    for chunk in _chunks(person_ids):
        visible.update(people.filter(**_in("pk", chunk)).values_list("pk", flat=True))
    return {key: ids & visible for key, ids in found.items() if ids & visible}


def _row_fail(row: RowPlan, column: str, message: str) -> None:
    row.outcome = ERROR
    row.errors.append({"row": row.row, "column": column, "message": message})


def _comparable(values: dict) -> dict:
    return {key: value for key, value in values.items() if value not in (None, "", [])}


def _status_undated(row: RowPlan) -> bool:
    """Whether the row records a status (a new case's, or a change) the file gives no date
    for."""
    status = row.values.get("status")
    if not status or status == Status.UNKNOWN or status_since_for(row.values) is not None:
        return False
    return row.outcome == NEW or "status" in row.case_changes


def _person_identity(row: RowPlan) -> Any:
    if row.person_id is not None:
        return ("person", row.person_id)
    return ("row", row.same_person_as_row or row.row)


def _case_identity(row: RowPlan) -> Any:
    if row.case_id is not None:
        return ("case", row.case_id)
    reference = row.values.get("reference")
    if reference:
        return ("reference", reference)
    return (_person_identity(row), row.values.get("detained_on"))


def _case_pick(cases: list[dict], values: dict) -> int | None:
    """The importing organisation's case of this person that the row describes, if any."""
    if not cases:
        return None
    detained = values.get("detained_on")
    if detained:
        same_date = [case for case in cases if case["detained_on"] == detained]
        if same_date:
            return same_date[0]["pk"]
        if all(case["detained_on"] for case in cases):
            return None  # another episode: a new case of the same person
    return cases[0]["pk"]


def _given_name_written(name: str) -> bool:
    """Whether a name writes out a given name ("Almat Zhumagulov"), not only its initial
    ("Жумагулов А.", "Zhumagulov"): only such a name can match a recorded one for certain."""
    return bool(name_parts_cached(name).given)


def _row_decide_person(
    *,
    row: RowPlan,
    candidates: set[int],
    exact: set[int],
    people: dict,
    person_names: dict,
    decisions: dict,
    remembered: dict[int, str],
) -> None:
    # A person the organisation said this row is not, in an earlier import, is no candidate.
    candidates = {
        person_id
        for person_id in candidates
        if remembered.get(person_id) != ImportMatchDecision.Choice.NEW
    }
    if not candidates:
        return
    decision = decisions.get(str(row.row)) or {}
    remembered_same = sorted(
        person_id
        for person_id in candidates
        if remembered.get(person_id) == ImportMatchDecision.Choice.SAME
    )
    if remembered_same and not decision:
        row.person_id = remembered_same[0]
        row.note = "Same person, as your organisation chose in an earlier import."
        return
    incoming = _row_names(row.values)
    year = row.values.get("birth_year")
    # An initial for the given name ("Жумагулов А.") fits every namesake with that
    # initial: at most a possible duplicate, for the user to decide.
    given_written = any(_given_name_written(name) for name in incoming)
    # The same words as a recorded name, and no patronymic that could tell namesakes apart:
    # the names module would score it 1.0, so do not spend the time asking it.
    no_patronymic = not any(_has_patronymic(name) for name in incoming)
    scored = []
    for person_id in candidates:
        if person_id in exact and no_patronymic and given_written:
            score = 1.0
        else:
            score = max(
                (names.name_match_score(a, b) for a in incoming for b in person_names[person_id]),
                default=0.0,
            )
        scored.append((score, person_id))
    scored.sort(key=lambda item: (-item[0], item[1]))
    certain = []
    for score, person_id in scored:
        if not given_written:
            # An initial fits every namesake with that initial, so only a record written
            # with the initial too (say, the person an earlier import of this row made) can
            # be this row for certain; the names module scores initials 0.95 at best.
            if any(_given_name_written(name) for name in person_names[person_id]):
                continue
            score = 1.0 if score >= 0.95 else score
        existing_year = _person_year(people[person_id])
        years_agree = year is not None and existing_year is not None and year == existing_year
        years_open = year is None or existing_year is None
        if (score >= 1.0 and (years_agree or years_open)) or (score >= 0.95 and years_agree):
            certain.append(person_id)
    best_score, best_id = scored[0]
    if len(certain) == 1 and not decision:
        row.person_id = certain[0]
        return
    if best_score < NAME_MATCH_THRESHOLD and not certain:
        return
    offered = certain[0] if certain else best_id
    if decision.get("choice") == "same" and decision.get("person_id") in candidates:
        row.person_id = decision["person_id"]
        row.note = "Same person, as chosen."
        row.decided = (ImportMatchDecision.Choice.SAME, row.person_id)
        return
    if decision.get("choice") == "new":
        row.note = "New person, as chosen."
        ruled_out = decision.get("person_id")
        if ruled_out in candidates:
            row.decided = (ImportMatchDecision.Choice.NEW, ruled_out)
        return
    person = people[offered]
    row.outcome = POSSIBLE_DUPLICATE
    row.candidate = {
        "person_id": offered,
        "full_name": person["full_name"],
        "native_name": person["native_name"],
        "birth_year": _person_year(person),
        "region": person["region"],
        "organisation": person["owning_organisation__name"],
        "score": round(best_score, 2),
    }


def _row_compare(
    *,
    row: RowPlan,
    organisation: Organisation,
    people: dict,
    case: dict | None,
    existing_charges: set[int],
    charge_ids: dict,
    place_ids: dict,
    column_names: dict[str, str],
) -> None:
    values = row.values
    if row.person_id is not None:
        person = people[row.person_id]
        # Only the importing organisation's own people change; anyone else's is linked as is.
        if person["owning_organisation_id"] == organisation.pk:
            for key in PERSON_FIELDS:
                new = values.get(key)
                if new in (None, "") or new == person[key]:
                    continue
                if key == "native_name" and person[key]:
                    continue  # a second spelling does not replace the recorded one
                if (
                    key == "birth_year"
                    and person["birth_date"]
                    and person["birth_date"].year == new
                ):
                    continue
                row.person_changes[key] = (person[key], new)
    if case is None:
        row.outcome = NEW
        return
    row.case_id = case["pk"]
    incoming = _case_values(values, place_ids)
    for key, new in incoming.items():
        if new in (None, "") or new == case[key]:
            continue
        if key == "status" and new == Status.UNKNOWN:
            continue
        row.case_changes[key] = (case[key], new)
    detained = row.case_changes.get("detained_on", (None, case["detained_on"]))[1]
    released = row.case_changes.get("released_on", (None, case["released_on"]))[1]
    if detained and released and released < detained:
        _row_fail(
            row,
            column_names["released_on"],
            "The date of release would be before the date of detention.",
        )
        return
    row.charges_added = [
        reference
        for reference in values.get("charges", [])
        if charge_ids.get(reference) not in existing_charges
    ]
    changed = row.person_changes or row.case_changes or row.charges_added
    row.outcome = UPDATE if changed else UNCHANGED


def _case_values(values: dict, place_ids: dict) -> dict[str, Any]:
    place = values.get("detention_place")
    return {
        "status": values.get("status") or "",
        "detained_on": values.get("detained_on"),
        "sentenced_on": values.get("sentenced_on"),
        "released_on": values.get("released_on"),
        "sentence": values.get("sentence") or "",
        # A place not yet in the vocabulary is a change, resolved to an id when written.
        "detention_place_id": place_ids.get(word_normalise(place), place) if place else None,
        "summary": values.get("summary") or "",
    }


def _charges_resolve(rows: list[RowPlan]) -> dict[ChargeReference, int]:
    references = {ref for row in rows for ref in row.values.get("charges", [])}
    if not references:
        return {}
    articles = sorted({ref.article for ref in references})
    existing = list(
        Charge.objects.filter(jurisdiction="KZ", article__in=articles).values_list(
            "pk", "code", "article", "part"
        )
    )
    exact = {(code, article, part): pk for pk, code, article, part in existing}
    by_article: dict[tuple[str, str], list[int]] = defaultdict(list)
    for pk, code, article, _part in existing:
        by_article[(code, article)].append(pk)
    resolved = {}
    for ref in references:
        pk = exact.get((ref.code, ref.article, ref.part))
        if pk is None and not ref.part and len(by_article.get((ref.code, ref.article), [])) == 1:
            pk = by_article[(ref.code, ref.article)][0]
        if pk is not None:
            resolved[ref] = pk
    return resolved


def status_since_for(values: dict) -> datetime.date | None:
    """The date the row's status started, from the row's own dates where they say it, or
    None: unknown. Never the import's day, which would date a years-old release today and
    put every imported case among the dashboard's recent status changes."""
    status = values.get("status")
    if status in (Status.RELEASED, Status.ACQUITTED) and values.get("released_on"):
        return values["released_on"]
    if status == Status.IMPRISONED and values.get("sentenced_on"):
        return values["sentenced_on"]
    if status in (Status.PRETRIAL_DETENTION, Status.HOUSE_ARREST) and values.get("detained_on"):
        return values["detained_on"]
    return None
