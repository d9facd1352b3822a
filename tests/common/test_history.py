import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.cases import case_update
from casework.models import Case, Person
from common.history import model_update, record_change_history
from tests.factories import CaseFactory, ChargeFactory, PersonFactory


def test_it_changes_the_given_fields_and_records_who(caseworker):
    person = PersonFactory(region="", occupation="")
    model_update(
        instance=person, data={"region": "Almaty"}, fields=["region", "gender"], by=caseworker
    )
    person.refresh_from_db()
    assert person.region == "Almaty"
    latest = person.history.latest()
    assert latest.history_user == caseworker


def test_it_refuses_a_field_it_was_not_allowed_to_change(caseworker):
    person = PersonFactory()
    with pytest.raises(ValueError, match="owning_organisation"):
        model_update(
            instance=person,
            data={"owning_organisation": None},
            fields=["region"],
            by=caseworker,
        )


def test_it_validates_before_it_saves(caseworker):
    person = PersonFactory(full_name="Almat Zhumagulov")
    with pytest.raises(ValidationError):
        model_update(instance=person, data={"full_name": ""}, fields=["full_name"], by=caseworker)
    assert Person.objects.get(pk=person.pk).full_name == "Almat Zhumagulov"
    assert person.history.count() == 1


def test_a_case_update_with_new_charges_is_one_history_row_showing_both(caseworker):
    case = CaseFactory(sentence="")
    charge = ChargeFactory(article="174")
    case_update(case=case, by=caseworker, charges=[charge], sentence="7 years")
    assert case.history.count() == 2  # created, then this one change
    latest = record_change_history(record=case)[0]
    assert latest.who == "caseworker"
    assert {change.label for change in latest.changes} == {"charges", "sentence"}


def test_it_lists_field_by_field_changes_with_their_actor(caseworker):
    case = CaseFactory(summary="first")
    model_update(instance=case, data={"summary": "second"}, fields=["summary"], by=caseworker)
    latest = record_change_history(record=case)[0]
    assert (latest.kind, latest.who) == ("Changed", "caseworker")
    assert [(change.label, change.old, change.new) for change in latest.changes] == [
        ("summary", "first", "second")
    ]


def test_it_builds_the_history_manager_class_once_and_a_manager_per_record(caseworker):
    first, second = PersonFactory(), PersonFactory()
    assert type(first.history) is type(second.history) is type(Person.history)
    assert first.history.instance == first and second.history.instance == second
    model_update(instance=first, data={"region": "Almaty"}, fields=["region"], by=caseworker)
    assert first.history.count() == 2
    assert second.history.count() == 1


def test_a_new_record_reads_no_join_table_and_an_update_still_copies_its_related_rows(
    caseworker,
):
    person = PersonFactory()
    charge = ChargeFactory(article="174")
    with CaptureQueriesContext(connection) as creating:
        case = CaseFactory(person=person, owning_organisation=person.owning_organisation)
    join_table = Case.charges.through._meta.db_table
    assert not [query for query in creating.captured_queries if join_table in query["sql"]]
    assert case.history.get().charges.count() == 0

    case.charges.add(charge)
    case_update(case=case, by=caseworker, sentence="7 years")
    latest = case.history.order_by("-history_id").first()
    assert [row.charge_id for row in latest.charges.all()] == [charge.pk]


def test_it_shows_a_list_of_names_as_the_names_not_as_python_wrote_it(coordinator):
    from casework.models import DetentionPlace

    # An alias added on a vocabulary page showed "[] → ['ИК-158/2']".
    place = DetentionPlace.objects.create(name="Colony 158/2")
    model_update(
        instance=place,
        data={"aliases": ["ИК-158/2", "IK-158/2"]},
        fields=["aliases"],
        by=coordinator,
    )
    change = record_change_history(record=place)[0].changes[0]
    assert (change.old, change.new) == ("—", "ИК-158/2, IK-158/2")
