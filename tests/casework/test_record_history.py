import pytest

from casework.models import Affiliation
from casework.record_history import record_change_history
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


def test_it_never_shows_a_hidden_field_even_as_changed(db):
    person = PersonFactory(family_contacts="Sister")
    person.family_contacts = "Brother"
    person.save()
    latest = record_change_history(record=person, hidden_fields=["family_contacts"])[0]
    assert latest.changes == []


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
