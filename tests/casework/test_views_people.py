import pytest

from casework.models import Confidentiality, Person, PersonAlias
from tests.factories import CaseFactory, DocumentFactory, MentionFactory, PersonFactory


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
    assert "No visible field changed." in history


def test_the_person_history_shows_family_contacts_to_host_staff(client_as_caseworker, zhumagulov):
    zhumagulov.family_contacts = "Brother: +7 702 111"
    zhumagulov.save()
    text = client_as_caseworker.get(f"/people/{zhumagulov.pk}/").text
    assert "<ins>Brother: +7 702 111</ins>" in text[text.index("Change history") :]
