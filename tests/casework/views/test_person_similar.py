"""The possible-duplicates hint the case form asks for while a name is typed
(/people/similar/)."""

from __future__ import annotations

import pytest

from tests.factories import PersonFactory


def test_it_suggests_people_already_on_file_while_a_name_is_typed(client_as_caseworker, zhumagulov):
    response = client_as_caseworker.get("/people/similar/", {"person-full_name": "Almat Jumagulov"})
    assert "Almat Zhumagulov" in response.text
    assert f"?person={zhumagulov.pk}" in response.text


def test_it_carries_the_names_typed_to_new_case_for_the_person_suggested(
    client_as_caseworker, zhumagulov
):
    typed = {"person-full_name": "Almat  Jumagulov", "person-native_name": "Алмат Жұмағұлов"}
    response = client_as_caseworker.get("/people/similar/", typed)
    link = response.text.split('href="')[1].split('"')[0].replace("&amp;", "&")
    assert link == (
        f"/cases/new/?person={zhumagulov.pk}&person-full_name=Almat+Jumagulov"
        "&person-native_name=%D0%90%D0%BB%D0%BC%D0%B0%D1%82+%D0%96%D2%B1%D0%BC%D0%B0%D2%93"
        "%D2%B1%D0%BB%D0%BE%D0%B2"
    )


def test_it_suggests_nobody_the_user_may_not_see(client_as_partner, zhumagulov):
    response = client_as_partner.get("/people/similar/", {"person-full_name": "Almat Jumagulov"})
    assert "Almat Zhumagulov" not in response.text


@pytest.mark.parametrize("typed", ["Zhumagulov", "Жумагулов", "zhumagulov", "Jumagulov"])
def test_it_suggests_a_person_for_their_family_name_alone(client_as_caseworker, zhumagulov, typed):
    response = client_as_caseworker.get("/people/similar/", {"person-full_name": typed})
    assert [duplicate.person for duplicate in response.context["duplicates"]] == [zhumagulov]


def test_it_suggests_kozlov_for_kozlov_as_people_search_finds_him(client_as_caseworker, host):
    kozlov = PersonFactory(full_name="Vladimir Kozlov", native_name="Владимир Козлов")
    searched = client_as_caseworker.get("/people/", {"q": "Kozlov"})
    assert "Vladimir Kozlov" in searched.text
    response = client_as_caseworker.get("/people/similar/", {"person-full_name": "Kozlov"})
    assert [duplicate.person for duplicate in response.context["duplicates"]] == [kozlov]
