"""Writing an import plan: one transaction, bulk statements, and a history row with the
importing user as actor for every record created or changed (no path skips history)."""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from casework.importing.bulk import (
    IdPool,
    RowsPipeline,
    history_rows,
    ids_reserve,
    row_complete,
    rows_insert,
    rows_update,
)
from casework.importing.matching import (
    ERROR,
    NEW,
    POSSIBLE_DUPLICATE,
    UPDATE,
    ImportPlan,
    RowPlan,
    name_keys_cached,
    status_since_for,
)
from casework.importing.values import ChargeReference, word_normalise
from casework.models import (
    Case,
    CaseEvent,
    Charge,
    Confidentiality,
    DetentionPlace,
    ImportMatchDecision,
    Person,
    PersonNameKey,
    Status,
)

BATCH = 1000

# Titles of the articles partners name most; any other article is created with a plain title
# an admin can improve later.
CHARGE_TITLES = {
    ("CC 2014", "174"): "Inciting social, national, clan, racial, class or religious discord",
    ("CC 2014", "405"): "Organising or participating in a banned extremist organisation",
    ("CC 2014", "274"): "Dissemination of knowingly false information",
    ("CC 2014", "272"): "Mass riots",
    ("CC 2014", "179"): "Propaganda of or public calls to seize or retain power",
    ("CC 2014", "258"): "Financing of extremism or terrorism",
    ("CC 1997", "164"): "Inciting social, national, clan, racial or religious discord",
}


# Rows written per round: progress is reported after each, and each round's statements
# stay a size the database digests comfortably.
WRITE_CHUNK = 5000


@dataclass(frozen=True, kw_only=True)
class ImportWritten:
    """What writing a plan did: counts, and the ids of the cases it created and updated
    (in the file's order), so the result page can link to them."""

    new: int
    updated: int
    skipped_possible_duplicates: int
    created_case_ids: list[int]
    updated_case_ids: list[int]


def import_plan_write(
    *,
    plan: ImportPlan,
    user,
    reference_prefix: str,
    on_progress: Callable[[int], None] | None = None,
) -> ImportWritten:
    """Write every new and updated row of a plan in ONE transaction; returns what it did.
    on_progress(rows written) is called after each round of WRITE_CHUNK rows."""
    rows = [row for row in plan.rows if row.outcome in (NEW, UPDATE)]
    if any(row.outcome == ERROR for row in plan.rows):
        raise ValueError("A plan with errors is never written.")
    now = timezone.now()
    organisation = plan.organisation
    with transaction.atomic():
        charge_ids = _charges_create_missing(plan=plan, rows=rows, user=user, now=now)
        place_ids = _places_create_missing(plan=plan, rows=rows, user=user, now=now)
        references = _references_generated(rows=rows, prefix=reference_prefix)
        # Records already there change first, a few rows with ordinary statements; then the
        # new records go in, round by round, through the pipeline.
        _people_update(rows=rows, user=user, now=now)
        # Their status events go in with the first round's, in the same statements.
        pending_events = _cases_update(
            rows=rows,
            user=user,
            now=now,
            charge_ids=charge_ids,
            place_ids=place_ids,
        )
        person_for_row: dict[int, int] = {}
        created_case_ids: list[int] = []
        ids = _ids_reserved(rows=rows, charge_ids=charge_ids, more_events=len(pending_events))
        with RowsPipeline() as pipeline:
            for start in range(0, len(rows), WRITE_CHUNK):
                chunk = rows[start : start + WRITE_CHUNK]
                _people_insert(
                    rows=chunk,
                    person_for_row=person_for_row,
                    organisation=organisation,
                    user=user,
                    now=now,
                    pipeline=pipeline,
                    ids=ids,
                )
                created_case_ids += _cases_insert(
                    rows=chunk,
                    person_for_row=person_for_row,
                    organisation=organisation,
                    user=user,
                    now=now,
                    charge_ids=charge_ids,
                    place_ids=place_ids,
                    references=references,
                    pipeline=pipeline,
                    ids=ids,
                    events=pending_events,
                )
                pending_events = []
                if on_progress:
                    pipeline.call(functools.partial(on_progress, start + len(chunk)))
        _decisions_remember(plan=plan, user=user, now=now)
    return ImportWritten(
        new=sum(1 for row in rows if row.outcome == NEW),
        updated=sum(1 for row in rows if row.outcome == UPDATE),
        skipped_possible_duplicates=sum(
            1 for row in plan.rows if row.outcome == POSSIBLE_DUPLICATE
        ),
        created_case_ids=created_case_ids,
        # Two rows of a file may update the same case; it is listed once.
        updated_case_ids=list(dict.fromkeys(row.case_id for row in rows if row.outcome == UPDATE)),
    )


