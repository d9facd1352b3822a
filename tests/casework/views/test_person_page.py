"""A person's page (/people/<id>/): their visible cases, mentions and history."""

from __future__ import annotations

from django.utils import timezone

from casework.models import Affiliation, Confidentiality, Person, PersonAlias
from tests.conftest import _signed_in
from tests.factories import CaseFactory, DocumentFactory, MentionFactory, PersonFactory


def test_it_shows_a_person_with_cases_and_mentions(client_as_caseworker, zhumagulov):
    case = CaseFactory(person=zhumagulov, reference="KZ-0001")
    MentionFactory(
        case=case,
        document=DocumentFactory(title="Resolution of 11 February 2021"),
        passage="release Almat Zhumagulov",
    )
    response = client_as_caseworker.get(f"/people/{zhumagulov.pk}/")
    assert response.status_code == 200
    assert "KZ-0001" in response.text
    assert "Resolution of 11 February 2021" in response.text
    assert "release Almat Zhumagulov" in response.text


def test_it_lists_only_the_cases_the_partner_may_see_on_a_person_page(
    client_as_partner, partner_organisation, host
):
    person = PersonFactory(owning_organisation=partner_organisation)
    CaseFactory(person=person, owning_organisation=partner_organisation, reference="PARTNER-1")
    CaseFactory(
        person=person,
        owning_organisation=host,
        reference="HOST-RESTRICTED",
        confidentiality=Confidentiality.RESTRICTED,
    )
    text = client_as_partner.get(f"/people/{person.pk}/").text
    assert "PARTNER-1" in text
    assert "HOST-RESTRICTED" not in text


def test_it_hides_family_contacts_from_a_partner(client_as_partner, partner_organisation):
    person = PersonFactory(
        owning_organisation=partner_organisation, family_contacts="Brother +7 777"
    )
    assert "Brother +7 777" not in client_as_partner.get(f"/people/{person.pk}/").text


def test_the_person_page_runs_a_bounded_number_of_queries(
    client_as_caseworker, zhumagulov, django_assert_max_num_queries
):
    for index in range(5):
        MentionFactory(case=CaseFactory(person=zhumagulov))
        zhumagulov.region = f"Region {index}"
        zhumagulov.save()
    client_as_caseworker.get("/people/")
    # One each for the person's status conflicts and the sources of its facts: fixed,
    # whatever the number of cases, mentions and history rows.
    with django_assert_max_num_queries(16):
        assert client_as_caseworker.get(f"/people/{zhumagulov.pk}/").status_code == 200


def test_it_logs_each_restricted_case_the_person_page_shows(
    client_as_caseworker, caseworker, zhumagulov, host
):
    from casework.models import RestrictedCaseView

    restricted = CaseFactory(
        person=zhumagulov,
        owning_organisation=host,
        confidentiality=Confidentiality.RESTRICTED,
        assigned_caseworker=caseworker,
    )
    CaseFactory(
        person=zhumagulov, owning_organisation=host, confidentiality=Confidentiality.INTERNAL
    )
    response = client_as_caseworker.get(f"/people/{zhumagulov.pk}/")
    assert restricted.reference in response.text
    logged = RestrictedCaseView.objects.filter(user=caseworker)
    assert list(logged.values_list("case_id", "path")) == [
        (restricted.pk, f"/people/{zhumagulov.pk}/")
    ]


def test_the_person_page_shows_who_changed_which_field_from_what_to_what(
    client_as_caseworker, caseworker, zhumagulov
):

    zhumagulov.region = "Almaty"
    zhumagulov.occupation = Person.Occupation.JOURNALIST
    zhumagulov._history_user = caseworker
    zhumagulov.save()
    zhumagulov.affiliations.add(
        Affiliation.objects.create(
            name="Democratic Choice of Kazakhstan", slug="dck", kind=Affiliation.Kind.MOVEMENT
        )
    )
    text = client_as_caseworker.get(f"/people/{zhumagulov.pk}/").text
    history = text[text.index("Change history") :]
    assert "caseworker · changed" in history
    assert "Region: <del>—</del>" in history
    assert "<ins>Almaty</ins>" in history
    assert "<ins>Journalist</ins>" in history
    assert "Democratic Choice of Kazakhstan" in history


def test_the_person_history_hides_family_contacts_from_a_partner(
    client_as_partner, partner_user, partner_organisation
):
    person = PersonFactory(
        owning_organisation=partner_organisation, family_contacts="Sister: +7 701 000"
    )
    person.family_contacts = "Brother: +7 702 111"
    person.save()
    text = client_as_partner.get(f"/people/{person.pk}/").text
    history = text[text.index("Change history") :]
    assert "+7 70" not in history
    assert "Family contacts" not in history
    # Not even a row telling that something hidden changed: only the creation is listed.
    assert "No visible field changed." not in history
    assert history[: history.index("</section>")].count("<li>") == 1


def test_the_person_history_shows_family_contacts_to_host_staff(client_as_caseworker, zhumagulov):
    zhumagulov.family_contacts = "Brother: +7 702 111"
    zhumagulov.save()
    text = client_as_caseworker.get(f"/people/{zhumagulov.pk}/").text
    assert "<ins>Brother: +7 702 111</ins>" in text[text.index("Change history") :]


def test_it_offers_the_edit_link_to_those_who_may_change_the_person(
    client_as_caseworker, client, partner_user, zhumagulov
):
    CaseFactory(person=zhumagulov, confidentiality=Confidentiality.PUBLIC)
    edit_url = f"/people/{zhumagulov.pk}/edit/"
    assert edit_url in client_as_caseworker.get(f"/people/{zhumagulov.pk}/").text
    _signed_in(client, partner_user)
    assert edit_url not in client.get(f"/people/{zhumagulov.pk}/").text


def test_the_person_history_shows_who_added_an_alias_and_when(client_as_caseworker, zhumagulov):
    client_as_caseworker.post(
        f"/people/{zhumagulov.pk}/aliases/new/",
        {"name": "Almatbek Zhumagul", "kind": PersonAlias.Kind.PSEUDONYM},
    )
    text = client_as_caseworker.get(f"/people/{zhumagulov.pk}/").text
    history = text[text.index("Change history") :]
    added = history[: history.index("Almatbek Zhumagul")]
    assert f"{timezone.localtime():%-d %b %Y}" in added
    assert "caseworker · changed" in added
    assert "Other names: <del>—</del>" in history
    assert "<ins>Almatbek Zhumagul (pseudonym)</ins>" in history


def test_the_person_history_hides_a_family_contacts_change_whole_from_a_partner_only(
    client, partner_organisation, partner_user, host, caseworker
):
    person = PersonFactory(owning_organisation=partner_organisation)
    CaseFactory(person=person, owning_organisation=partner_organisation)
    person.family_contacts = "Brother: +7 702 111"
    person._history_user = caseworker
    person.save()
    _signed_in(client, partner_user)
    partner_history = client.get(f"/people/{person.pk}/").text.split("Change history")[1]
    assert "caseworker" not in partner_history
    _signed_in(client, caseworker)
    host_history = client.get(f"/people/{person.pk}/").text.split("Change history")[1]
    assert "caseworker · changed" in host_history
    assert "<ins>Brother: +7 702 111</ins>" in host_history
