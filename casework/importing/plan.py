"""What an import will do, row by row: the plan casework.importing.matching makes, the
preview shows and casework.importing.writing writes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from casework.importing.charges import ChargeReference
from casework.models import Organisation

NEW = "new"
UPDATE = "update"
UNCHANGED = "unchanged"
POSSIBLE_DUPLICATE = "possible_duplicate"
ERROR = "error"

# The preview lists this many rows (and the errors and possible duplicates further down);
# only these rows keep the cells their values were read from.
PREVIEW_ROWS_SHOWN = 500


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
    # The earlier row of the same case this row's charges were added to (its other cells
    # say what that row says); the row itself writes nothing.
    charges_to_row: int | None = None
    # The row directly above, whose cells this row's blank ones are read as (a charge listed
    # on a row of its own under its person's row: casework.importing.continuation).
    continues_row: int | None = None
    # A status the row dates before its case's current one, recorded in the timeline at its
    # date: (status, date, the date's precision, the current status, which stays).
    status_past: tuple[str, datetime.date, str, str] | None = None
    candidate: dict[str, Any] | None = None
    # The recorded person the row is (shown on the preview, so the user can tell).
    matched: dict[str, Any] | None = None
    note: str = ""
    # The row's name and birth year as a key (row_identity_key), and the choice this run
    # makes about a recorded person ("same" | "new", person id), remembered when written.
    row_key: str = ""
    decided: tuple[str, int] | None = None
    # Field -> the cell as written, for the preview to show beside what was read (the rows
    # the preview lists only).
    written: dict[str, str] | None = None


@dataclass
class ImportPlan:
    organisation: Organisation
    rows: list[RowPlan]
    charge_ids: dict[ChargeReference, int]
    place_ids: dict[str, int]
    # References any case holds now, among those this plan would give its new cases.
    references_taken: set[str] = field(default_factory=set)
    # Region key (casework.vocabularies) -> the name of the entry it matches.
    region_names: dict[str, str] = field(default_factory=dict)
    # The file writes dates such as 05/03/2022 and nothing in it tells which is the day.
    dates_ambiguous: bool = False

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [error for row in self.rows for error in row.errors]

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    def people_counts(self) -> tuple[int, int]:
        """Of the new cases: how many people are new, and how many recorded people are
        linked to a new case of the importing organisation."""
        new_people = sum(
            1
            for row in self.rows
            if row.outcome == NEW and row.person_id is None and row.same_person_as_row is None
        )
        linked = {row.person_id for row in self.rows if row.outcome == NEW and row.person_id}
        return new_people, len(linked)

    def summary(self) -> dict[str, Any]:
        new_people, linked_people = self.people_counts()
        return {
            "new": self.count(NEW),
            "new_cases": self.count(NEW),
            "new_people": new_people,
            "linked_people": linked_people,
            "updated": self.count(UPDATE),
            "unchanged": self.count(UNCHANGED),
            "possible_duplicates": self.count(POSSIBLE_DUPLICATE),
            "errors": self.errors,
        }
