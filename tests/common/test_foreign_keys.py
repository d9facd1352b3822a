import threading

import pytest
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Max

from casework.models import Case, CaseEvent, Person, PersonNameKey
from common.bulk import RowsPipeline
from common.foreign_keys import ForeignKeysChecked
from tests.factories import CaseFactory, PersonFactory


def _missing_person_id() -> int:
    return (Person.objects.aggregate(highest=Max("pk"))["highest"] or 0) + 1000


def _rows_inserted(*inserts: tuple[type, list[dict]]) -> None:
    """Insert the rows through a RowsPipeline with keys checked in bulk, then check what
    the database's commit checks (on SQLite, and on PostgreSQL without the fast path)."""
    keys = ForeignKeysChecked()
    keys.start()
    with RowsPipeline(keys=keys) as pipeline:
        for model, rows in inserts:
            pipeline.insert(model=model, rows=rows)
    keys.finish()
    connection.check_constraints()


@pytest.mark.django_db
def test_a_key_that_references_nothing_is_refused_and_nothing_is_written():
    PersonFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        _rows_inserted((PersonNameKey, [{"person_id": _missing_person_id(), "key": "nobody"}]))

    assert not PersonNameKey.objects.filter(key="nobody").exists()


@pytest.mark.django_db
def test_keys_to_rows_inserted_alongside_and_to_rows_already_there_are_accepted():
    case = CaseFactory()
    person_id = _missing_person_id()
    with transaction.atomic():
        _rows_inserted(
            (
                Person,
                [
                    {
                        "id": person_id,
                        "full_name": "Ospanov Erlan",
                        "owning_organisation_id": case.owning_organisation_id,
                    }
                ],
            ),
            (PersonNameKey, [{"person_id": person_id, "key": "ospanov"}]),
            (PersonNameKey, [{"person_id": case.person_id, "key": "ospanov"}]),
            (CaseEvent, [{"case_id": case.pk, "kind": CaseEvent.Kind.OTHER}]),
        )

    assert PersonNameKey.objects.filter(key="ospanov").count() == 2
    assert Case.objects.get(pk=case.pk).events.count() == 1


@pytest.mark.django_db
def test_the_triggers_check_again_once_the_rows_are_in():
    person = PersonFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        _rows_inserted((PersonNameKey, [{"person_id": person.pk, "key": "fine"}]))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT current_setting('session_replication_role')")
                assert cursor.fetchone()[0] == "origin"
        PersonNameKey.objects.create(person_id=_missing_person_id(), key="later")
        connection.check_constraints()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL's")
def test_a_row_the_new_rows_reference_stays_locked_against_deletion_until_commit():
    case = CaseFactory()
    refused: list[BaseException] = []

    def delete_elsewhere() -> None:
        # Another connection: what deleting the case would take first.
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT 1 FROM casework_case WHERE id = %s FOR UPDATE NOWAIT", [case.pk]
                )
        except OperationalError as error:
            refused.append(error)
        finally:
            connection.close()

    with transaction.atomic():
        _rows_inserted((CaseEvent, [{"case_id": case.pk, "kind": CaseEvent.Kind.OTHER}]))
        thread = threading.Thread(target=delete_elsewhere)
        thread.start()
        thread.join()

    assert refused, "the referenced case was not locked"
