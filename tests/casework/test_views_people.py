import datetime

import pytest
from django.utils import timezone

from casework.models import Affiliation, Confidentiality, Person, PersonAlias, Role
from tests.conftest import _signed_in
from tests.factories import CaseFactory, DocumentFactory, MentionFactory, PersonFactory, member


@pytest.fixture
def zhumagulov(host):
    return PersonFactory(
        full_name="Almat Zhumagulov", native_name="Алмат Жумагулов", owning_organisation=host
    )


def test_it_lists_people_and_their_visible_cases(client_as_caseworker, zhumagulov):
    case = CaseFactory(person=zhumagulov, reference="KZ-0001")
    response = client_as_caseworker.get("/people/")
    assert response.status_code == 200
    assert "Almat Zhumagulov" in response.text
    assert case.reference in response.text


def test_it_shows_an_empty_state(client_as_caseworker):
    assert "No people on file yet" in client_as_caseworker.get("/people/").text


@pytest.mark.parametrize("query", ["Жумагулов", "Jumagulov", "Almat Zhumagulov"])
def test_it_finds_a_person_by_any_spelling(client_as_caseworker, zhumagulov, query):
    PersonFactory(full_name="Someone Else")
    response = client_as_caseworker.get("/people/", {"q": query})
    assert "Almat Zhumagulov" in response.text
    assert "Someone Else" not in response.text


def test_it_says_when_nobody_matches(client_as_caseworker, zhumagulov):
    assert (
        "Nobody matches this name" in client_as_caseworker.get("/people/", {"q": "Nazarbayev"}).text
    )


def test_it_hides_people_of_another_organisation_from_a_partner(
    client_as_partner, zhumagulov, partner_organisation
):
    CaseFactory(person=zhumagulov)
    PersonFactory(full_name="Partner Person", owning_organisation=partner_organisation)
    response = client_as_partner.get("/people/")
    assert "Partner Person" in response.text
    assert "Almat Zhumagulov" not in response.text
    assert client_as_partner.get(f"/people/{zhumagulov.pk}/").status_code == 404


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


def test_it_adds_an_alias_that_search_then_finds(client_as_caseworker, zhumagulov):
    response = client_as_caseworker.post(
        f"/people/{zhumagulov.pk}/aliases/new/", {"name": "Almatbek Zhumagul", "kind": "pseudonym"}
    )
    assert response.status_code == 302
    assert PersonAlias.objects.get(person=zhumagulov).name == "Almatbek Zhumagul"
    page = client_as_caseworker.get(response["Location"]).text
    assert "added as another name" in page
    assert "Almat Zhumagulov" in client_as_caseworker.get("/people/", {"q": "Almatbek"}).text


def test_it_refuses_an_empty_alias(client_as_caseworker, zhumagulov):
    response = client_as_caseworker.post(
        f"/people/{zhumagulov.pk}/aliases/new/", {"name": "  ", "kind": "spelling"}
    )
    assert response.status_code == 200
    assert not PersonAlias.objects.exists()


def test_it_forbids_a_partner_to_add_an_alias_to_a_host_person(client_as_partner, zhumagulov):
    CaseFactory(person=zhumagulov, confidentiality=Confidentiality.PUBLIC)
    response = client_as_partner.post(
        f"/people/{zhumagulov.pk}/aliases/new/", {"name": "X Y", "kind": "spelling"}
    )
    assert response.status_code == 403
    assert not PersonAlias.objects.exists()


def test_it_suggests_people_already_on_file_while_a_name_is_typed(client_as_caseworker, zhumagulov):
    response = client_as_caseworker.get("/people/similar/", {"person-full_name": "Almat Jumagulov"})
    assert "Almat Zhumagulov" in response.text
    assert f"?person={zhumagulov.pk}" in response.text


def test_it_suggests_nobody_the_user_may_not_see(client_as_partner, zhumagulov):
    response = client_as_partner.get("/people/similar/", {"person-full_name": "Almat Jumagulov"})
    assert "Almat Zhumagulov" not in response.text


@pytest.mark.parametrize("number", [5, 500])
def test_it_lists_people_in_a_bounded_number_of_queries(
    client_as_caseworker, host, number, django_assert_max_num_queries
):
    Person.objects.bulk_create(
        [Person(full_name=f"Bulk {index}", owning_organisation=host) for index in range(number)]
    )
    client_as_caseworker.get("/people/")
    with django_assert_max_num_queries(12):
        response = client_as_caseworker.get("/people/")
    assert "Bulk" in response.text


def test_the_person_page_runs_a_bounded_number_of_queries(
    client_as_caseworker, zhumagulov, django_assert_max_num_queries
):
    for index in range(5):
        MentionFactory(case=CaseFactory(person=zhumagulov))
        zhumagulov.region = f"Region {index}"
        zhumagulov.save()
    client_as_caseworker.get("/people/")
    with django_assert_max_num_queries(15):
        assert client_as_caseworker.get(f"/people/{zhumagulov.pk}/").status_code == 200


def test_it_returns_only_the_results_to_htmx(client_as_caseworker, zhumagulov):
    response = client_as_caseworker.get(
        "/people/", {"q": "Жумагулов"}, headers={"HX-Request": "true"}
    )
    assert "Almat Zhumagulov" in response.text
    assert "<html" not in response.text


def test_it_returns_the_whole_page_to_an_htmx_history_restore(client_as_caseworker, zhumagulov):
    response = client_as_caseworker.get(
        "/people/",
        {"q": "Жумагулов"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.text
    assert "Almat Zhumagulov" in response.text


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
    from casework.models import Affiliation

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


def test_it_offers_the_edit_link_to_those_who_may_change_the_person(
    client_as_caseworker, client, partner_user, zhumagulov
):
    CaseFactory(person=zhumagulov, confidentiality=Confidentiality.PUBLIC)
    edit_url = f"/people/{zhumagulov.pk}/edit/"
    assert edit_url in client_as_caseworker.get(f"/people/{zhumagulov.pk}/").text
    _signed_in(client, partner_user)
    assert edit_url not in client.get(f"/people/{zhumagulov.pk}/").text


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


def test_the_person_history_shows_who_added_an_alias_and_when(client_as_caseworker, zhumagulov):
    client_as_caseworker.post(
        f"/people/{zhumagulov.pk}/aliases/new/", {"name": "Almatbek Zhumagul", "kind": "pseudonym"}
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
