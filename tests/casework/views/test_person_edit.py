"""Editing a person (/people/<id>/edit/): who may, what is checked, what is recorded."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from casework.models import Affiliation, Confidentiality, Person, Role
from casework.people import person_update
from tests.conftest import _signed_in
from tests.factories import CaseFactory, PersonFactory, member


def _person_post(person: Person, **changes) -> dict:
    """Everything the edit form posts for the person as they are, with `changes` on top."""
    data = {
        "full_name": person.full_name,
        "native_name": person.native_name,
        "birth_date": person.birth_date.isoformat() if person.birth_date else "",
        "birth_year": person.birth_year or "",
        "gender": person.gender,
        "region": person.region,
        "occupation": person.occupation,
        "affiliations": [affiliation.pk for affiliation in person.affiliations.all()],
        "biography": person.biography,
        "family_contacts": person.family_contacts,
    }
    return data | changes


def test_it_edits_a_person_and_records_who_changed_what(
    client_as_caseworker, caseworker, zhumagulov
):
    party = Affiliation.objects.create(
        name="Democratic Choice of Kazakhstan", slug="dck", kind=Affiliation.Kind.MOVEMENT
    )
    response = client_as_caseworker.post(
        f"/people/{zhumagulov.pk}/edit/",
        _person_post(
            zhumagulov,
            region="Almaty",
            birth_date="1984-03-02",
            gender="male",
            occupation="journalist",
            biography="Editor of an independent news site.",
            family_contacts="Sister: +7 701 000",
            affiliations=[party.pk],
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == f"/people/{zhumagulov.pk}/"
    zhumagulov.refresh_from_db()
    assert (zhumagulov.region, zhumagulov.birth_date, zhumagulov.family_contacts) == (
        "Almaty",
        datetime.date(1984, 3, 2),
        "Sister: +7 701 000",
    )
    assert list(zhumagulov.affiliations.all()) == [party]
    # One save, one history row, naming the caseworker, with the affiliations in it.
    latest = zhumagulov.history.order_by("-history_id").first()
    assert zhumagulov.history.count() == 2
    assert latest.history_user == caseworker
    assert [affiliation.affiliation_id for affiliation in latest.affiliations.all()] == [party.pk]
    page = client_as_caseworker.get(response["Location"]).text
    assert "Almat Zhumagulov saved." in page
    history = page[page.index("Change history") :]
    assert "caseworker · changed" in history
    assert "<ins>Almaty</ins>" in history
    assert "Democratic Choice of Kazakhstan" in history


def test_it_finds_the_new_spelling_and_not_the_old_one_after_an_edit(
    client_as_caseworker, zhumagulov
):
    # The person was entered under a wrong name: the edit puts the right one in both scripts.
    client_as_caseworker.post(
        f"/people/{zhumagulov.pk}/edit/",
        _person_post(zhumagulov, full_name="Nurlan Yerkinov", native_name="Нурлан Еркинов"),
    )
    assert "Nurlan Yerkinov" in client_as_caseworker.get("/people/", {"q": "Erkinov"}).text
    assert "Nurlan Yerkinov" in client_as_caseworker.get("/people/", {"q": "Еркинов"}).text
    assert "Nobody matches" in client_as_caseworker.get("/people/", {"q": "Жумагулов"}).text


def test_it_refuses_a_full_name_changed_to_cyrillic_naming_it(client_as_caseworker, zhumagulov):
    response = client_as_caseworker.post(
        f"/people/{zhumagulov.pk}/edit/", _person_post(zhumagulov, full_name="Алмат Жумагулов")
    )
    assert response.status_code == 200
    assert "“Алмат Жумагулов” should be in Latin letters." in response.text
    zhumagulov.refresh_from_db()
    assert zhumagulov.full_name == "Almat Zhumagulov"


def test_it_keeps_a_cyrillic_full_name_on_file_when_other_facts_change(client_as_caseworker, host):
    person = PersonFactory(full_name="Алмат Жумагулов", owning_organisation=host)
    response = client_as_caseworker.post(
        f"/people/{person.pk}/edit/", _person_post(person, region="Almaty")
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.full_name, person.region) == ("Алмат Жумагулов", "Almaty")


def test_it_explains_a_birth_date_in_the_future_beside_the_field(client_as_caseworker, zhumagulov):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_as_caseworker.post(
        f"/people/{zhumagulov.pk}/edit/",
        _person_post(zhumagulov, full_name="Renamed", birth_date=tomorrow.isoformat()),
    )
    assert response.status_code == 200
    assert 'id="id_birth_date_error"' in response.text
    assert "A birth date cannot be in the future." in response.text
    # The heading keeps the name on file; nothing was written.
    assert "<h1>Edit Almat Zhumagulov</h1>" in response.text
    zhumagulov.refresh_from_db()
    assert (zhumagulov.full_name, zhumagulov.birth_date) == ("Almat Zhumagulov", None)
    assert zhumagulov.history.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"full_name": "  "}, "full_name"), ({"birth_year": "1850"}, "birth_year")],
)
def test_it_refuses_a_person_without_a_name_or_with_an_implausible_year(
    client_as_caseworker, zhumagulov, changes, field
):
    response = client_as_caseworker.post(
        f"/people/{zhumagulov.pk}/edit/", _person_post(zhumagulov, **changes)
    )
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in response.text
    assert zhumagulov.history.count() == 1


def test_it_keeps_family_contacts_from_a_partner_editing_their_own_person(
    client_as_partner, partner_user, partner_organisation
):
    person = PersonFactory(
        owning_organisation=partner_organisation, family_contacts="Brother: +7 702 SECRET"
    )
    form = client_as_partner.get(f"/people/{person.pk}/edit/")
    assert form.status_code == 200
    assert "SECRET" not in form.text
    assert 'name="family_contacts"' not in form.text
    response = client_as_partner.post(
        f"/people/{person.pk}/edit/",
        _person_post(person, region="Shymkent", family_contacts="Overwritten by the partner"),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.region == "Shymkent"
    assert person.family_contacts == "Brother: +7 702 SECRET"
    assert person.history.order_by("-history_id").first().history_user == partner_user


def test_it_forbids_editing_a_person_another_organisation_recorded_that_the_user_sees(
    client_as_partner, zhumagulov
):
    CaseFactory(person=zhumagulov, confidentiality=Confidentiality.PUBLIC)
    assert client_as_partner.get(f"/people/{zhumagulov.pk}/edit/").status_code == 403
    response = client_as_partner.post(
        f"/people/{zhumagulov.pk}/edit/", _person_post(zhumagulov, full_name="Changed")
    )
    assert response.status_code == 403
    zhumagulov.refresh_from_db()
    assert zhumagulov.full_name == "Almat Zhumagulov"


def test_it_answers_not_found_for_a_person_the_user_cannot_see(
    client, partner_organisation, other_partner_user
):
    person = PersonFactory(full_name="Hidden Person", owning_organisation=partner_organisation)
    _signed_in(client, other_partner_user)
    assert client.get(f"/people/{person.pk}/edit/").status_code == 404
    response = client.post(f"/people/{person.pk}/edit/", _person_post(person, full_name="X"))
    assert response.status_code == 404
    person.refresh_from_db()
    assert person.full_name == "Hidden Person"


def test_host_staff_may_edit_a_partners_person_they_can_see(client, host, partner_organisation):
    coordinator_less = member(organisation=host, role=Role.CASEWORKER, username="host-staff")
    person = PersonFactory(owning_organisation=partner_organisation)
    CaseFactory(person=person, owning_organisation=partner_organisation)
    _signed_in(client, coordinator_less)
    response = client.post(f"/people/{person.pk}/edit/", _person_post(person, region="Aktobe"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.region == "Aktobe"


def test_it_refuses_an_affiliation_id_beyond_the_databases_integers_beside_the_field(
    client_as_caseworker, zhumagulov
):
    # A forged multiple choice (ModelMultipleChoiceField asks `pk__in`) answered 500.
    response = client_as_caseworker.post(
        f"/people/{zhumagulov.pk}/edit/",
        _person_post(zhumagulov, full_name="Renamed", affiliations=["99999999999999999999"]),
    )
    assert response.status_code == 200
    assert 'id="id_affiliations_error"' in response.text
    zhumagulov.refresh_from_db()
    assert zhumagulov.full_name == "Almat Zhumagulov"


def test_it_refuses_a_stale_form_naming_the_field_someone_else_changed(
    client_as_caseworker, coordinator, zhumagulov
):
    opened = client_as_caseworker.get(f"/people/{zhumagulov.pk}/edit/").text
    stamp = re.search(r'name="edit_stamp" value="([^"]+)"', opened).group(1)
    mine = _person_post(zhumagulov, occupation=zhumagulov.occupation, edit_stamp=stamp)
    person_update(person=zhumagulov, by=coordinator, native_name="Әлмат Жұмағұлов")

    refused = client_as_caseworker.post(f"/people/{zhumagulov.pk}/edit/", mine)

    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors() == [
        "Someone else changed this since you opened it: “Name in native script”. Nothing was "
        "saved. Open it again to see their change, or save again to replace it with yours."
    ]
    zhumagulov.refresh_from_db()
    assert zhumagulov.native_name == "Әлмат Жұмағұлов"
