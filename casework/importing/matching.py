"""What each row of a partner's sheet will do: new, update, unchanged, possible duplicate or
error. Reads only; every lookup is a bulk query over all rows, never one per row.

Candidates come only from the people and cases that both the importing user and every
member of the target organisation may see (casework.importing.audience, which asks
casework.visibility), and only records owned by the target organisation are ever updated,
so a file cannot read or change another organisation's records, nor link a partner's row to
a person the partner may not see. Case references are the organisation's own
(casework.importing.references).

import_plan_build takes its steps in turn: load what the rows may refer to (vocabularies,
references, candidate people and their cases, earlier answers), then settle each row: who
it is, which case, whether the file already said it, and what it changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from casework.importing.audience import import_cases_visible, import_people_visible
from casework.importing.candidates import (
    PERSON_FIELDS,
    Candidates,
    candidates_find,
    people_load,
    person_year,
    remembered_decisions,
    row_decide_person,
    row_identity_key,
    whole_key_cached,
)
from casework.importing.case_matching import (
    case_pick,
    case_values,
    charges_merge,
    charges_new,
    charges_resolved,
    continuation_merge,
    field_differing,
    own_cases_load,
    row_facts,
    status_place,
    vaguer_dates_dropped,
)
from casework.importing.charges import ChargeReference
from casework.importing.mapping import FIELDS_BY_KEY
from casework.importing.plan import (
    ERROR,
    NEW,
    POSSIBLE_DUPLICATE,
    UNCHANGED,
    UPDATE,
    ImportPlan,
    RowPlan,
)
from casework.importing.references import (
    REFERENCE_MAX,
    FileReferences,
    file_references_find,
    reference_namespace,
)
from casework.importing.row_notes import note_add, row_notes
from casework.importing.status_events import (
    TimelineFactRow,
    timeline_facts_load,
)
from casework.models import Organisation, Status
from casework.visibility import AnyUser
from casework.vocabularies import (
    DETENTION_PLACE,
    REGION,
    vocabulary_index,
    vocabulary_key,
)


@dataclass
class _Planning:
    """What settling one row needs: everything loaded for the whole file, and what earlier
    rows of the file settled."""

    organisation: Organisation
    column_names: dict[str, str]
    decisions: dict[str, dict[str, Any]]
    charge_ids: dict[ChargeReference, int]
    place_ids: dict[str, int]
    region_names: dict[str, str]
    references: FileReferences
    candidates: Candidates
    # Row key -> {person id: "same" | "new"}: the organisation's earlier answers.
    remembered: dict[str, dict[int, str]]
    people: dict[int, Mapping[str, Any]]
    person_names: dict[int, list[str]]
    # Person id -> the organisation's cases of that person (the only cases an import updates).
    own_cases: dict[int, list[dict[str, Any]]]
    # Case id -> its charges: charge id -> (code, article).
    case_charges: dict[int, dict[int, tuple[str, str]]]
    # Case id -> its events, as the timeline rule reads them.
    case_events: dict[int, list[TimelineFactRow]]
    # Settled by earlier rows: new people by whole-name key ([(birth year, row)]), the first
    # row of each case, the first row giving each reference.
    new_people: dict[str, list[tuple[int | None, int]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    case_first_row: dict[Any, RowPlan] = field(default_factory=dict)
    # Row number -> the case identity (_case_identity) it was settled under, and each row by
    # its number: a continuation row is pinned to the case of the row it continues.
    case_of_row: dict[int, Any] = field(default_factory=dict)
    rows_by_number: dict[int, RowPlan] = field(default_factory=dict)
    regions_first: dict[str, str] = field(default_factory=dict)
    reference_first_row: dict[str, RowPlan] = field(default_factory=dict)

    @property
    def cases_by_id(self) -> dict[int, dict[str, Any]]:
        return {case["pk"]: case for cases in self.own_cases.values() for case in cases}


def import_plan_build(
    *,
    rows: list[RowPlan],
    organisation: Organisation,
    user: AnyUser,
    column_names: dict[str, str] | None = None,
    decisions: dict[str, dict[str, Any]] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ImportPlan:
    """Decide what each parsed row does. Pure reads, a bounded number of queries."""
    planning = _planning_load(
        rows=rows,
        organisation=organisation,
        user=user,
        column_names=column_names or {key: field.label for key, field in FIELDS_BY_KEY.items()},
        decisions=decisions or {},
    )
    planning.rows_by_number = {row.row: row for row in rows}
    cases_by_id = planning.cases_by_id
    language = get_language()  # asked once: the notes of every row are in it
    for position, row in enumerate(rows, start=1):
        if on_progress and position % 1000 == 0:
            on_progress(position)
        if row.outcome != ERROR:
            _row_settle(row=row, planning=planning, cases_by_id=cases_by_id, language=language)
    if on_progress:
        on_progress(len(rows))
    return ImportPlan(
        organisation=organisation,
        rows=rows,
        charge_ids=planning.charge_ids,
        place_ids=planning.place_ids,
        references_taken=planning.references.taken,
        region_names=planning.region_names,
    )


def _planning_load(
    *,
    rows: list[RowPlan],
    organisation: Organisation,
    user: AnyUser,
    column_names: dict[str, str],
    decisions: dict[str, dict[str, Any]],
) -> _Planning:
    """Everything the rows may refer to, read in bulk for all of them."""
    valid = [row for row in rows if row.outcome != ERROR]
    visible_people = import_people_visible(user=user, organisation=organisation)
    visible_cases = import_cases_visible(user=user, organisation=organisation)
    references = file_references_find(
        rows=valid, organisation=organisation, visible_cases=visible_cases
    )
    candidates = candidates_find(
        rows=valid, people=visible_people, person_of_reference=references.person_of_reference()
    )
    # A remembered answer is about a recorded person, so only rows with someone to be the
    # same as need their key (most rows of a large file have nobody).
    with_candidates = [row for row in valid if candidates.candidates_of[row.row]]
    for row in with_candidates:
        row.row_key = row_identity_key(row.values)
    person_ids = sorted(set().union(*candidates.candidates_of.values())) if valid else []
    people, person_names = people_load(person_ids=person_ids)
    own_cases, case_charges = own_cases_load(
        person_ids=person_ids, organisation=organisation, visible_cases=visible_cases
    )
    return _Planning(
        organisation=organisation,
        column_names=column_names,
        decisions=decisions,
        charge_ids=charges_resolved(valid, organisation=organisation),
        place_ids=vocabulary_index(kind=DETENTION_PLACE, organisation=organisation),
        region_names=vocabulary_index(kind=REGION, organisation=organisation, value="name"),
        references=references,
        candidates=candidates,
        remembered=remembered_decisions(rows=with_candidates, organisation=organisation),
        people=people,
        person_names=person_names,
        own_cases=own_cases,
        case_charges=case_charges,
        case_events=timeline_facts_load(
            case_ids=[case["pk"] for cases in own_cases.values() for case in cases]
        ),
    )


def _row_settle(
    *,
    row: RowPlan,
    planning: _Planning,
    cases_by_id: dict[int, dict[str, Any]],
    language: str | None,
) -> None:
    """Settle one valid row, in the file's order: who, which case, and what it changes."""
    region = row.values.get("region")
    if region:
        # Written as the region entry it matches is called ("г. Уральск" -> "Uralsk"); a
        # region no entry has, as the file first writes it (the organisation's proposal).
        key = vocabulary_key(kind=REGION, text=region)
        row.values["region"] = planning.region_names.get(key) or planning.regions_first.setdefault(
            key, region
        )
    if row.continues_row is not None:
        _row_continuation_settle(row=row, planning=planning)
        return
    row_decide_person(
        row=row,
        candidates=planning.candidates,
        remembered=planning.remembered.get(row.row_key, {}),
        decision=planning.decisions.get(str(row.row)) or {},
        people=planning.people,
        person_names=planning.person_names,
    )
    if row.outcome == POSSIBLE_DUPLICATE:
        return
    if not _row_case_by_reference(row=row, planning=planning):
        return
    if row.person_id is None:
        if not _row_new_person(row=row, planning=planning):
            return
    elif row.case_id is None:
        row.case_id = case_pick(planning.own_cases.get(row.person_id, []), row.values)
    if not _row_reference_once(row=row, planning=planning):
        return
    if not _row_case_once(row=row, planning=planning):
        return
    if row.person_id is not None:
        person = planning.people[row.person_id]
        row.matched = {
            "person_id": row.person_id,
            "full_name": person["full_name"],
            "native_name": person["native_name"],
            "birth_year": person_year(person),
        }
    _row_compare(
        row=row,
        organisation=planning.organisation,
        people=planning.people,
        case=cases_by_id.get(row.case_id) if row.case_id else None,
        existing_charges=planning.case_charges.get(row.case_id, {}) if row.case_id else {},
        case_events=planning.case_events.get(row.case_id, []) if row.case_id else [],
        charge_ids=planning.charge_ids,
        place_ids=planning.place_ids,
        column_names=planning.column_names,
    )
    if (
        row.outcome == NEW
        and row.values.get("reference")
        and not _row_new_reference(row=row, planning=planning)
    ):
        return
    row_notes(row, language=language)


