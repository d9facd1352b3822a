"""Which of the importing organisation's cases a row describes, and the case's values a
row gives (dates with their precision: a file that knows a date less exactly than the case
does leaves it alone); what a row says of its case, to compare two rows of one case, and
the charges a later row of the case adds to it; where the status a row gives goes in the
case's timeline (now, or a past entry when the row dates it before the current one)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any, cast

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casework.importing.charges import ChargeReference, charge_shown
from casework.importing.dates import DAY
from casework.importing.lookups import chunks, field_in
from casework.importing.mapping import FIELDS_BY_KEY
from casework.importing.plan import ERROR, NEW, UNCHANGED, UPDATE, RowPlan
from casework.importing.status_events import (
    TimelineFactRow,
    status_becomes_current,
    status_since_for,
)
from casework.models import FREED_STATUSES, Case, CaseEvent, Organisation
from casework.partial_dates import Precision, partial_date_from, partial_dates_agree
from casework.vocabularies import DETENTION_PLACE, charges_resolve, vocabulary_key

CASE_FIELDS = (
    "status",
    "detained_on",
    "sentenced_on",
    "released_on",
    "status_since",
    # How much of each date the file knows (a year, a month, the day), stored beside it.
    "detained_on_precision",
    "sentenced_on_precision",
    "released_on_precision",
    "sentence",
    "detention_place_id",
    "summary",
)


def own_cases_load(
    *, person_ids: list[int], organisation: Organisation, visible_cases: QuerySet[Case]
) -> tuple[dict[int, list[dict[str, Any]]], dict[int, dict[int, tuple[str, str]]]]:
    """The organisation's open cases of those people (that all its members may see), by
    person, and the charges of each."""
    own_cases: dict[int, list[dict[str, Any]]] = defaultdict(list)
    case_charges: dict[int, dict[int, tuple[str, str]]] = defaultdict(dict)
    own_case_ids: list[int] = []
    for chunk in chunks(person_ids):
        for case in visible_cases.filter(
            **field_in("person_id", chunk),
            owning_organisation=organisation,
            archived_at__isnull=True,
        ).values("pk", "reference", "person_id", *CASE_FIELDS):
            own_cases[case["person_id"]].append(case)
            own_case_ids.append(case["pk"])
    for chunk in chunks(own_case_ids):
        for case_id, charge_id, code, article in Case.charges.through.objects.filter(
            **field_in("case_id", chunk)
        ).values_list("case_id", "charge_id", "charge__code", "charge__article"):
            case_charges[case_id][charge_id] = (code, article)
    return own_cases, case_charges


def case_pick(cases: list[dict[str, Any]], values: dict[str, Any]) -> int | None:
    """The importing organisation's case of this person that the row describes, if any."""
    if not cases:
        return None
    detained = values.get("detained_on")
    if detained:
        same_date = [case for case in cases if case["detained_on"] == detained]
        # Else a case whose date the row's may be ("2018" on file, "14.05.2018" in the
        # file, or the other way round): the same detention, known more or less exactly.
        row_date = partial_date_from(detained, values.get("detained_on_precision"))
        same_date = same_date or [
            case
            for case in cases
            if case["detained_on"]
            and row_date is not None
            and (case_date := partial_date_from(case["detained_on"], case["detained_on_precision"]))
            is not None
            and partial_dates_agree(row_date, case_date)
        ]
        if same_date:
            return cast(int, same_date[0]["pk"])
        if all(case["detained_on"] for case in cases):
            return None  # another episode: a new case of the same person
    return cast(int, cases[0]["pk"])


def vaguer_dates_dropped(incoming: dict[str, Any], case: dict[str, Any]) -> dict[str, Any]:
    """Leave out a date the file knows less exactly than the case does, when it agrees with
    it ("2018" for a case detained on 14 May 2018): the file does not contradict it."""
    order = (Precision.DAY, Precision.MONTH, Precision.YEAR)
    for key in ("detained_on", "sentenced_on", "released_on"):
        precision = f"{key}_precision"
        if not incoming.get(key) or not case.get(key):
            continue
        new = partial_date_from(incoming[key], incoming[precision])
        old = partial_date_from(case[key], case[precision])
        if (
            new is not None
            and old is not None
            and partial_dates_agree(new, old)
            and order.index(new.precision) > order.index(old.precision)
        ):
            incoming[key] = incoming[precision] = None
    return incoming


