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


def test_an_admin_exports_the_charges_as_csv_with_formulas_escaped(client, host_admin):
    from casework.models import Charge

    Charge.objects.create(jurisdiction="KZ", code="CC 2014", article="174", title="=HYPERLINK(1)")
    _signed_in(client, host_admin)
    columns = ["jurisdiction", "code", "article", "part", "title"]
    response = client.post(
        "/admin/casework/charge/export/",
        {"format": "0", "resource": "0", **{f"chargeresource_{name}": "on" for name in columns}},
    )
    assert response.status_code == 200
    body = response.content.decode("utf-8-sig")
    assert "174" in body
    assert "'=HYPERLINK(1)" in body


def test_an_admin_imports_detention_places_from_a_csv_after_a_preview(client, host_admin):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _signed_in(client, host_admin)
    upload = SimpleUploadedFile(
        "places.csv", "id,name,region,kind\n,ИК-158/2,Petropavlovsk,colony\n".encode()
    )
    preview = client.post(
        "/admin/casework/detentionplace/import/",
        {"format": "0", "resource": "0", "import_file": upload},
    )
    assert preview.status_code == 200
    assert not DetentionPlace.objects.filter(name="ИК-158/2").exists()  # nothing before confirming
    confirm_form = preview.context["confirm_form"]
    confirmed = client.post(
        "/admin/casework/detentionplace/process_import/",
        {name: value for name, value in confirm_form.initial.items()},
    )
    assert confirmed.status_code == 302
    assert DetentionPlace.objects.get(name="ИК-158/2").region == "Petropavlovsk"