def _row_case_by_reference(*, row: RowPlan, planning: _Planning) -> bool:
    """Link the row to the organisation's case its reference names; False if it may not."""
    reference = row.values.get("reference")
    case = planning.references.own_case(reference) if reference else None
    if case is None:
        return True
    names_of = planning.column_names
    if case["archived_at"] is not None:
        _row_fail(
            row,
            names_of["reference"],
            _(
                "The case %(reference)s is archived; ask a coordinator to restore it "
                "first, or leave the reference empty to record a new case."
            )
            % {"reference": case["reference"]},
        )
        return False
    if row.person_id is not None and row.person_id != case["person_id"]:
        _row_fail(
            row,
            names_of["reference"],
            _("The case %(reference)s belongs to another person.") % {"reference": reference},
        )
        return False
    row.person_id = case["person_id"]
    row.case_id = case["pk"]
    return True


def _row_new_person(*, row: RowPlan, planning: _Planning) -> bool:
    """Two rows of one file with the same name are one person unless both give a birth year
    and the years differ (namesakes); a row without a year that could be either of two such
    namesakes is an error rather than a guess."""
    earlier_rows = planning.new_people[whole_key_cached(row.values["full_name"])]
    year = row.values.get("birth_year")
    same = [
        first
        for first_year, first in earlier_rows
        if year is None or first_year is None or first_year == year
    ]
    if len(same) > 1:
        rows_named = ", ".join(str(first) for first in same)
        _row_fail(
            row,
            planning.column_names["birth"],
            _(
                "Rows %(rows)s name different people with this name; give the birth year "
                "to say which one."
            )
            % {"rows": rows_named},
        )
        return False
    if same:
        row.same_person_as_row = same[0]
    else:
        earlier_rows.append((year, row.row))
    return True