def precisions(values: dict[str, Any]) -> dict[str, str | None]:
    """Each date's precision where the file gives the date (a full date is the day's)."""
    return {
        f"{key}_precision": (values.get(f"{key}_precision") or Precision.DAY)
        if values.get(key)
        else None
        for key in ("detained_on", "sentenced_on", "released_on")
    }


def case_values(values: dict[str, Any], place_ids: dict[str, int]) -> dict[str, Any]:
    place = values.get("detention_place")
    return {
        "status": values.get("status") or "",
        "detained_on": values.get("detained_on"),
        "sentenced_on": values.get("sentenced_on"),
        "released_on": values.get("released_on"),
        **precisions(values),
        "sentence": values.get("sentence") or "",
        # A place not yet in the vocabulary is a change, resolved to an id when written.
        "detention_place_id": (
            place_ids.get(vocabulary_key(kind=DETENTION_PLACE, text=place), place)
            if place
            else None
        ),
        "summary": values.get("summary") or "",
    }


# How a row names its person is how it was matched, not what it says of the case: two
# spellings of one person ("Серікбаев Нұрлан", "Serikbayev Nurlan"), or of one date, say the
# same. Nor are the charges: a partner lists a person with several charges on several rows
# ("ст. 174 ч.1", then "ст. 405 ч.2"), and each row adds its own (charges_merge).
_NOT_COMPARED = frozenset({"full_name", "native_name", "dates_read", "charges"})


def row_facts(values: dict[str, Any]) -> dict[str, Any]:
    """What a row says of its case, to compare with another row of the same case."""
    return {
        key: value
        for key, value in values.items()
        if value not in (None, "", []) and key not in _NOT_COMPARED
    }


def field_differing(earlier: dict[str, Any], later: dict[str, Any]) -> str:
    """The first field (in the columns page's order) two rows give different values: the
    error stands at that cell rather than at the name both rows write alike."""
    first, second = row_facts(earlier), row_facts(later)
    differing = {
        # "birth_year", "status_on", "sentenced_on_precision": what the field's cell gave
        # (the longest field the key starts with: "sentenced_on", not "sentence").
        max((field for field in FIELDS_BY_KEY if key.startswith(field)), key=len, default=key)
        for key in first.keys() | second.keys()
        if first.get(key) != second.get(key)
    }
    return next((field for field in FIELDS_BY_KEY if field in differing), "full_name")


def charges_new(
    *,
    references: Iterable[ChargeReference],
    held: Collection[ChargeReference],
    existing_charges: Mapping[int, tuple[str, str]],
    charge_ids: Mapping[ChargeReference, int],
) -> list[ChargeReference]:
    """The charges of `references` a case holding `held` (the file's) and `existing_charges`
    (recorded: charge id -> (code, article)) lacks. An article without its part ("174")
    where the case holds a part of it ("174 ч.1") says less than the case, not another
    charge."""
    articles_held = {(ref.code, ref.article) for ref in held} | set(existing_charges.values())
    return [
        reference
        for reference in references
        if reference not in held
        and (reference not in charge_ids or charge_ids[reference] not in existing_charges)
        and (reference.part or (reference.code, reference.article) not in articles_held)
    ]


def charges_resolved(
    rows: list[RowPlan], *, organisation: Organisation
) -> dict[ChargeReference, int]:
    """The charges the rows name that the organisation may use (casework.vocabularies)."""
    references = {ref for row in rows for ref in row.values.get("charges", [])}
    found = charges_resolve(
        references=[(ref.code, ref.article, ref.part) for ref in references],
        organisation=organisation,
    )
    return {
        ref: found[(ref.code, ref.article, ref.part)]
        for ref in references
        if (ref.code, ref.article, ref.part) in found
    }


