"""Writing an import plan's people: the new ones through the import's RowsPipeline, the
changes to recorded ones with ordinary bulk statements; each with its history row."""

from __future__ import annotations

import datetime

from simple_history.utils import bulk_update_with_history

from casework.importing.candidates import name_keys_cached
from casework.importing.plan import RowPlan
from casework.models import Organisation, Person, PersonNameKey
from casework.visibility import AnyUser
from common.bulk import IdPool, RowsPipeline, history_rows, row_complete

BATCH = 1000


def _person_keys(full_name: str, native_name: str) -> tuple[str, set[str]]:
    """The same keys casework.people.person_refresh_name_keys gives a saved person."""
    keys: set[str] = set()
    for name in (full_name, native_name):
        if name:
            keys.update(name_keys_cached(name))
    return " ".join(sorted(keys)), keys


def people_insert(
    *,
    rows: list[RowPlan],
    person_for_row: dict[int, int],
    organisation: Organisation,
    user: AnyUser,
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


def people_update(*, rows: list[RowPlan], user: AnyUser, now: datetime.datetime) -> None:
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