def _row_reference_once(*, row: RowPlan, planning: _Planning) -> bool:
    """A reference names one case: a second row giving it to someone else would write two
    cases with one reference."""
    reference = row.values.get("reference")
    if not reference or row.case_id is not None:
        return True
    first = planning.reference_first_row.get(reference)
    if first is not None and _person_identity(first) != _person_identity(row):
        _row_fail(
            row,
            planning.column_names["reference"],
            _(
                "Row %(row)s gives the case reference %(reference)s to another person; a "
                "reference names one case."
            )
            % {"row": first.row, "reference": reference},
        )
        return False
    planning.reference_first_row.setdefault(reference, row)
    return True


def _row_case_once(*, row: RowPlan, planning: _Planning) -> bool:
    """A row describing a case an earlier row of the file described: unchanged if it says
    the same, its charges added to that row's case if it says the same but for them, an
    error if it says something else."""
    identity = _case_identity(row)
    if row.continues_row is not None:
        # Its blank cells are the row above's: its case is that row's, whatever else it says.
        identity = planning.case_of_row.get(row.continues_row, identity)
    planning.case_of_row[row.row] = identity
    earlier = planning.case_first_row.get(identity)
    if earlier is None:
        planning.case_first_row[identity] = row
        return True
    if row.continues_row is not None:
        continuation_merge(
            first=earlier,
            row=row,
            existing_charges=planning.case_charges.get(earlier.case_id or 0, {}),
            charge_ids=planning.charge_ids,
            column_names=planning.column_names,
        )
    elif row_facts(earlier.values) == row_facts(row.values):
        if earlier.outcome == ERROR and row.values.get("charges"):
            # Its charges would be lost with the first row skipped.
            _row_fail(
                row,
                planning.column_names["charges"],
                _(
                    "Row %(row)s describes the same person and case and has an error; "
                    "once it is corrected, this row's charges are added to that case."
                )
                % {"row": earlier.row},
            )
        elif not charges_merge(
            first=earlier,
            row=row,
            existing_charges=planning.case_charges.get(earlier.case_id or 0, {}),
            charge_ids=planning.charge_ids,
        ):
            row.outcome = UNCHANGED
            row.note = _("Repeats row %(row)s.") % {"row": earlier.row}
    else:
        _row_fail(
            row,
            planning.column_names[field_differing(earlier.values, row.values)],
            _(
                "Row %(row)s describes the same person and case with different values; "
                "keep one of the two rows."
            )
            % {"row": earlier.row},
        )
    return False