def charges_merge(
    *,
    first: RowPlan,
    row: RowPlan,
    existing_charges: Mapping[int, tuple[str, str]],
    charge_ids: Mapping[ChargeReference, int],
    continues: int | None = None,
) -> bool:
    """A row saying of its case what the case's first row of the file says, but for its
    charges: its charges go to that row's case (a new case's, or the changes of a recorded
    one), and the row itself writes nothing. False if it adds no charge (it repeats the
    first row). continues: the row above, if the row is its continuation."""
    added = charges_new(
        references=row.values.get("charges", []),
        held=first.values.get("charges", []),
        existing_charges=existing_charges,
        charge_ids=charge_ids,
    )
    if not added:
        return False
    first.values["charges"] = [*first.values.get("charges", []), *added]
    if first.outcome != NEW:
        # Already on the case as a part of its article ("174" for "174 ч.1"), or a new one.
        more = charges_new(
            references=added,
            held=first.charges_added,
            existing_charges=existing_charges,
            charge_ids=charge_ids,
        )
        first.charges_added += more
        if more and first.outcome == UNCHANGED:
            first.outcome = UPDATE
    shown = ", ".join(charge_shown(ref) for ref in added)
    if continues is None:
        first_note = _("Row %(row)s adds the charges %(charges)s.")
        row.note = _("Its charges, %(charges)s, are added to the case of row %(row)s.")
    else:
        first_note = ngettext(
            "Row %(row)s continues row %(above)s: adds the charge %(charges)s.",
            "Row %(row)s continues row %(above)s: adds the charges %(charges)s.",
            len(added),
        )
        row.note = ngettext(
            "Continues row %(above)s: adds the charge %(charges)s to the case of row %(first)s.",
            "Continues row %(above)s: adds the charges %(charges)s to the case of row %(first)s.",
            len(added),
        )
    words = {"row": row.row, "above": continues, "first": first.row, "charges": shown}
    first.note = " ".join(filter(None, [first.note, first_note % words]))
    row.note = row.note % {**words, "row": first.row}
    row.outcome = UNCHANGED
    row.charges_to_row = first.row
    return True


def continuation_merge(
    *,
    first: RowPlan,
    row: RowPlan,
    existing_charges: Mapping[int, tuple[str, str]],
    charge_ids: Mapping[ChargeReference, int],
    column_names: Mapping[str, str],
) -> None:
    """A continuation row (casework.importing.continuation) of the case whose first row of
    the file is `first`: its charges go to that case; a cell it fills itself that says
    otherwise than the case's row is an error at that cell (it is no other case: its blank
    cells said it is this one)."""
    assert row.continues_row is not None
    words = {"row": first.row, "above": row.continues_row}
    if row_facts(first.values) != row_facts(row.values):
        message = _(
            "This row continues row %(above)s but says otherwise than row %(row)s of its case "
            "in this column: leave the cell empty on this row, and write the case's value on "
            "row %(row)s."
        )
        column = column_names[field_differing(first.values, row.values)]
    elif first.outcome == ERROR:
        message = _(
            "This row continues row %(above)s; row %(row)s of its case has an error: once it "
            "is corrected, this row's charges are added to that case."
        )
        column = column_names["charges"]
    else:
        if not charges_merge(
            first=first,
            row=row,
            existing_charges=existing_charges,
            charge_ids=charge_ids,
            continues=row.continues_row,
        ):
            row.outcome = UNCHANGED
            row.charges_to_row = first.row
            row.note = (
                _("Continues row %(above)s: the case of row %(row)s already has its charges.")
                % words
            )
        return
    row.outcome = ERROR
    row.errors.append({"row": row.row, "column": column, "message": message % words})


def status_place(*, row: RowPlan, events: Sequence[TimelineFactRow]) -> None:
    """Where the status a row changes its case to goes, by casework.status's rule: the case's
    current status if the rule makes it so, else a past entry of the timeline at the file's
    date (a release of 05.05.2023 for a case imprisoned since 01.01.2024: the current
    status stays), or nothing if the timeline already holds it so dated (the same file
    imported twice). A past release does not become the case's release date either: the
    rule gives a case only the date of a current release."""
    change = row.case_changes.get("status")
    on = status_since_for(row.values)
    if change is None or on is None:
        return
    current, status = change
    if status_becomes_current(events=events, status=status, on=on):
        return
    del row.case_changes["status"]
    if status in FREED_STATUSES:
        row.case_changes.pop("released_on", None)
    if any(
        event.kind == CaseEvent.Kind.STATUS and event.status == status and event.happened_on == on
        for event in events
    ):
        return
    precision = next(
        (
            row.values.get(f"{key}_precision") or DAY
            for key in ("released_on", "sentenced_on", "detained_on")
            if row.values.get(key) == on
        ),
        DAY,
    )
    row.status_past = (status, on, precision, current)
