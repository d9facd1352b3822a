from django.core.management import call_command

from accountability.models import CaseRole, ResponsibleNameKey, ResponsiblePerson
from accountability.synthetic import SYNTHETIC_NOTE
from advocacy.synthetic import GENERATE_DATA_REASON, seed_person_names, synthetic_data_generate
from casework.names import name_parts


def test_generate_data_adds_synthetic_responsible_persons_with_roles(db):
    counts = synthetic_data_generate(cases=50, seed=4)
    persons = list(ResponsiblePerson.objects.all())
    assert len(persons) == counts.others["responsible persons"] == 3
    assert all(person.is_synthetic and person.notes == SYNTHETIC_NOTE for person in persons)
    assert CaseRole.objects.count() == counts.others["responsible roles"] >= 3
    references = CaseRole.objects.values_list("case__reference", flat=True)
    assert all(reference.startswith("GEN4-") for reference in references)
    assert ResponsibleNameKey.objects.filter(person__in=persons).count() > len(persons)
    assert {row.history_change_reason for person in persons for row in person.history.all()} == {
        GENERATE_DATA_REASON
    }


def test_no_synthetic_responsible_person_bears_a_seed_persons_family_name(db):
    synthetic_data_generate(cases=400, seed=5)
    seed_families = {name_parts(name).family for name in seed_person_names()}
    for person in ResponsiblePerson.objects.all():
        assert name_parts(person.native_name).family not in seed_families


def test_the_seeds_add_no_responsible_person(db):
    call_command("load_seeds", verbosity=0)
    assert not ResponsiblePerson.objects.exists()
