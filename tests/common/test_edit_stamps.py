import pytest

from common.edit_stamps import (
    EditedMeanwhile,
    edit_stamp,
    edit_stamp_check,
    edited_meanwhile_message,
)
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


@pytest.mark.parametrize(
    ("language", "quoted_labels"),
    [("en", "“Summary”, “Region”"), ("ru", "«Summary», «Region»"), ("kk", "«Summary», «Region»")],
)
def test_it_quotes_the_fields_in_the_reader_s_quotation_marks(language, quoted_labels):
    from django import forms
    from django.utils import translation

    form = forms.Form()
    form.fields["summary"] = forms.CharField(label="Summary")
    form.fields["region"] = forms.CharField(label="Region")

    with translation.override(language):
        message = edited_meanwhile_message(form=form, fields=["summary", "region"])

    assert quoted_labels in message
