"""What the database itself refuses in advocacy, whatever path writes (forms are bypassed)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from advocacy.models import Document
from tests.factories import DocumentFactory


@pytest.mark.parametrize("field", ["votes_for", "votes_against", "votes_abstained"])
def test_it_refuses_a_negative_vote_count(db, field):
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentFactory(**{field: -1})


def test_it_refuses_a_negative_vote_count_written_by_an_update(db):
    document = DocumentFactory(votes_for=598, votes_against=43, votes_abstained=52)

    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.filter(pk=document.pk).update(votes_against=-43)

    document.refresh_from_db()
    assert (document.votes_for, document.votes_against, document.votes_abstained) == (598, 43, 52)


def test_it_accepts_no_vote_and_zero_votes(db):
    DocumentFactory()
    DocumentFactory(votes_for=0, votes_against=0, votes_abstained=0)

    assert Document.objects.count() == 2


def test_the_vote_count_check_is_a_constraint_of_the_table(db):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Document._meta.db_table)

    assert constraints["document_votes_not_negative"]["check"]
