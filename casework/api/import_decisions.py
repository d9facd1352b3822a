"""The API's answers to an import preview's question "is this row a person already on
file?": the rows that ask it, each with the people it may be (only those the user may see,
by casework.visibility, and only their names and birth year), and the answers a script
gives, checked against those rows before casework.importing.runs.import_run_decide records
them, as the preview page's choices are recorded."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

from casework.visibility import people_visible_to

DECISIONS_SHAPE = _(
    "Give a list of decisions, each a row and a person: the id of one of the row’s "
    "candidates, or “new”."
)
NO_QUESTION = _("This row asks no question about who the person is.")
NOT_A_CANDIDATE = _(
    "Person %(person)s is not one of this row’s candidates: give one of them, or “new”."
)
DECIDED_TWICE = _("This row is decided twice.")


@dataclass(frozen=True)
class Question:
    """A row that may be a person on file. offered: the candidate the preview offers (the
    page's "same person as"), recorded as ruled out by the answer "new"; shown: the row as
    the API lists it, with the candidates the user may see."""

    offered: int
    shown: dict[str, Any]

    @property
    def candidate_ids(self) -> set[int]:
        return {candidate["id"] for candidate in self.shown["candidates"]}


def import_questions(*, preview: dict[str, Any] | None, user) -> dict[int, Question]:
    """The rows of a preview (casework.importing.preview.preview_from_plan) that wait for
    the user's answer, by row. A large file's preview may have been planned for the user
    who uploaded it: candidates are checked against this user's view again."""
    duplicates = [row for row in (preview or {}).get("duplicates", []) if row.get("candidate")]
    offered = {row["candidate"]["person_id"] for row in duplicates}
    visible = set(
        people_visible_to(user).filter(pk__in=offered).values_list("pk", flat=True)
        if offered
        else []
    )
    questions = {}
    for row in duplicates:
        candidate = row["candidate"]
        candidates = [
            {
                "id": candidate["person_id"],
                "full_name": candidate["full_name"],
                "native_name": candidate["native_name"] or "",
                "birth_year": candidate["birth_year"],
                "score": candidate["score"],
            }
        ]
        questions[row["row"]] = Question(
            offered=candidate["person_id"],
            shown={
                "row": row["row"],
                "full_name": row["full_name"],
                "native_name": row["native_name"] or "",
                "birth_year": row["birth_year"],
                "candidates": [one for one in candidates if one["id"] in visible],
            },
        )
    return questions


def _entry_read(entry: Any) -> tuple[int, int | str] | None:
    """(row, person id or "new"), or None for an entry of another shape."""
    if not isinstance(entry, Mapping):
        return None
    row, person = entry.get("row"), entry.get("person")
    # bool is an int to Python, never a row or a person here.
    if type(row) is not int or not (person == "new" or type(person) is int):
        return None
    return row, person


def decisions_checked(*, data: Any, questions: dict[int, Question]) -> dict[str, dict]:
    """A request's answers ({"decisions": [{"row": 7, "person": 123 or "new"}]}) as
    import_run_decide records them. Raises ValidationError naming each wrong row (one that
    asks nothing, or a person who is not among its candidates); then nothing is recorded."""
    entries = data.get("decisions") if isinstance(data, Mapping) else None
    read = [_entry_read(entry) for entry in entries] if isinstance(entries, list) else []
    if not read or None in read:
        raise ValidationError({"decisions": [DECISIONS_SHAPE]})
    decisions: dict[str, dict] = {}
    errors: dict[str, list[str]] = {}
    for row, person in (entry for entry in read if entry is not None):
        question = questions.get(row)
        where = f"row {row}"
        if question is None:
            errors.setdefault(where, []).append(str(NO_QUESTION))
        elif str(row) in decisions:
            errors.setdefault(where, []).append(str(DECIDED_TWICE))
        elif person == "new":
            decisions[str(row)] = {"choice": "new", "person_id": question.offered}
        elif person in question.candidate_ids:
            decisions[str(row)] = {"choice": "same", "person_id": person}
        else:
            errors.setdefault(where, []).append(str(NOT_A_CANDIDATE % {"person": person}))
    if errors:
        raise ValidationError(errors)
    return decisions