def _decisions_remember(*, plan: ImportPlan, user, now: datetime.datetime) -> None:
    """Keep the choices this import made about possible duplicates, so a later file's same
    row is settled the same way (casework.importing.matching reads them)."""
    decisions = {
        (row.row_key, person_id): choice
        for row in plan.rows
        if row.decided is not None and row.outcome != ERROR
        for choice, person_id in [row.decided]
    }
    ImportMatchDecision.objects.bulk_create(
        [
            ImportMatchDecision(
                organisation=plan.organisation,
                row_key=row_key,
                person_id=person_id,
                choice=choice,
                decided_by=user,
                decided_at=now,
            )
            for (row_key, person_id), choice in decisions.items()
        ],
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["organisation", "row_key", "person"],
        update_fields=["choice", "decided_by", "decided_at"],
    )


def _ids_reserved(
    *, rows: list[RowPlan], charge_ids: dict[ChargeReference, int], more_events: int
) -> IdPool:
    """The ids the new records of these rows will take (see _people_insert and
    _cases_insert), reserved before the pipeline starts."""
    new_cases = [row for row in rows if row.outcome == NEW]
    return IdPool({
        Person: sum(1 for row in rows if row.person_id is None and row.same_person_as_row is None),
        Case: len(new_cases),
        Case.charges.through: sum(
            len({charge_ids[ref] for ref in row.values.get("charges", [])}) for row in new_cases
        ),
        Case.history.model: len(new_cases),
        CaseEvent: more_events + sum(1 for row in new_cases if _status_event_dated(row.values)),
    })  # fmt: skip


def _status_event_dated(values: dict) -> bool:
    """Whether a new case's status goes on its timeline: a known status the file dates. A
    status the file gives no date for is kept on the case, since an unknown date; an event
    dated the import's day would say it happened then."""
    status = values.get("status") or Status.UNKNOWN
    return status != Status.UNKNOWN and status_since_for(values) is not None


def _references_generated(*, rows: list[RowPlan], prefix: str) -> dict[int, str]:
    """Row number -> the reference of each new case the file gives none (or none it may
    have): PREFIX-000001 …, skipping any a case already holds."""
    needing = [
        row.row for row in rows if row.outcome == NEW and not row.values.get("stored_reference")
    ]
    if not needing:
        return {}
    taken = set(
        Case.objects.filter(reference__startswith=f"{prefix}-").values_list("reference", flat=True)
    )
    references: dict[int, str] = {}
    number = 0
    for row_number in needing:
        number += 1
        while f"{prefix}-{number:06d}" in taken:
            number += 1
        references[row_number] = f"{prefix}-{number:06d}"
    return references


def _charges_create_missing(
    *, plan: ImportPlan, rows: list[RowPlan], user, now: datetime.datetime
) -> dict[ChargeReference, int]:
    charge_ids = dict(plan.charge_ids)
    missing = sorted(
        {ref for row in rows for ref in row.values.get("charges", []) if ref not in charge_ids},
        key=lambda ref: (ref.code, ref.article, ref.part),
    )
    if missing:
        created = bulk_create_with_history(
            [
                Charge(
                    jurisdiction="KZ",
                    code=ref.code,
                    article=ref.article,
                    part=ref.part,
                    title=CHARGE_TITLES.get((ref.code, ref.article), f"Article {ref.article}"),
                )
                for ref in missing
            ],
            Charge,
            batch_size=BATCH,
            default_user=user,
            default_date=now,
        )
        charge_ids.update({ref: charge.pk for ref, charge in zip(missing, created, strict=True)})
    return charge_ids


