"""common.lookups.field_in: the same rows as Django's `__in`, however many values."""

import pytest

from casework.models import Case
from common.lookups import field_in, id_from
from tests.factories import CaseFactory


@pytest.mark.django_db
def test_it_finds_the_rows_that_pk_in_finds():
    cases = CaseFactory.create_batch(3)
    wanted = [cases[0].pk, cases[2].pk, 10**9]  # an id nobody has is simply not found
    assert set(Case.objects.filter(**field_in("pk", wanted))) == {cases[0], cases[2]}


@pytest.mark.django_db
def test_it_takes_strings_and_any_collection():
    cases = CaseFactory.create_batch(2)
    references = {case.reference for case in cases}
    assert set(Case.objects.filter(**field_in("reference", references))) == set(cases)


@pytest.mark.django_db
def test_it_finds_nothing_for_no_values():
    CaseFactory()
    assert not Case.objects.filter(**field_in("pk", [])).exists()


@pytest.mark.django_db
def test_it_finds_nothing_for_an_id_beyond_the_databases_integers():
    case = CaseFactory()
    assert list(Case.objects.filter(pk__in=[case.pk, 10**20])) == [case]
    assert not Case.objects.filter(pk__in=[10**20, -(10**20)]).exists()


@pytest.mark.parametrize(
    ("raw", "wanted"),
    [
        ("12", 12),
        ("", None),
        (None, None),
        ("²", None),
        ("1²", None),
        ("-1", None),
        ("9" * 20, None),
    ],
)
def test_it_reads_an_id_from_a_query_value_or_none(raw, wanted):
    assert id_from(raw) == wanted
