"""advocacy.detection.index: the known people, loaded in bounded queries and kept per
process until a name changes."""

from __future__ import annotations

import pytest

from advocacy.detection import (
    name_index_build,
    name_index_current,
    name_index_find,
)
from casework.models import Person, PersonAlias
from casework.names import name_keys
from tests.advocacy.detection.conftest import found
from tests.factories import PersonAliasFactory, PersonFactory


def test_it_only_finds_the_people_it_is_given(known_people):
    people = Person.objects.filter(pk=known_people["aset"].pk)
    text = "Almat Zhumagulov and Aset Abishev."
    assert found(text, people=people) == [(known_people["aset"].pk, "Aset Abishev")]


def test_it_loads_the_index_in_a_bounded_number_of_queries(
    known_people, django_assert_max_num_queries
):
    PersonFactory.create_batch(10)
    with django_assert_max_num_queries(2):
        index = name_index_build()
    assert name_index_find(index=index, text="Saltanat Kusmankyzy spoke.")[0].person_id == (
        known_people["kusmankyzy"].pk
    )


def test_it_keeps_the_index_between_detections_while_no_name_changes(
    known_people, django_assert_max_num_queries
):
    first = name_index_current()
    with django_assert_max_num_queries(2):  # the fingerprint only: no rebuild
        again = name_index_current()
    assert again is first
    assert found("Roza Tuletaeva spoke.") == [(known_people["tuletaeva"].pk, "Roza Tuletaeva")]


def test_it_finds_a_person_added_after_the_index_was_built(known_people):
    assert found("Nurlan Sadykov was detained.") == []
    person = PersonFactory(full_name="Nurlan Sadykov")
    assert found("Nurlan Sadykov was detained.") == [(person.pk, "Nurlan Sadykov")]


def test_it_finds_a_person_added_without_signals_after_the_index_was_built(known_people):
    # Imports and scripts may insert in bulk: no post_save, so the database must tell.
    assert found("Marat Ospanov was detained.") == []
    (person,) = Person.objects.bulk_create(
        [
            Person(
                full_name="Marat Ospanov",
                owning_organisation=known_people["aset"].owning_organisation,
            )
        ]
    )
    name_index_current()  # whatever the in-process counter says, the fingerprint differs
    assert [person_id for person_id, _ in found("Marat Ospanov was detained.")] == [person.pk]


def test_it_finds_a_renamed_person_by_the_new_name_and_not_the_old(known_people):
    person = known_people["kusmankyzy"]
    assert found("Saltanat Kusmankyzy spoke.") == [(person.pk, "Saltanat Kusmankyzy")]
    person.full_name = "Saltanat Bekova"
    person.save()
    assert found("Saltanat Bekova spoke.") == [(person.pk, "Saltanat Bekova")]
    assert found("Saltanat Kusmankyzy spoke.") == []


def test_it_sees_a_rename_by_another_process_on_postgresql(known_people):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the checksum over the names is PostgreSQL's; SQLite relies on updated_at")
    person = known_people["kusmankyzy"]
    assert found("Saltanat Kusmankyzy spoke.") == [(person.pk, "Saltanat Kusmankyzy")]
    # QuerySet.update sends no signal and leaves updated_at alone, as a script would.
    Person.objects.filter(pk=person.pk).update(full_name="Saltanat Bekova")
    assert found("Saltanat Bekova spoke.") == [(person.pk, "Saltanat Bekova")]


def _found_in(index, text: str) -> list[int]:
    return [name.person_id for name in name_index_find(index=index, text=text)]


def test_it_reads_again_a_name_changed_by_a_bare_update(known_people):
    # QuerySet.update leaves the stored keys (and their reading) made for the old name.
    person = known_people["kusmankyzy"]
    Person.objects.filter(pk=person.pk).update(full_name="Saltanat Bekova")
    index = name_index_build()
    assert _found_in(index, "Saltanat Bekova spoke.") == [person.pk]
    assert _found_in(index, "Saltanat Kusmankyzy spoke.") == []


