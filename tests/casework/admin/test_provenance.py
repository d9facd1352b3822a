"""Where a record's facts come from, beside the record in the admin (casework/admin/provenance.py)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from casework.models import Person, Provenance
from tests.conftest import _signed_in
from tests.factories import PersonFactory


def test_it_shows_a_persons_sources_to_a_host_admin(client, host_admin, host):
    person = PersonFactory(full_name="Vladimir Kozlov", owning_organisation=host)
    Provenance.objects.create(
        record_type=ContentType.objects.get_for_model(Person),
        record_id=person.pk,
        facts="full_name",
        reference="Open Dialogue Foundation, statement of 11 February 2021",
        quote="Vladimir Kozlov, the leader of the unregistered Alga party",
    )
    _signed_in(client, host_admin)
    response = client.get(f"/admin/casework/person/{person.pk}/change/")
    assert response.status_code == 200
    assert "the leader of the unregistered Alga party" in response.text
