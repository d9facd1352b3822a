"""Partner users read cases and people without their sensitive fields (family contacts,
sources, health), on the pages and in every export (the IDOR sweeps in tests/test_idor*.py
check what is hidden whole; this checks what is hidden inside a visible record)."""

from __future__ import annotations

import io

import openpyxl
from django.urls import reverse

from casework.models import Confidentiality, Role
from tests.conftest import _signed_in
from tests.factories import CaseFactory, PersonFactory, member
from tests.idor_routes import all_routes
from tests.test_idor import _id_kwargs


def test_it_keeps_sensitive_fields_from_partner_users_on_pages_and_exports(
    client, partner_organisation
):
    partner = member(organisation=partner_organisation, role=Role.PARTNER, username="reader")
    person = PersonFactory(
        owning_organisation=partner_organisation, family_contacts="Sister: +7 701 SENSITIVE-FAMILY"
    )
    case = CaseFactory(
        person=person,
        owning_organisation=partner_organisation,
        confidentiality=Confidentiality.INTERNAL,
        sources="SENSITIVE-SOURCE informant",
        health_notes="SENSITIVE-HEALTH diabetes",
    )
    _signed_in(client, partner)
    markers = ("SENSITIVE-FAMILY", "SENSITIVE-SOURCE", "SENSITIVE-HEALTH")
    urls = [reverse("case_detail", args=[case.pk]), reverse("person_detail", args=[person.pk])]
    urls += [
        route.url({})
        for route in all_routes()
        if route.name
        and "export" in route.name
        and not _id_kwargs(route)
        and route.namespace is None
    ]
    checked = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if url.endswith(".xlsx"):
            workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
            text = " ".join(
                str(cell)
                for sheet in workbook.worksheets
                for row in sheet.iter_rows(values_only=True)
                for cell in row
                if cell is not None
            )
        else:
            text = body.decode("utf-8", errors="replace")
        assert case.reference in text or person.full_name in text, f"{url} does not show the case"
        for marker in markers:
            assert marker not in text, f"{url} shows {marker} to a partner user"
        checked += 1
    assert checked >= 3
