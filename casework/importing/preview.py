"""What the preview page shows of a plan, as plain JSON-ready data in the user's words: a
large file's plan is made once in the background and kept (casework.importing.runs), and
the page only reads it.

Every row says what will happen ("Known person — new case for your organisation", not a
bare "New"), what changes in human labels ("Status: Pre-trial detention → Imprisoned",
"Detention place: ИК-158/2, Petropavlovsk"), and for the rows that create records, what
was read from which cell; the status words nothing knows are grouped for the user to
choose what each means, once.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casework.importing.charges import charge_shown
from casework.importing.dates import DAY
from casework.importing.plan import (
    ERROR,
    NEW,
    POSSIBLE_DUPLICATE,
    PREVIEW_ROWS_SHOWN,
    UNCHANGED,
    UPDATE,
    ImportPlan,
    RowPlan,
)
from casework.importing.rows import date_written
from casework.models import DetentionPlace, Person, Status
from casework.names import fold_token, name_parts, normalise_name

# Errors and possible duplicates further down are listed too, up to this many: a page of
# tens of thousands of rows helps nobody (the error report lists every error).
PREVIEW_MORE_SHOWN = 1000


def _outcome_label(row: RowPlan) -> str:
    if row.outcome == NEW:
        if row.matched:
            return _("Known person — new case for your organisation")
        if row.same_person_as_row:
            return _("New case of the new person in row %(row)s") % {"row": row.same_person_as_row}
        return _("New person")
    if row.outcome == UNCHANGED and row.continues_row:
        return _("Continues row %(row)s") % {"row": row.continues_row}
    if row.outcome == UNCHANGED and row.charges_to_row:
        return _("Charges added to the case of row %(row)s") % {"row": row.charges_to_row}
    return {
        UPDATE: _("Update"),
        UNCHANGED: _("Unchanged"),
        POSSIBLE_DUPLICATE: _("Possible duplicate"),
        ERROR: _("Error"),
    }[row.outcome]


def _field_labels() -> dict[str, str]:
    return {
        "status": _("Status"),
        "detained_on": _("Detained on"),
        "sentenced_on": _("Sentenced on"),
        "released_on": _("Released on"),
        "sentence": _("Sentence"),
        "detention_place_id": _("Detention place"),
        "summary": _("Note"),
        "native_name": _("Name in native script"),
        "birth_date": _("Birth date"),
        "birth_year": _("Year of birth"),
        "gender": _("Gender"),
        "region": _("Region"),
        "occupation": _("Occupation"),
    }


def _shown(key: str, value: Any, places: dict[int, str]) -> str:
    """A value as a person reads it: labels for codes, names for ids, dates in words."""
    if value in (None, ""):
        return "—"
    if key == "status":
        return str(Status(value).label)
    if key == "gender":
        return str(Person.Gender(value).label) if value in Person.Gender.values else value
    if key == "occupation":
        return str(Person.Occupation(value).label) if value in Person.Occupation.values else value
    if key == "detention_place_id":
        # An id of an entry, or the name of a place the import will propose.
        return places.get(value, str(value)) if isinstance(value, int) else str(value)
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    text = " ".join(str(value).split())
    return f"{text[:120]}…" if len(text) > 120 else text


def _name_shown(full_name: str) -> str:
    """ "Almat Zhumagulov (family name: Zhumagulov)", when the names module tells."""
    family = name_parts(full_name).family
    for word in full_name.split():
        if family and fold_token(normalise_name(word).replace(" ", "")) == family:
            return _("%(name)s (family name: %(family)s)") % {"name": full_name, "family": word}
    return full_name


def _read_shown(row: RowPlan) -> list[dict[str, str]]:
    """For a row that creates records: what was read from which cell."""
    written, values = row.written or {}, row.values
    read = []
    if "full_name" in written:
        read.append(
            {
                "field": _("Name"),
                "written": written["full_name"],
                "read": _name_shown(values.get("full_name", "")),
            }
        )
    if written.get("birth"):
        birth = values.get("birth_date") or values.get("birth_year")
        shown = (
            date_format(birth, "SHORT_DATE_FORMAT")
            if isinstance(birth, datetime.date)
            else str(birth)
        )
        read.append({"field": _("Born"), "written": written["birth"], "read": shown or "—"})
    if written.get("charges"):
        charges = [charge_shown(ref) for ref in values.get("charges", [])]
        read.append(
            {"field": _("Charges"), "written": written["charges"], "read": ", ".join(charges)}
        )
    if written.get("detained_on"):
        detained = values.get("detained_on")
        shown = (
            date_written(detained, values.get("detained_on_precision", DAY)) if detained else "—"
        )
        read.append({"field": _("Detained on"), "written": written["detained_on"], "read": shown})
    if written.get("status"):
        status = values.get("status")
        read.append(
            {
                "field": _("Status"),
                "written": written["status"],
                "read": str(Status(status).label) if status else "—",
            }
        )
    return read


def _changes_shown(row: RowPlan, places: dict[int, str]) -> list[str]:
    labels = _field_labels()
    changes = [
        f"{labels.get(key, key)}: {_shown(key, old, places)} → {_shown(key, new, places)}"
        for key, (old, new) in {**row.person_changes, **row.case_changes}.items()
    ]
    changes += [
        _("Charge added: art. %(article)s") % {"article": ref.article}
        + (_(" part %(part)s") % {"part": ref.part} if ref.part else "")
        for ref in row.charges_added
    ]
    if row.status_past is not None:
        status, on, precision, current = row.status_past
        changes.append(
            _(
                "Status %(status)s: recorded in the timeline at %(date)s; the current status "
                "stays %(current)s"
            )
            % {
                "status": Status(status).label,
                "date": date_written(on, precision),
                "current": Status(current).label,
            }
        )
    return changes


def _dates_read(row: RowPlan) -> list[str]:
    """How each date that could be read two ways was read."""
    return [
        _("%(written)s read as %(date)s")
        % {"written": written, "date": date_format(value, "DATE_FORMAT")}
        for _key, written, value, _order in row.values.get("dates_read", [])
    ]


def _row_display(row: RowPlan, places: dict[int, str]) -> dict[str, Any]:
    values = row.values
    return {
        "row": row.row,
        "outcome": row.outcome,
        "outcome_label": _outcome_label(row),
        "full_name": values.get("full_name", ""),
        "native_name": values.get("native_name", ""),
        "birth_year": values.get("birth_year"),
        "region": values.get("region", ""),
        "status": str(Status(values["status"]).label) if values.get("status") else "",
        "errors": row.errors,
        "changes": _changes_shown(row, places),
        "read": _read_shown(row) if row.outcome == NEW else [],
        "dates_read": _dates_read(row),
        "note": row.note,
        "candidate": row.candidate,
        "matched": row.matched,
    }


def _places_named(rows: list[RowPlan]) -> dict[int, str]:
    """The names (and regions) of the detention places the shown changes name, in one
    query: "ИК-158/2, Petropavlovsk"."""
    ids = {
        value
        for row in rows
        for key, change in row.case_changes.items()
        if key == "detention_place_id"
        for value in change
        if isinstance(value, int)
    }
    if not ids:
        return {}
    return {
        pk: f"{name}, {region}" if region else name
        for pk, name, region in DetentionPlace.objects.filter(pk__in=ids).values_list(
            "pk", "name", "region"
        )
    }


def unknown_words(plan: ImportPlan) -> list[dict[str, Any]]:
    """The status words nothing knows, each once, with how many rows write it."""
    found: dict[str, dict[str, Any]] = {}
    rows_of: dict[str, set[int]] = defaultdict(set)
    for error in plan.errors:
        word = error.get("word")
        if word:
            found.setdefault(word, {"word": word, "written": error.get("written", word)})
            rows_of[word].add(error["row"])
    return [
        {
            **found[word],
            "rows": len(rows_of[word]),
            "rows_label": ngettext("%(count)d row", "%(count)d rows", len(rows_of[word]))
            % {"count": len(rows_of[word])},
        }
        for word in sorted(found, key=lambda word: (-len(rows_of[word]), word))
    ]


def preview_from_plan(plan: ImportPlan) -> dict[str, Any]:
    """The rows the page lists (the first PREVIEW_ROWS_SHOWN, and every error and possible
    duplicate), the side-by-side choices, the unknown status words, whether dates need an
    answer, and how many rows are not listed."""
    listed: list[RowPlan] = []
    more = 0
    for position, row in enumerate(plan.rows):
        if position >= PREVIEW_ROWS_SHOWN and row.outcome in (ERROR, POSSIBLE_DUPLICATE):
            more += 1
        if position < PREVIEW_ROWS_SHOWN or (
            row.outcome in (ERROR, POSSIBLE_DUPLICATE) and more <= PREVIEW_MORE_SHOWN
        ):
            listed.append(row)
    places = _places_named(listed)
    shown = [_row_display(row, places) for row in listed]
    return {
        "rows": shown,
        "rows_hidden": len(plan.rows) - len(shown),
        "duplicates": [row for row in shown if row["outcome"] == POSSIBLE_DUPLICATE],
        "unknown_words": unknown_words(plan),
        "dates_ambiguous": plan.dates_ambiguous,
        "rows_valid": sum(1 for row in plan.rows if row.outcome != ERROR),
        "rows_invalid": sum(1 for row in plan.rows if row.outcome == ERROR),
    }


EMPTY_PREVIEW: dict[str, Any] = {
    "rows": [],
    "rows_hidden": 0,
    "duplicates": [],
    "unknown_words": [],
    "dates_ambiguous": False,
    "rows_valid": 0,
    "rows_invalid": 0,
}
