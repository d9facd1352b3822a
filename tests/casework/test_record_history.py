import pytest

from casework.models import Affiliation, PersonAlias
from casework.people import person_add_alias
from casework.record_history import person_change_history, record_change_history
from tests.factories import PersonFactory


def _affiliation(name: str) -> Affiliation:
    return Affiliation.objects.create(name=name, slug=name.lower(), kind=Affiliation.Kind.PARTY)


def test_it_lists_changes_newest_first_with_old_and_new_values(caseworker):
    person = PersonFactory(full_name="Almat Zhumagulov", region="")
    person.region = "Almaty"
    person._history_user = caseworker
    person.save()
    created, changed = reversed(record_change_history(record=person))
    assert (changed.kind, changed.who) == ("Changed", "caseworker")
    assert [(c.label, c.old, c.new) for c in changed.changes] == [("region", "—", "Almaty")]
    assert created.kind == "Created"


def test_it_leaves_out_a_save_that_changed_only_hidden_fields(db):
    person = PersonFactory(family_contacts="Sister")
    person.family_contacts = "Brother"
    person.save()
    entries = record_change_history(record=person, hidden_fields=["family_contacts"])
    assert [entry.kind for entry in entries] == ["Created"]


def test_it_shows_a_save_that_changed_only_hidden_fields_to_whom_they_are_not_hidden(db):
    person = PersonFactory(family_contacts="Sister")
    person.family_contacts = "Brother"
    person.save()
    latest = record_change_history(record=person)[0]
    assert [(c.label, c.old, c.new) for c in latest.changes] == [
        ("family contacts", "Sister", "Brother")
    ]


def test_it_shows_only_the_visible_part_of_a_save_that_changed_hidden_fields_too(db):
    person = PersonFactory(family_contacts="Sister", region="")
    person.family_contacts = "Brother"
    person.region = "Almaty"
    person.save()
    latest = record_change_history(record=person, hidden_fields=["family_contacts"])[0]
    assert [(c.label, c.new) for c in latest.changes] == [("region", "Almaty")]


def test_it_still_lists_a_save_that_changed_nothing(db):
    person = PersonFactory()
    person.save()
    entries = record_change_history(record=person, hidden_fields=["family_contacts"])
    assert [(entry.kind, entry.changes) for entry in entries] == [
        ("Changed", []),
        ("Created", []),
    ]


def test_the_person_history_lists_names_added_changed_and_removed_with_who(caseworker, coordinator):
    person = PersonFactory(full_name="Almat Zhumagulov")
    person_add_alias(person=person, name="Almat Jumagulov", by=caseworker)
    alias = person_add_alias(
        person=person, name="Zhumagul", kind=PersonAlias.Kind.PSEUDONYM, by=caseworker
    )
    alias.name = "Zhumagul A."
    alias._history_user = coordinator
    alias.save()
    alias._history_user = coordinator
    alias.delete()
    entries = person_change_history(person=person, show_sensitive=False)
    assert [(entry.who, [(c.label, c.old, c.new) for c in entry.changes]) for entry in entries] == [
        ("coordinator", [("other names", "Zhumagul A. (pseudonym)", "—")]),
        ("coordinator", [("other names", "Zhumagul (pseudonym)", "Zhumagul A. (pseudonym)")]),
        ("caseworker", [("other names", "—", "Zhumagul (pseudonym)")]),
        ("caseworker", [("other names", "—", "Almat Jumagulov (other spelling)")]),
        ("system", []),
    ]


def test_adding_a_name_the_person_already_has_records_nothing(caseworker):
    person = PersonFactory()
    first = person_add_alias(person=person, name="Almat Jumagulov", by=caseworker)
    again = person_add_alias(person=person, name=" Almat Jumagulov ", by=caseworker)
    assert again.pk == first.pk
    assert PersonAlias.history.filter(person_id=person.pk).count() == 1


def test_the_person_history_keeps_to_its_limit_and_a_fixed_number_of_queries(
    caseworker, django_assert_max_num_queries
):
    person = PersonFactory()
    for index in range(6):
        person_add_alias(person=person, name=f"Spelling {index}", by=caseworker)
        person.region = f"Region {index}"
        person.save()
    with django_assert_max_num_queries(4):
        entries = person_change_history(person=person, show_sensitive=True, limit=5)
    assert len(entries) == 5
    assert [entry.when for entry in entries] == sorted(
        (entry.when for entry in entries), reverse=True
    )


@pytest.mark.parametrize("saves", [3, 30])
def test_it_reads_a_history_in_a_fixed_number_of_queries(db, saves, django_assert_max_num_queries):
    person = PersonFactory()
    parties = [_affiliation(f"Party{index}") for index in range(3)]
    for index in range(saves):
        person.region = f"Region {index}"
        person.save()
        person.affiliations.set([parties[index % 3]])
    # The records, the affiliation sets, and the names of the affiliations they point at.
    with django_assert_max_num_queries(3):
        entries = record_change_history(record=person, limit=25)
    assert len(entries) == min(25, person.history.count())
    assert any(change.label == "affiliations" for entry in entries for change in entry.changes)
