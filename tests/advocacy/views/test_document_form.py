"""Recording and editing a document (/documents/new/, /documents/<id>/edit/), and the
breadcrumbs of the pages that change a document."""

from __future__ import annotations

import pytest
from django.urls import reverse

from advocacy.models import Document
from tests.factories import (
    IssuingBodyFactory,
)


def test_it_refuses_document_changes_to_a_partner_user(client_as_partner, resolution):
    assert client_as_partner.get(reverse("document_create")).status_code == 403
    assert client_as_partner.get(reverse("document_edit", args=[resolution.pk])).status_code == 403
    assert client_as_partner.get(reverse("mention_add", args=[resolution.pk])).status_code == 403


def document_data(**overrides):
    data = {
        "kind": Document.Kind.RESOLUTION,
        "issuing_body": IssuingBodyFactory().pk,
        "title": "Resolution on Kazakhstan 2013",
        "reference": "P7_TA(2013)0184",
        "procedure": "2013/2599(RSP)",
        "issued_on": "2013-04-18",
        "url": "",
        "language": "en",
        "votes_for": "",
        "votes_against": "",
        "votes_abstained": "",
        "full_text": "",
        "source": "",
    }
    data.update(overrides)
    return data


def test_it_records_a_document(client_as_caseworker, caseworker):
    response = client_as_caseworker.post(reverse("document_create"), document_data(), follow=True)
    document = Document.objects.get(reference="P7_TA(2013)0184")
    assert document.created_by == caseworker
    assert response.redirect_chain[-1][0] == reverse("document_detail", args=[document.pk])
    assert "recorded" in response.text


def test_it_refuses_negative_votes_beside_the_field(client_as_caseworker):
    response = client_as_caseworker.post(
        reverse("document_create"), document_data(votes_against="-3")
    )
    assert response.status_code == 200
    assert "A number of votes cannot be negative." in response.text
    assert 'id="id_votes_against_error"' in response.text
    assert not Document.objects.exists()


def test_it_refuses_a_reference_another_document_has(client_as_caseworker, resolution):
    response = client_as_caseworker.post(
        reverse("document_create"), document_data(reference="P9_TA(2021)0056")
    )
    assert "Another document already has the reference P9_TA(2021)0056." in response.text
    assert 'id="id_reference_error"' in response.text
    assert Document.objects.count() == 1


def test_it_edits_a_document_and_records_the_change_in_its_history(
    client_as_caseworker, resolution
):
    data = document_data(
        title=resolution.title,
        reference=resolution.reference,
        issued_on="2021-02-11",
        votes_for="599",
    )
    response = client_as_caseworker.post(
        reverse("document_edit", args=[resolution.pk]), data, follow=True
    )
    resolution.refresh_from_db()
    assert resolution.votes_for == 599
    assert "Document saved." in response.text
    history = response.text[response.text.index("Change history") :]
    assert "Votes for: <del>598</del>" in history
    assert "<ins>599</ins>" in history
    assert "caseworker · changed" in history


@pytest.mark.parametrize(
    ("url_name", "last"),
    [
        ("document_text_upload", "Text"),
        ("mention_add", "Add a mention"),
        ("document_edit", "Edit"),
        ("document_create", "Record a document"),
    ],
)
def test_the_breadcrumb_ends_with_the_pages_own_name(
    client_as_caseworker, resolution, url_name, last
):
    args = [] if url_name == "document_create" else [resolution.pk]
    text = client_as_caseworker.get(reverse(url_name, args=args)).text
    breadcrumb = text[text.index('class="breadcrumbs"') :]
    breadcrumb = breadcrumb[: breadcrumb.index("</p>")]
    assert breadcrumb.endswith(f'› <span aria-current="page">{last}</span>')


@pytest.mark.parametrize("issued_on", ["2099", "2099-04-18", "March 2099"])
def test_it_refuses_a_document_dated_in_the_future_beside_the_field(
    client_as_caseworker, issued_on
):
    response = client_as_caseworker.post(
        reverse("document_create"), document_data(issued_on=issued_on)
    )
    assert response.status_code == 200
    assert "A document’s date cannot be in the future." in response.text
    assert 'id="id_issued_on_error"' in response.text
    assert not Document.objects.exists()


def test_it_refuses_moving_a_document_into_the_future(client_as_caseworker, resolution):
    before = resolution.issued_on
    response = client_as_caseworker.post(
        reverse("document_edit", args=[resolution.pk]),
        document_data(issued_on="2099", reference=resolution.reference),
    )
    assert response.status_code == 200
    resolution.refresh_from_db()
    assert resolution.issued_on == before
