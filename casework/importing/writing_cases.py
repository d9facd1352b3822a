"""Writing an import plan's cases: the new ones through the import's RowsPipeline, the
changes to recorded ones with bulk statements; each with its charges, its history row (the
charges included, as simple_history records them) and its status events
(casework.importing.status_events)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from casework.importing.charges import ChargeReference
from casework.importing.plan import NEW, UPDATE, RowPlan
from casework.importing.status_events import (
    StatusChange,
    new_case_timeline,
    status_event_written,
    status_since_for,
)
from casework.models import Case, CaseEvent, Confidentiality, Organisation, Status
from casework.partial_dates import Precision
from casework.visibility import AnyUser
from casework.vocabularies import DETENTION_PLACE, vocabulary_key
from common.bulk import (
    IdPool,
    RowsPipeline,
    history_rows,
    ids_reserve,
    row_complete,
    rows_insert,
    rows_update,
)

BATCH = 1000


def _place_id(values: dict[str, Any], place_ids: dict[str, int]) -> int | None:
    name = values.get("detention_place")
    return place_ids[vocabulary_key(kind=DETENTION_PLACE, text=name)] if name else None


def _charges_history_rows(
    *, history: list[dict[str, Any]], charges_of: dict[int, list[tuple[int, int]]]
) -> list[dict[str, Any]]:
    """The history rows of cases' charges: simple_history copies each through row, its id
    included, onto the case's history row. charges_of: case id -> [(charge id, link id)]."""
    return [
        {
            "history_id": record["history_id"],
            "id": link_id,
            "case_id": record["id"],
            "charge_id": charge_id,
        }
        for record in history
        for charge_id, link_id in charges_of.get(record["id"], ())
    ]


def _case_row(
    *, row: RowPlan, pk: int, reference: str, person_id: int, place_id: int | None, **fixed: Any
) -> dict[str, Any]:
    values = row.values
    return {
        "id": pk,
        "reference": reference,
        "person_id": person_id,
        "confidentiality": Confidentiality.INTERNAL,
        "detained_on": values.get("detained_on"),
        "sentenced_on": values.get("sentenced_on"),
        "released_on": values.get("released_on"),
        **{
            f"{key}_precision": values.get(f"{key}_precision") or Precision.DAY
            for key in ("detained_on", "sentenced_on", "released_on")
        },
        "sentence": values.get("sentence", ""),
        "detention_place_id": place_id,
        "summary": values.get("summary", ""),
        **fixed,
    }


def cases_insert(
    *,
    rows: list[RowPlan],
    person_for_row: dict[int, int],
    organisation: Organisation,
    user: AnyUser,
    now: datetime.datetime,
    charge_ids: dict[ChargeReference, int],
    place_ids: dict[str, int],
    references: dict[int, str],
    pipeline: RowsPipeline,
    ids: IdPool,
) -> tuple[list[int], list[StatusChange]]:
    """Create the new cases of a round, with their charges and history. Returns the new
    cases' ids and their statuses, for the timeline."""
    new_rows = [row for row in rows if row.outcome == NEW]
    case_ids = ids.take(model=Case, count=len(new_rows))
    event_ids = iter(
        ids.take(
            model=CaseEvent, count=sum(1 for row in new_rows if status_event_written(row.values))
        )
    )
    place_of: dict[str, int | None] = {}  # a file names few places, each many times
    case_rows, links, changes = [], [], []
    for row, pk in zip(new_rows, case_ids, strict=True):
        values = row.values
        place = values.get("detention_place") or ""
        if place not in place_of:
            place_of[place] = _place_id(values, place_ids)
        status, on = values.get("status") or Status.UNKNOWN, status_since_for(values)
        timeline = new_case_timeline(status=status, on=on)
        event_id = next(event_ids) if status_event_written(values) else None
        if event_id is not None:
            changes.append(
                StatusChange(
                    case_id=pk,
                    status=status,
                    on=on,
                    new_case=True,
                    event_id=event_id,
                    previous_status=timeline["previous_status"],
                )
            )
        case_row = _case_row(
            row=row,
            pk=pk,
            reference=values.get("stored_reference") or references[row.row],
            person_id=person_for_row[row.row],
            place_id=place_of[place],
            created_at=now,
            updated_at=now,
            owning_organisation_id=organisation.pk,
            created_by_id=user.pk,
            status=timeline["status"],
            status_since=timeline["status_since"],
            on_trial_in_custody=timeline["on_trial_in_custody"],
            status_event_id=event_id,
        )
        case_rows.append(row_complete(model=Case, row=case_row, now=now))
        links += [
            (pk, charge) for charge in sorted({charge_ids[r] for r in values.get("charges", [])})
        ]
    _new_cases_insert(
        case_rows=case_rows, links=links, user=user, now=now, pipeline=pipeline, ids=ids
    )
    return case_ids, changes