def _places_create_missing(
    *, plan: ImportPlan, rows: list[RowPlan], user, now: datetime.datetime
) -> dict[str, int]:
    place_ids = dict(plan.place_ids)
    missing: dict[str, str] = {}
    for row in rows:
        name = row.values.get("detention_place")
        if name and word_normalise(name) not in place_ids:
            missing.setdefault(word_normalise(name), name)
    if missing:
        created = bulk_create_with_history(
            [DetentionPlace(name=name) for name in missing.values()],
            DetentionPlace,
            batch_size=BATCH,
            default_user=user,
            default_date=now,
        )
        place_ids.update({key: place.pk for key, place in zip(missing, created, strict=True)})
    return place_ids


def _person_keys(full_name: str, native_name: str) -> tuple[str, set[str]]:
    """The same keys casework.people.person_refresh_name_keys gives a saved person."""
    keys: set[str] = set()
    for name in (full_name, native_name):
        if name:
            keys.update(name_keys_cached(name))
    return " ".join(sorted(keys)), keys


def _people_insert(
    *,
    rows: list[RowPlan],
    person_for_row: dict[int, int],
    organisation,
    user,
    now: datetime.datetime,
    pipeline: RowsPipeline,
    ids: IdPool,
) -> None:
    """Create the new people of a round; fills in row number -> person id (rows of an
    earlier round included, for a person named again later in the file)."""
    new_rows = [row for row in rows if row.person_id is None and row.same_person_as_row is None]
    person_rows, key_rows = [], []
    organisation_id, user_id = organisation.pk, user.pk
    for row, pk in zip(new_rows, ids.take(model=Person, count=len(new_rows)), strict=True):
        values = row.values
        match_keys, keys = _person_keys(values["full_name"], values.get("native_name", ""))
        person_rows.append(
            row_complete(
                model=Person,
                row={
                    "id": pk,
                    "created_at": now,
                    "updated_at": now,
                    "full_name": values["full_name"],
                    "native_name": values.get("native_name", ""),
                    "birth_date": values.get("birth_date"),
                    "birth_year": values.get("birth_year"),
                    "gender": values.get("gender", ""),
                    "region": values.get("region", ""),
                    "occupation": values.get("occupation", ""),
                    "owning_organisation_id": organisation_id,
                    "created_by_id": user_id,
                    "match_keys": match_keys,
                },
                now=now,
            )
        )
        key_rows += [{"person_id": pk, "key": key} for key in sorted(keys)]
        person_for_row[row.row] = pk
    pipeline.insert(model=Person, rows=person_rows)
    pipeline.insert(
        model=Person.history.model,
        rows=history_rows(model=Person, rows=person_rows, user_id=user_id, when=now),
    )
    pipeline.insert(model=PersonNameKey, rows=key_rows)
    for row in rows:
        if row.person_id is not None:
            person_for_row[row.row] = row.person_id
    for row in rows:
        if row.same_person_as_row is not None:
            person_for_row[row.row] = person_for_row[row.same_person_as_row]


