"""Name keys of a person: written once when the person is made, rebuilt on every save."""

from __future__ import annotations

import pytest

from casework.models import PersonNameKey
from casework.people import person_refresh_name_keys
from tests.factories import PersonAliasFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _keys(person) -> set[str]:
    return set(PersonNameKey.objects.filter(person=person).values_list("key", flat=True))


def test_a_new_person_gets_the_keys_a_full_refresh_gives(host, django_assert_max_num_queries):
    # The row and its history (four statements), then the keys: a savepoint around the
    # match keys and the key rows, with nothing read or removed first.
    with django_assert_max_num_queries(8):
        person = PersonFactory(
            owning_organisation=host, full_name="Almat Zhumagulov", native_name="Алмат Жумагулов"
        )
    made = _keys(person)
    own = person.match_keys
    assert made
    person_refresh_name_keys(person=person)
    assert _keys(person) == made
    assert person.match_keys == own


def test_a_saved_person_keeps_the_keys_of_their_aliases_and_drops_an_old_names():
    person = PersonFactory(full_name="Almat Zhumagulov")
    PersonAliasFactory(person=person, name="Almat Zhumagulov-Nurly")
    with_alias = _keys(person)
    person.full_name = "Serik Bekov"
    person.save()
    keys = _keys(person)
    assert keys - with_alias  # the new name's keys
    assert with_alias & keys  # the alias's keys stay
    person_refresh_name_keys(person=person)
    assert _keys(person) == keys
