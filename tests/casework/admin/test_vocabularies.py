"""Vocabularies in the admin (casework/admin/vocabularies.py): kept with their history,
searchable, for staff only."""

from __future__ import annotations

from casework.models import DetentionPlace
from tests.conftest import _signed_in


def test_it_adds_a_detention_place_with_a_history_row_naming_the_admin(client, host_admin):
    _signed_in(client, host_admin)
    response = client.post(
        "/admin/casework/detentionplace/add/",
        {"name": "SIZO-1 Almaty", "region": "Almaty", "kind": "SIZO"},
    )
    assert response.status_code == 302
    place = DetentionPlace.objects.get(name="SIZO-1 Almaty")
    assert place.history.latest().history_user == host_admin
    listing = client.get("/admin/casework/detentionplace/", {"q": "Almaty"})
    assert "SIZO-1 Almaty" in listing.text


def test_it_tells_users_who_are_not_staff_that_the_admin_site_is_not_for_them(client, coordinator):
    DetentionPlace.objects.create(name="SIZO-1 Almaty")
    _signed_in(client, coordinator)
    response = client.get("/admin/casework/detentionplace/", follow=True)
    assert response.status_code == 403
    assert "The admin site is for administrators only." in response.text
    assert "SIZO-1 Almaty" not in response.text