def _people_update(*, rows: list[RowPlan], user, now: datetime.datetime) -> None:
    """Write the changes rows make to people already recorded, with their history."""
    changed_rows = [row for row in rows if row.person_changes]
    if not changed_rows:
        return
    people = Person.objects.in_bulk([row.person_id for row in changed_rows])
    fields: set[str] = set()
    added_keys = []
    for row in changed_rows:
        person = people[row.person_id]
        for key, (_old, new) in row.person_changes.items():
            setattr(person, key, new)
            fields.add(key)
        if "native_name" in row.person_changes:
            person.match_keys, keys = _person_keys(person.full_name, person.native_name)
            added_keys += [PersonNameKey(person_id=person.pk, key=key) for key in keys]
            fields.add("match_keys")
        person.updated_at = now
    fields.add("updated_at")
    bulk_update_with_history(
        list(people.values()),
        Person,
        sorted(fields),
        batch_size=BATCH,
        default_user=user,
        default_date=now,
    )
    PersonNameKey.objects.bulk_create(added_keys, batch_size=BATCH, ignore_conflicts=True)


def _place_id(values: dict, place_ids: dict[str, int]) -> int | None:
    name = values.get("detention_place")
    return place_ids[word_normalise(name)] if name else None


def _cases_insert(
    *,
    rows: list[RowPlan],
    person_for_row: dict[int, int],
    organisation,
    user,
    now: datetime.datetime,
    charge_ids: dict[ChargeReference, int],
    place_ids: dict[str, int],
    references: dict[int, str],
    pipeline: RowsPipeline,
    ids: IdPool,
    events: list[dict],
) -> list[int]:
    """Create the new cases of a round, with their charges, status events and history;
    `events` are more status events to insert with theirs. Returns the new cases' ids."""
    through_model = Case.charges.through
    new_rows = [row for row in rows if row.outcome == NEW]
    case_rows = []
    links: list[tuple[int, int]] = []
    case_ids = ids.take(model=Case, count=len(new_rows))
    organisation_id, user_id = organisation.pk, user.pk
    place_of: dict[str, int | None] = {}  # a file names few places, each many times
    for row, pk in zip(new_rows, case_ids, strict=True):
        values = row.values
        status = values.get("status") or Status.UNKNOWN
        place = values.get("detention_place") or ""
        if place not in place_of:
            place_of[place] = _place_id(values, place_ids)
        case_rows.append(
            row_complete(
                model=Case,
                row={
                    "id": pk,
                    "created_at": now,
                    "updated_at": now,
                    "reference": values.get("stored_reference") or references[row.row],
                    "person_id": person_for_row[row.row],
                    "owning_organisation_id": organisation_id,
                    "confidentiality": Confidentiality.INTERNAL,
                    "status": status,
                    "status_since": status_since_for(values),
                    "detained_on": values.get("detained_on"),
                    "sentenced_on": values.get("sentenced_on"),
                    "released_on": values.get("released_on"),
                    "sentence": values.get("sentence", ""),
                    "detention_place_id": place_of[place],
                    "summary": values.get("summary", ""),
                    "created_by_id": user_id,
                },
                now=now,
            )
        )
        links += [
            (pk, charge) for charge in sorted({charge_ids[r] for r in values.get("charges", [])})
        ]
    pipeline.insert(model=Case, rows=case_rows)
    link_ids = ids.take(model=through_model, count=len(links))
    pipeline.insert(
        model=through_model,
        rows=[
            {"id": link_id, "case_id": case_id, "charge_id": charge_id}
            for link_id, (case_id, charge_id) in zip(link_ids, links, strict=True)
        ],
    )
    # case id -> [(charge id, through-row id)]: the history snapshot names the through rows.
    charges_of: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for link_id, (case_id, charge_id) in zip(link_ids, links, strict=True):
        charges_of[case_id].append((charge_id, link_id))
    history_model = Case.history.model
    new_history = history_rows(
        model=Case,
        rows=case_rows,
        user_id=user_id,
        when=now,
        history_ids=ids.take(model=history_model, count=len(case_rows)),
    )
    pipeline.insert(model=history_model, rows=new_history)
    pipeline.insert(
        model=history_model.charges.model,
        rows=[
            {
                "history_id": record["history_id"],
                "id": link_id,
                "case_id": record["id"],
                "charge_id": charge_id,
            }
            for record in new_history
            for charge_id, link_id in charges_of.get(record["id"], ())
        ],
    )
    events = [
        *events,
        *(
            {
                "case_id": case["id"],
                "kind": CaseEvent.Kind.STATUS,
                "status": case["status"],
                "previous_status": "",
                "happened_on": case["status_since"],
                "source": "Import",
                "description": "Status recorded by a spreadsheet import.",
                "created_by_id": user_id,
            }
            for case in case_rows
            if case["status"] != Status.UNKNOWN and case["status_since"] is not None
        ),
    ]
    _events_insert(
        events=events,
        event_ids=ids.take(model=CaseEvent, count=len(events)),
        user=user,
        now=now,
        insert=pipeline.insert,
    )
    return case_ids