def _new_cases_insert(
    *,
    case_rows: list[dict[str, Any]],
    links: list[tuple[int, int]],
    user: AnyUser,
    now: datetime.datetime,
    pipeline: RowsPipeline,
    ids: IdPool,
) -> None:
    """The new cases, their charges and both their history rows, through the pipeline."""
    pipeline.insert(model=Case, rows=case_rows)
    charges_of = _links_insert(
        links=links,
        link_ids=ids.take(model=Case.charges.through, count=len(links)),
        insert=pipeline.insert,
    )
    history_model = Case.history.model
    history = history_rows(
        model=Case,
        rows=case_rows,
        user_id=user.pk,
        when=now,
        history_ids=ids.take(model=history_model, count=len(case_rows)),
    )
    pipeline.insert(model=history_model, rows=history)
    pipeline.insert(
        model=history_model.charges.model,
        rows=_charges_history_rows(history=history, charges_of=charges_of),
    )


def _links_insert(
    *,
    links: list[tuple[int, int]],
    link_ids: list[int],
    insert: Callable[..., None],  # rows_insert, or a RowsPipeline's insert
) -> dict[int, list[tuple[int, int]]]:
    """Insert (case id, charge id) links with the given ids; returns case id -> [(charge id,
    link id)]."""
    insert(
        model=Case.charges.through,
        rows=[
            {"id": link_id, "case_id": case_id, "charge_id": charge_id}
            for link_id, (case_id, charge_id) in zip(link_ids, links, strict=True)
        ],
    )
    charges_of: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for link_id, (case_id, charge_id) in zip(link_ids, links, strict=True):
        charges_of[case_id].append((charge_id, link_id))
    return charges_of


def cases_update(
    *,
    rows: list[RowPlan],
    user: AnyUser,
    now: datetime.datetime,
    charge_ids: dict[ChargeReference, int],
    place_ids: dict[str, int],
) -> list[StatusChange]:
    """Write the changes rows make to cases already recorded: fields, added charges and
    their history. Returns the status changes, for the timeline."""
    changed_rows = [row for row in rows if row.outcome == UPDATE and row.case_id is not None]
    if not changed_rows:
        return []
    through_model = Case.charges.through
    changed_cases = Case.objects.in_bulk([row.case_id for row in changed_rows])
    # case id -> {charge id: through-row id}: the history snapshot names the through rows.
    charges_of: dict[int, dict[int, int]] = defaultdict(dict)
    for pk, case_id, charge_id in through_model.objects.filter(
        case_id__in=list(changed_cases)
    ).values_list("pk", "case_id", "charge_id"):
        charges_of[case_id][charge_id] = pk
    changes: list[StatusChange] = []
    links: list[tuple[int, int]] = []
    fields: set[str] = {"updated_at"}
    for row in changed_rows:
        case = changed_cases[row.case_id]
        changes += _case_changes_apply(case=case, row=row, place_ids=place_ids, fields=fields)
        case.updated_at = now
        added = {charge_ids[ref] for ref in row.charges_added} - set(charges_of[case.pk])
        links += [(case.pk, charge) for charge in sorted(added)]
    added_of = _links_insert(
        links=links, link_ids=ids_reserve(model=through_model, count=len(links)), insert=rows_insert
    )
    for case_id, added_links in added_of.items():
        charges_of[case_id].update(added_links)
    rows_update(objects=list(changed_cases.values()), fields=sorted(fields), batch_size=BATCH)
    history_model = Case.history.model
    history = history_rows(
        model=Case,
        rows=[
            {field.attname: getattr(case, field.attname) for field in history_model.tracked_fields}
            for case in changed_cases.values()
        ],
        user_id=user.pk,
        when=now,
        history_type="~",
        history_ids=ids_reserve(model=history_model, count=len(changed_cases)),
    )
    rows_insert(model=history_model, rows=history)
    rows_insert(
        model=history_model.charges.model,
        rows=_charges_history_rows(
            history=history,
            charges_of={case_id: sorted(linked.items()) for case_id, linked in charges_of.items()},
        ),
    )
    return changes


def _case_changes_apply(
    *, case: Case, row: RowPlan, place_ids: dict[str, int], fields: set[str]
) -> list[StatusChange]:
    """Set a row's changes on its case (adding the fields changed to `fields`); returns the
    status change, if the row makes one."""
    changes = []
    if row.status_past is not None:
        status, on, _precision, _current = row.status_past
        changes.append(
            StatusChange(case_id=case.pk, status=status, on=on, new_case=False, past=True)
        )
    for key, (_old, new) in row.case_changes.items():
        if key == "detention_place_id":
            new = _place_id(row.values, place_ids)
        if key == "status":
            # A status goes on the timeline as an event, dated as the file dates it; the
            # case's status and "since" follow from the chain (casework.status).
            changes.append(
                StatusChange(
                    case_id=case.pk, status=new, on=status_since_for(row.values), new_case=False
                )
            )
            continue
        setattr(case, key, new)
        fields.add(key)
    return changes
