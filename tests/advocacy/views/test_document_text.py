"""Giving a document its text (/documents/<id>/text/): pasted or read from a file."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse


def test_it_saves_pasted_text(client_as_caseworker, document):
    url = reverse("document_text_upload", args=[document.pk])
    response = client_as_caseworker.post(url, {"full_text": "Алмат Жумагулов осуждён."})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.full_text == "Алмат Жумагулов осуждён."


def test_it_saves_the_text_of_an_uploaded_file(client_as_caseworker, document):
    upload = SimpleUploadedFile("appeal.txt", "Роза Тулетаева".encode("cp1251"))
    url = reverse("document_text_upload", args=[document.pk])
    client_as_caseworker.post(url, {"file": upload})
    document.refresh_from_db()
    assert document.full_text == "Роза Тулетаева"


def test_it_refuses_an_unsupported_file_and_keeps_the_text(client_as_caseworker, document):
    kept = document.full_text
    assert "Almat Zhumagulov" in kept
    upload = SimpleUploadedFile("resolution.pdf", b"MZ" + b"\x00" * 50)
    url = reverse("document_text_upload", args=[document.pk])
    response = client_as_caseworker.post(url, {"file": upload})
    assert response.status_code == 200
    assert "program" in response.text
    document.refresh_from_db()
    assert document.full_text == kept


def test_it_refuses_pasted_text_of_invisible_characters_and_keeps_the_text(
    client_as_caseworker, document
):
    kept = document.full_text
    url = reverse("document_text_upload", args=[document.pk])
    response = client_as_caseworker.post(url, {"full_text": " \n\u200b\u00ad "})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Upload a file or paste the text of the document."
    ]
    document.refresh_from_db()
    assert document.full_text == kept


def test_it_says_only_what_is_wrong_with_pasted_text_it_refuses(client_as_caseworker, document):
    url = reverse("document_text_upload", args=[document.pk])
    response = client_as_caseworker.post(url, {"full_text": "Almat Zhumagulov\x00"})
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["full_text"]
    assert "Almat Zhumagulov" in response.text  # what was pasted is given back


def test_it_marks_the_mentions_whose_passage_a_replaced_text_no_longer_contains(
    client_as_caseworker, db
):
    from advocacy.models import Mention
    from tests.factories import CaseFactory, DocumentFactory, PersonFactory

    CaseFactory(person=PersonFactory(full_name="Almat Zhumagulov"))
    CaseFactory(person=PersonFactory(full_name="Roza Tuletaeva"))
    document = DocumentFactory(
        full_text="Draft. Almat Zhumagulov was sentenced.\nRoza Tuletaeva was released."
    )
    client_as_caseworker.post(reverse("document_detect_mentions", args=[document.pk]))
    zhumagulov = Mention.objects.get(case__person__full_name="Almat Zhumagulov")
    client_as_caseworker.post(reverse("mention_confirm", args=[zhumagulov.pk]))

    # The final text: Tuletaeva's sentence is the same, Zhumagulov's is gone.
    response = client_as_caseworker.post(
        reverse("document_text_upload", args=[document.pk]),
        {"full_text": "Final. Roza Tuletaeva was released.\nOthers remain in prison."},
        follow=True,
    )
    assert (
        "1 mention quotes a passage the new text does not contain: it is marked below."
        in response.text
    )
    assert response.text.count("Not in the current text") == 1
    confirmed = response.text.index('id="confirmed-heading"')
    assert response.text.index("Not in the current text") > confirmed
