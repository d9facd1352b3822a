"""The possible-duplicates hint the case form asks for while a name is typed
(/people/similar/)."""

from __future__ import annotations


def test_it_suggests_people_already_on_file_while_a_name_is_typed(client_as_caseworker, zhumagulov):
    response = client_as_caseworker.get("/people/similar/", {"person-full_name": "Almat Jumagulov"})
    assert "Almat Zhumagulov" in response.text
    assert f"?person={zhumagulov.pk}" in response.text


def test_it_suggests_nobody_the_user_may_not_see(client_as_partner, zhumagulov):
    response = client_as_partner.get("/people/similar/", {"person-full_name": "Almat Jumagulov"})
    assert "Almat Zhumagulov" not in response.text
