"""Writing an import plan: one transaction, bulk statements, and a history row with the
importing user as actor for every record created or changed (no path skips history).
People (writing_people) and cases (writing_cases) are written round by round through one
RowsPipeline; status events through casework.importing.status_events."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from casework.importing.charges import ChargeReference
from casework.importing.plan import ERROR, NEW, POSSIBLE_DUPLICATE, UPDATE, ImportPlan, RowPlan
from casework.importing.status_events import import_status_events_write, status_event_written
from casework.importing.writing_cases import cases_insert, cases_update
from casework.importing.writing_people import people_insert, people_update
from casework.models import Case, CaseEvent, ImportMatchDecision, Person
from casework.status import timelines_recompute
from casework.visibility import AnyUser
from casework.vocabularies import (
    DETENTION_PLACE,
    REGION,
    charges_propose,
    vocabulary_key,
    vocabulary_propose,
)
from common.bulk import IdPool, RowsPipeline
from common.foreign_keys import ForeignKeysChecked

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
    user: AnyUser,
    reference_prefix: str,
    on_progress: Callable[[int], None] | None = None,
    skip_invalid: bool = False,
) -> ImportWritten:
    """Write every new and updated row of a plan in ONE transaction; returns what it did.
    on_progress(rows written) is called after each round of WRITE_CHUNK rows. A plan with
    errors is written only when the user chose to skip the rows with errors."""
    rows = [row for row in plan.rows if row.outcome in (NEW, UPDATE)]
    if not skip_invalid and any(row.outcome == ERROR for row in plan.rows):
        raise ValueError("A plan with errors is never written.")
    now = timezone.now()
    organisation = plan.organisation
    with transaction.atomic():
        charge_ids = _charges_create_missing(plan=plan, rows=rows, user=user, now=now)
        place_ids = _vocabularies_propose(plan=plan, rows=rows, user=user, now=now)
        references = _references_generated(rows=rows, prefix=reference_prefix)
        # Records already there change first, a few rows with ordinary statements; then the
        # new records go in, round by round, through the pipeline.
        people_update(rows=rows, user=user, now=now)
        # Their status events go in with the first round's, in the same statements.
        pending_changes = cases_update(
            rows=rows, user=user, now=now, charge_ids=charge_ids, place_ids=place_ids
        )
        person_for_row: dict[int, int] = {}
        created_case_ids: list[int] = []
        ids = _ids_reserved(rows=rows, charge_ids=charge_ids, more_events=len(pending_changes))
        # The new rows' foreign keys are checked once per distinct key when they are all in,
        # not once per row at commit (common.foreign_keys).
        keys = ForeignKeysChecked()
        keys.start()
        with RowsPipeline(keys=keys) as pipeline:
            for start in range(0, len(rows), WRITE_CHUNK):
                chunk = rows[start : start + WRITE_CHUNK]
                people_insert(
                    rows=chunk,
                    person_for_row=person_for_row,
                    organisation=organisation,
                    user=user,
                    now=now,
                    pipeline=pipeline,
                    ids=ids,
                )
                case_ids, changes = cases_insert(
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
                )
                created_case_ids += case_ids
                import_status_events_write(
                    changes=[*pending_changes, *changes],
                    user=user,
                    now=now,
                    ids=ids,
                    insert=pipeline.insert,
                )
                pending_changes = []
                if on_progress:
                    pipeline.call(functools.partial(on_progress, start + len(chunk)))
        keys.finish()
        # The rule of casework.status, in bulk: each status event's "from", the cases'
        # status and "since", and the status conflicts between organisations' cases.
        timelines_recompute(
            case_ids=[*_recorded_people_cases(rows, created_case_ids), *_updated_case_ids(rows)],
            by=user,
            reason="import",
        )
        _decisions_remember(plan=plan, user=user, now=now)
    return _written(plan=plan, rows=rows, created_case_ids=created_case_ids)


def _written(
    *, plan: ImportPlan, rows: list[RowPlan], created_case_ids: list[int]
) -> ImportWritten:
    return ImportWritten(
        new=sum(1 for row in rows if row.outcome == NEW),
        updated=sum(1 for row in rows if row.outcome == UPDATE),
        skipped_possible_duplicates=sum(
            1 for row in plan.rows if row.outcome == POSSIBLE_DUPLICATE
        ),
        created_case_ids=created_case_ids,
        # Two rows of a file may update the same case; it is listed once.
        updated_case_ids=list(dict.fromkeys(_updated_case_ids(rows))),
    )


def _recorded_people_cases(rows: list[RowPlan], created_case_ids: list[int]) -> list[int]:
    """The new cases whose person was recorded before this import. The others, the new
    cases of the people it creates, are left out of timelines_recompute: their chain is
    written as the rule derives it (status_events.new_case_timeline, which
    test_new_cases_are_written_as_the_timeline_rule_derives_them holds to that), and one
    organisation's cases of a person never conflict (casework.conflicts). Locking and
    reading them back took more time than writing them (bench_import)."""
    new_rows = [row for row in rows if row.outcome == NEW]
    return [
        case_id
        for row, case_id in zip(new_rows, created_case_ids, strict=True)
        if row.person_id is not None
    ]


def _updated_case_ids(rows: list[RowPlan]) -> list[int]:
    """The cases the rows update, in the file's order (an update row names its case)."""
    return [cast(int, row.case_id) for row in rows if row.outcome == UPDATE]