def _row_continuation_settle(*, row: RowPlan, planning: _Planning) -> None:
    """A continuation row (casework.importing.continuation): its blank cells said its person
    and case are the row's above, so they are, and its charges go to that case; it is not
    matched again (a different birth it writes is an error at it, not a namesake). Of a row
    above that has not settled as a case (an error, a possible duplicate to answer), it
    settles nothing: its charges would be left without their case."""
    above = planning.rows_by_number[cast(int, row.continues_row)]
    if above.outcome in (ERROR, POSSIBLE_DUPLICATE):
        if above.outcome == ERROR:
            message = _(
                "This row continues row %(row)s, which has an error; once it is corrected, "
                "this row's charges are added to its case."
            )
        else:
            message = _(
                "This row continues row %(row)s: once you have said who the person of row "
                "%(row)s is, this row's charges are added to that case."
            )
        _row_fail(row, planning.column_names["charges"], message % {"row": above.row})
        return
    row.person_id, row.case_id = above.person_id, above.case_id
    row.same_person_as_row = above.same_person_as_row or (None if above.person_id else above.row)
    _row_case_once(row=row, planning=planning)


def _row_new_reference(*, row: RowPlan, planning: _Planning) -> bool:
    """The reference a new case will be stored under; False if it cannot have one."""
    values = row.values
    reference = values["reference"]
    stored = planning.references.stored_of[reference]
    namespace = reference_namespace(planning.organisation)
    if len(stored) > REFERENCE_MAX:
        _row_fail(
            row,
            planning.column_names["reference"],
            _(
                "The reference has %(length)s characters; a new case's reference may "
                "have %(limit)s (it is stored after “%(namespace)s”)."
            )
            % {
                "length": len(reference),
                "limit": REFERENCE_MAX - len(namespace),
                "namespace": namespace,
            },
        )
        return False
    if stored in planning.references.taken:
        # Only a case the organisation's members may not see can hold a reference in the
        # organisation's own namespace; the case gets a reference of its own.
        values["stored_reference"] = None
        note_add(
            row,
            _(
                "Your reference %(reference)s is kept in the case note; the case gets a "
                "reference of its own."
            )
            % {"reference": reference},
        )
        values["summary"] = "\n".join(
            filter(None, [values.get("summary"), f"Reference: {reference}"])
        )
    else:
        values["stored_reference"] = stored
        note_add(
            row,
            _("Your reference %(reference)s is recorded as %(stored)s.")
            % {"reference": reference, "stored": stored},
        )
    return True


def _row_fail(row: RowPlan, column: str, message: str) -> None:
    row.outcome = ERROR
    row.errors.append({"row": row.row, "column": column, "message": message})


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


def _row_compare(
    *,
    row: RowPlan,
    organisation: Organisation,
    people: dict[int, Mapping[str, Any]],
    case: dict[str, Any] | None,
    existing_charges: Mapping[int, tuple[str, str]],
    case_events: Sequence[TimelineFactRow],
    charge_ids: dict[ChargeReference, int],
    place_ids: dict[str, int],
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
                if key == "region" and vocabulary_key(kind=REGION, text=new) == vocabulary_key(
                    kind=REGION, text=person[key] or ""
                ):
                    continue  # "г. Уральск" for "Уральск": the same region
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
    incoming = vaguer_dates_dropped(case_values(values, place_ids), case)
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
            _("The date of release would be before the date of detention."),
        )
        return
    status_place(row=row, events=case_events)
    row.charges_added = charges_new(
        references=values.get("charges", []),
        held=[],
        existing_charges=existing_charges,
        charge_ids=charge_ids,
    )
    changed = row.person_changes or row.case_changes or row.charges_added or row.status_past
    row.outcome = UPDATE if changed else UNCHANGED
