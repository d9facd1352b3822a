"""Adding another name of a person (/people/<id>/aliases/new/)."""

from __future__ import annotations

from casework.models import Confidentiality, PersonAlias
from tests.factories import CaseFactory


def test_it_adds_an_alias_that_search_then_finds(client_as_caseworker, zhumagulov):
    response = client_as_caseworker.post(
        f"/people/{zhumagulov.pk}/aliases/new/",
        {"name": "Almatbek Zhumagul", "kind": PersonAlias.Kind.PSEUDONYM},
    )
    assert response.status_code == 302
    assert PersonAlias.objects.get(person=zhumagulov).name == "Almatbek Zhumagul"
    page = client_as_caseworker.get(response["Location"]).text
    assert "added as another name" in page
    assert "Almat Zhumagulov" in client_as_caseworker.get("/people/", {"q": "Almatbek"}).text


def test_it_says_an_alias_the_person_already_has_is_one_of_their_names(
    client_as_caseworker, zhumagulov
):
    # Not "added as another name" a second time, as a pseudonym, while the spelling stays.
    url = f"/people/{zhumagulov.pk}/aliases/new/"
    client_as_caseworker.post(url, {"name": "Алмат Жұмағұлов", "kind": PersonAlias.Kind.SPELLING})
    again = client_as_caseworker.post(
        url, {"name": " Алмат Жұмағұлов ", "kind": PersonAlias.Kind.PSEUDONYM}
    )
    assert again.status_code == 200
    assert "This is already one of the person&#x27;s other names." in again.text
    assert PersonAlias.objects.get().kind == PersonAlias.Kind.SPELLING


def test_it_says_a_spelling_differing_only_in_case_is_already_one_of_their_names(
    client_as_caseworker, zhumagulov
):
    url = f"/people/{zhumagulov.pk}/aliases/new/"
    client_as_caseworker.post(url, {"name": "Almat Jumagulov", "kind": PersonAlias.Kind.SPELLING})
    again = client_as_caseworker.post(
        url, {"name": "almat  JUMAGULOV", "kind": PersonAlias.Kind.SPELLING}
    )
    assert "This is already one of the person&#x27;s other names." in again.text
    own = client_as_caseworker.post(url, {"name": "алмат жумагулов", "kind": "spelling"})
    assert "This is already the person&#x27;s name." in own.text
    assert list(PersonAlias.objects.values_list("name", flat=True)) == ["Almat Jumagulov"]


def test_it_refuses_an_empty_alias(client_as_caseworker, zhumagulov):
    response = client_as_caseworker.post(
        f"/people/{zhumagulov.pk}/aliases/new/", {"name": "  ", "kind": PersonAlias.Kind.SPELLING}
    )
    assert response.status_code == 200
    assert not PersonAlias.objects.exists()


def test_it_forbids_a_partner_to_add_an_alias_to_a_host_person(client_as_partner, zhumagulov):
    CaseFactory(person=zhumagulov, confidentiality=Confidentiality.PUBLIC)
    response = client_as_partner.post(
        f"/people/{zhumagulov.pk}/aliases/new/", {"name": "X Y", "kind": PersonAlias.Kind.SPELLING}
    )
    assert response.status_code == 403
    assert not PersonAlias.objects.exists()
