"""The import history in the admin (casework/admin/imports.py): read-only, of the
organisations a user imports for."""

from __future__ import annotations

from casework.models import (
    ColumnMapping,
    ImportRun,
)
from tests.conftest import _signed_in


def test_it_lists_import_runs_read_only_and_of_the_users_organisation_only(
    client, partner_admin, partner_organisation, other_partner_organisation
):
    own = ImportRun.objects.create(
        organisation=partner_organisation, file_name="ours.xlsx", file_sha256="a" * 64
    )
    ImportRun.objects.create(
        organisation=other_partner_organisation, file_name="theirs.xlsx", file_sha256="b" * 64
    )
    ColumnMapping.objects.create(organisation=other_partner_organisation, header="фио")
    _signed_in(client, partner_admin)
    listing = client.get("/admin/casework/importrun/").text
    assert "ours.xlsx" in listing and "a" * 64 in listing
    assert "theirs.xlsx" not in listing
    assert client.get(f"/admin/casework/importrun/{own.pk}/change/").status_code == 200
    assert client.post(f"/admin/casework/importrun/{own.pk}/change/", {}).status_code == 403
    assert client.get("/admin/casework/importrun/add/").status_code == 403
    assert "фио" not in client.get("/admin/casework/columnmapping/").text