def _cases_update(
    *,
    rows: list[RowPlan],
    user,
    now: datetime.datetime,
    charge_ids: dict[ChargeReference, int],
    place_ids: dict[str, int],
) -> list[dict]:
    """Write the changes rows make to cases already recorded: fields, added charges and
    their history. Returns a status event for each status change, for the caller to
    insert."""
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
    events = []
    links: list[tuple[int, int]] = []
    fields: set[str] = {"updated_at"}
    for row in changed_rows:
        case = changed_cases[row.case_id]
        for key, (_old, new) in row.case_changes.items():
            if key == "detention_place_id":
                new = _place_id(row.values, place_ids)
            if key == "status":
                since = status_since_for(row.values)
                # The timeline never misses a status change (as casework.status does it). A
                # change the file dates is dated so; one it does not date is dated the day
                # it was recorded and says so, while the case's "since" stays unknown.
                events.append(
                    {
                        "case_id": case.pk,
                        "kind": CaseEvent.Kind.STATUS,
                        "status": new,
                        "previous_status": case.status,
                        "happened_on": since or timezone.localdate(now),
                        "source": "Import",
                        "description": (
                            "Status changed by a spreadsheet import."
                            if since is not None
                            else "Status changed by a spreadsheet import, which gives no date "
                            "for the change: recorded on the day of the import."
                        ),
                        "created_by_id": user.pk,
                    }
                )
                case.status_since = since
                fields.add("status_since")
            setattr(case, key, new)
            fields.add(key)
        case.updated_at = now
        added = {charge_ids[ref] for ref in row.charges_added} - set(charges_of[case.pk])
        links += [(case.pk, charge) for charge in sorted(added)]

    link_ids = ids_reserve(model=through_model, count=len(links))
    rows_insert(
        model=through_model,
        rows=[
            {"id": link_id, "case_id": case_id, "charge_id": charge_id}
            for link_id, (case_id, charge_id) in zip(link_ids, links, strict=True)
        ],
    )
    for link_id, (case_id, charge_id) in zip(link_ids, links, strict=True):
        charges_of[case_id][charge_id] = link_id
    rows_update(objects=list(changed_cases.values()), fields=sorted(fields), batch_size=BATCH)

    history_model = Case.history.model
    updated_history = history_rows(
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
    rows_insert(model=history_model, rows=updated_history)
    rows_insert(
        model=history_model.charges.model,
        rows=[
            {
                "history_id": record["history_id"],
                "id": link_id,
                "case_id": record["id"],
                "charge_id": charge_id,
            }
            for record in updated_history
            for charge_id, link_id in sorted(charges_of.get(record["id"], {}).items())
        ],
    )
    return events


def _events_insert(
    *, events: list[dict], event_ids: list[int], user, now: datetime.datetime, insert
) -> None:
    event_rows = [
        row_complete(
            model=CaseEvent, row={"id": pk, "created_at": now, "updated_at": now, **event}, now=now
        )
        for pk, event in zip(event_ids, events, strict=True)
    ]
    insert(model=CaseEvent, rows=event_rows)
    insert(
        model=CaseEvent.history.model,
        rows=history_rows(model=CaseEvent, rows=event_rows, user_id=user.pk, when=now),
    )