def test_it_reads_again_an_alias_changed_by_a_bare_update(known_people):
    person = known_people["aset"]
    alias = PersonAliasFactory(person=person, name="Batyr Kemelov")
    PersonAlias.objects.filter(pk=alias.pk).update(name="Batyr Omarov")
    index = name_index_build()
    assert _found_in(index, "Batyr Omarov spoke.") == [person.pk]
    assert _found_in(index, "Batyr Kemelov spoke.") == []


def test_it_reads_a_person_inserted_in_bulk_with_keys_of_another_name(known_people):
    (person,) = Person.objects.bulk_create(
        [
            Person(
                full_name="Marat Ospanov",
                match_keys=" ".join(name_keys("Nurlan Sadykov")),
                owning_organisation=known_people["aset"].owning_organisation,
            )
        ]
    )
    index = name_index_build()
    assert _found_in(index, "Marat Ospanov was detained.") == [person.pk]
    assert _found_in(index, "Nurlan Sadykov was detained.") == []


def test_the_database_tells_whether_the_keys_were_made_for_the_names(known_people):
    """PostgreSQL keeps readings_current on every write (a stored generated column), which
    detection reads instead of checksumming every name; on SQLite it is NULL and detection
    works the same out when it reads the names."""
    from django.db import connection

    person = known_people["kusmankyzy"]
    alias = PersonAlias.objects.get(person=known_people["zheksebayev"])

    def current() -> tuple[bool | None, bool | None]:
        return (
            Person.objects.values_list("readings_current", flat=True).get(pk=person.pk),
            PersonAlias.objects.values_list("readings_current", flat=True).get(pk=alias.pk),
        )

    on_postgresql = connection.vendor == "postgresql"
    assert current() == ((True, True) if on_postgresql else (None, None))
    Person.objects.filter(pk=person.pk).update(native_name="Салтанат Бекова")
    PersonAlias.objects.filter(pk=alias.pk).update(name="Асхат Бекмуханов")
    assert current() == ((False, False) if on_postgresql else (None, None))
    person.refresh_from_db()
    person.save()  # the keys are made again, for the names as they are now
    alias.refresh_from_db()
    alias.save()
    assert current() == ((True, True) if on_postgresql else (None, None))


def test_it_finds_a_person_by_an_alias_added_after_the_index_was_built(known_people):
    person = known_people["aset"]
    assert found("Batyr Kemelov spoke.") == []
    PersonAliasFactory(person=person, name="Batyr Kemelov")
    assert found("Batyr Kemelov spoke.") == [(person.pk, "Batyr Kemelov")]


def test_it_stops_finding_an_archived_person(known_people, caseworker):
    from casework.archive import person_archive

    person = known_people["kenzhebek"]
    assert found("Kenzhebek Abishev spoke.") == [(person.pk, "Kenzhebek Abishev")]
    person_archive(person=person, by=caseworker)
    assert found("Kenzhebek Abishev spoke.") == []


@pytest.fixture
def shared_cache(settings):
    """A stand-in for Redis: the shared cache every process of every machine reads."""
    from django.core.cache import cache

    settings.REDIS_URL = "redis://shared-cache-stand-in"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "detection-shared-index",
        }
    }
    cache.clear()
    yield cache
    cache.clear()


def test_it_takes_the_index_another_process_built_from_the_shared_cache(
    known_people, shared_cache, django_assert_max_num_queries
):
    from advocacy.detection import name_index_forget

    built = name_index_current()
    name_index_forget()  # as a process started afterwards, on this machine or another
    with django_assert_max_num_queries(2):  # the fingerprint only: no build
        taken = name_index_current()
    assert taken is not built
    assert found("Roza Tuletaeva spoke.") == [(known_people["tuletaeva"].pk, "Roza Tuletaeva")]


def test_it_builds_again_when_a_name_changed_since_the_shared_index_was_built(
    known_people, shared_cache
):
    from advocacy.detection import name_index_forget

    name_index_current()
    person = PersonFactory(full_name="Nurlan Sadykov")
    name_index_forget()
    assert found("Nurlan Sadykov was detained.") == [(person.pk, "Nurlan Sadykov")]