def _ids_reserved(
    *, rows: list[RowPlan], charge_ids: dict[ChargeReference, int], more_events: int
) -> IdPool:
    """The ids the new records of these rows will take (see people_insert, cases_insert and
    import_status_events_write), reserved before the pipeline starts."""
    new_cases = [row for row in rows if row.outcome == NEW]
    return IdPool(
        {
            Person: sum(
                1 for row in rows if row.person_id is None and row.same_person_as_row is None
            ),
            Case: len(new_cases),
            Case.charges.through: sum(
                len({charge_ids[ref] for ref in row.values.get("charges", [])}) for row in new_cases
            ),
            Case.history.model: len(new_cases),
            CaseEvent: more_events
            + sum(1 for row in new_cases if status_event_written(row.values)),
        }
    )


def _decisions_remember(*, plan: ImportPlan, user: AnyUser, now: datetime.datetime) -> None:
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
                decided_by=cast("User", user),  # an account (AnyUser: request.user's type)
                decided_at=now,
            )
            for (row_key, person_id), choice in decisions.items()
        ],
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["organisation", "row_key", "person"],
        update_fields=["choice", "decided_by", "decided_at"],
    )


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
    *, plan: ImportPlan, rows: list[RowPlan], user: AnyUser, now: datetime.datetime
) -> dict[ChargeReference, int]:
    """The charges no entry the organisation may use has become its proposals
    (casework.vocabularies)."""
    charge_ids = dict(plan.charge_ids)
    missing = sorted(
        {ref for row in rows for ref in row.values.get("charges", []) if ref not in charge_ids},
        key=lambda ref: (ref.code, ref.article, ref.part),
    )
    created = charges_propose(
        references=[
            (
                ref.code,
                ref.article,
                ref.part,
                CHARGE_TITLES.get((ref.code, ref.article), f"Article {ref.article}"),
            )
            for ref in missing
        ],
        organisation=plan.organisation,
        by=user,
        now=now,
    )
    charge_ids.update({ref: created[(ref.code, ref.article, ref.part)] for ref in missing})
    return charge_ids


def _vocabularies_propose(
    *, plan: ImportPlan, rows: list[RowPlan], user: AnyUser, now: datetime.datetime
) -> dict[str, int]:
    """The detention places and regions no entry the organisation may use has become its
    proposals; returns place key -> id for every place the rows name."""
    place_ids = dict(plan.place_ids)
    for kind, field, known in (
        (DETENTION_PLACE, "detention_place", place_ids),
        (REGION, "region", plan.region_names),
    ):
        names = [row.values[field] for row in rows if row.values.get(field)]
        missing = [name for name in names if vocabulary_key(kind=kind, text=name) not in known]
        created = vocabulary_propose(
            kind=kind,
            names=missing,
            organisation=plan.organisation,
            by=user,
            now=now,
            known=known,
        )
        if kind == DETENTION_PLACE:
            place_ids.update(created)
    return place_ids
