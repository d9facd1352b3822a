import pytest

from common.edit_stamps import EditedMeanwhile, edit_stamp, edit_stamp_check
from tests.factories import PersonFactory


@pytest.mark.django_db
def test_it_names_only_the_fields_changed_since_and_never_carries_their_values():
    person = PersonFactory(full_name="Almat Zhumagulov", family_contacts="Sister: +7 701 000")
    stamp = edit_stamp(instance=person, names=["full_name", "region", "family_contacts"])
    assert "Sister" not in stamp and "Almat" not in stamp
    type(person).objects.filter(pk=person.pk).update(region="Almaty")

    with pytest.raises(EditedMeanwhile) as meanwhile:
        edit_stamp_check(instance=person, stamp=stamp, allowed=["full_name", "region"])

    assert meanwhile.value.fields == ["region"]
    # The stamp it carries is the record as it stands: checked with it, nothing changed.
    edit_stamp_check(instance=person, stamp=meanwhile.value.stamp, allowed=["region"])
