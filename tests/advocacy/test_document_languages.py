"""A document's language is one code of a list: typed spellings are read as their code,
an unknown one is refused by name, and the documents recorded before are migrated."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from advocacy.document_languages import document_language_code
from advocacy.models import Document
from tests.advocacy.views.test_document_form import document_data
from tests.factories import DocumentFactory

migration = importlib.import_module("advocacy.migrations.0015_document_language_choices")


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Russian", "ru"),
        ("ru", "ru"),
        ("RU", "ru"),
        (" русский ", "ru"),
        ("ru-RU", "ru"),
        ("Қазақ", "kk"),
        ("kaz", "kk"),
        ("English", "en"),
        ("en_GB", "en"),
        ("Klingon", None),
        ("ru/en", None),
    ],
)
def test_it_reads_a_typed_language_as_its_code(typed, code):
    assert document_language_code(typed) == code
    assert migration.language_code(typed) == code  # the migration's frozen copy agrees


def test_the_form_offers_a_list_and_reads_a_spelling_sent_by_hand(client_as_caseworker):
    page = client_as_caseworker.get(reverse("document_create")).text
    assert '<select name="language"' in page and '<option value="ru">Russian</option>' in page
    client_as_caseworker.post(reverse("document_create"), document_data(language="RU"))
    assert Document.objects.get().language == "ru"


def test_the_form_refuses_an_unknown_language_by_name(client_as_caseworker):
    response = client_as_caseworker.post(
        reverse("document_create"), document_data(language="Klingon")
    )
    assert "“Klingon” is not a language the app knows: choose one from the list." in response.text
    assert not Document.objects.exists()


def test_a_document_with_an_old_unknown_language_keeps_it_when_edited(client_as_caseworker):
    document = DocumentFactory(language="ru/en")
    page = client_as_caseworker.get(reverse("document_edit", args=[document.pk])).text
    assert "ru/en (not a language the app knows)" in page


def test_the_migration_maps_common_spellings_and_keeps_and_reports_unknown_ones(db, capsys):
    russian = DocumentFactory(language="Russian")
    kazakh = DocumentFactory(language="KZ")
    mixed = DocumentFactory(language="ru/en")
    migration.languages_normalised(apps, None)
    values = dict(Document.objects.values_list("pk", "language"))
    assert values == {russian.pk: "ru", kazakh.pk: "kk", mixed.pk: "ru/en"}
    assert "not known to the app: 'ru/en' (1)" in capsys.readouterr().out
