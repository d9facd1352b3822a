"""The document list (/documents/): filters, archived documents left out, pages never
counted."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from advocacy.models import Document, Mention
from casework.models import Confidentiality, Membership
from tests.factories import (
    CaseFactory,
    DocumentFactory,
    IssuingBodyFactory,
)


def test_it_sends_a_signed_out_visitor_to_the_sign_in_page(client, resolution):
    response = client.get(reverse("document_detail", args=[resolution.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_lists_documents_with_vote_and_counts(client_as_caseworker, resolution, named_case):
    response = client_as_caseworker.get(reverse("document_list"))
    assert response.status_code == 200
    assert resolution.title in response.text
    assert "P9_TA(2021)0056" in response.text
    assert "598 / 43 / 52" in response.text


def test_it_lists_dates_as_the_rest_of_the_app_writes_them(client_as_caseworker, resolution):
    text = client_as_caseworker.get(reverse("document_list")).text
    assert '<time datetime="2021-02-11">11 Feb 2021</time>' in text


def test_it_filters_documents_by_kind_year_and_text(client_as_caseworker, resolution):
    appeal = DocumentFactory(
        kind=Document.Kind.APPEAL,
        title="Appeal for Dulat Agadil",
        issued_on=datetime.date(2024, 3, 1),
    )
    by_year = client_as_caseworker.get(reverse("document_list"), {"year": 2024})
    assert appeal.title in by_year.text
    assert resolution.title not in by_year.text
    by_kind = client_as_caseworker.get(reverse("document_list"), {"kind": Document.Kind.RESOLUTION})
    assert resolution.title in by_kind.text
    assert appeal.title not in by_kind.text
    by_text = client_as_caseworker.get(reverse("document_list"), {"q": "0056"})
    assert resolution.title in by_text.text
    assert appeal.title not in by_text.text


def test_it_shows_an_empty_state_when_no_document_matches(client_as_caseworker, resolution):
    response = client_as_caseworker.get(reverse("document_list"), {"q": "no such thing"})
    assert "No document matches these filters" in response.text


def test_it_hides_archived_documents(client_as_caseworker, resolution):
    from django.utils import timezone

    Document.objects.filter(pk=resolution.pk).update(archived_at=timezone.now())
    assert resolution.title not in client_as_caseworker.get(reverse("document_list")).text
    assert (
        client_as_caseworker.get(reverse("document_detail", args=[resolution.pk])).status_code
        == 404
    )


def test_it_pages_without_counting(client_as_caseworker, db):
    for index in range(30):
        DocumentFactory(
            title=f"Statement number {index:02d}",
            issued_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=index),
        )
    first = client_as_caseworker.get(reverse("document_list"))
    assert "Statement number 29" in first.text
    assert "Statement number 04" not in first.text
    assert 'rel="next"' in first.text
    second = client_as_caseworker.get(reverse("document_list"), {"page": 2})
    assert "Statement number 04" in second.text
    assert 'rel="next"' not in second.text


@pytest.mark.parametrize("documents", [5, 500])
def test_it_lists_documents_in_a_bounded_number_of_queries(
    client_as_caseworker, documents, django_assert_max_num_queries
):
    body = IssuingBodyFactory()
    Document.objects.bulk_create(
        [
            Document(
                kind=Document.Kind.RESOLUTION,
                issuing_body=body,
                title=f"Document {index}",
                issued_on=datetime.date(2021, 1, 1),
            )
            for index in range(documents)
        ]
    )
    cases = [CaseFactory(confidentiality=Confidentiality.PUBLIC) for _ in range(3)]
    Mention.objects.bulk_create(
        [
            Mention(document=document, case=case)
            for document in Document.objects.all()[:30]
            for case in cases
        ]
    )
    with django_assert_max_num_queries(12):
        response = client_as_caseworker.get(reverse("document_list"))
    assert response.status_code == 200


def test_it_labels_its_filters_in_the_readers_language_after_the_api_schema_was_read(
    client_as_caseworker, caseworker, resolution
):
    # The schema reads every filter's label; a filter without its own label kept the
    # English it was first read in, and the list said "Kind" to Russian readers.
    assert client_as_caseworker.get("/api/v1/schema/").status_code == 200
    Membership.objects.filter(user=caseworker).update(language="ru")
    text = client_as_caseworker.get(reverse("document_list")).text
    assert '<label for="id_kind">Вид</label>' in text
    assert '<label for="id_issuing_body">Issuing body</label>' not in text
    assert ">Kind<" not in text


def test_it_finds_a_cyrillic_title_typed_in_another_case(client_as_caseworker, db):
    DocumentFactory(title="Казахстан: освободите активистов, осуждённых за мирный протест")
    DocumentFactory(title="Заявление о преследовании активистов", reference="ЗАЯВ-2026/1")
    for typed in ("казахстан", "КАЗАХСТАН", "осуждённых ЗА мирный"):
        response = client_as_caseworker.get("/documents/", {"q": typed})
        assert "освободите активистов" in response.text, typed
        assert "Заявление о преследовании" not in response.text
    response = client_as_caseworker.get("/documents/", {"q": "заяв-2026"})
    assert "Заявление о преследовании" in response.text
