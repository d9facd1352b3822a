import pytest
from django.utils import translation
from django.utils.functional import Promise

from advocacy.models import Document, IssuingBody
from casework.history import case_change_history
from casework.models import (
    Affiliation,
    Case,
    Charge,
    DetentionPlace,
    Person,
    PersonAlias,
    Region,
)
from common.history import IGNORED_FIELDS
from tests.factories import CaseFactory


def _saved(case, **changes):
    for name, value in changes.items():
        setattr(case, name, value)
    case.save()
    return case


def test_it_leaves_out_a_case_save_that_changed_only_sensitive_fields_for_a_partner(db):
    case = _saved(CaseFactory(), health_notes="Diabetes, no insulin in the colony")
    entries = case_change_history(case=case, show_sensitive=False)
    assert [entry.kind for entry in entries] == ["Created"]


def test_it_shows_a_case_save_that_changed_only_sensitive_fields_to_host_staff(db):
    case = _saved(CaseFactory(), sources="Lawyer, by phone")
    latest = case_change_history(case=case, show_sensitive=True)[0]
    assert [(change.label, change.new) for change in latest.changes] == [
        ("sources", "Lawyer, by phone")
    ]


def test_it_shows_a_partner_the_visible_part_of_a_save_that_changed_sensitive_fields_too(db):
    case = _saved(CaseFactory(), sources="Lawyer, by phone", sentence="7 years")
    latest = case_change_history(case=case, show_sensitive=False)[0]
    assert [(change.label, change.new) for change in latest.changes] == [("sentence", "7 years")]


def test_it_names_the_changed_fields_in_the_reader_s_language(db):
    case = _saved(CaseFactory(), sentence="7 years")
    for language, label in [("en", "sentence"), ("ru", "приговор"), ("kk", "үкім")]:
        with translation.override(language):
            latest = case_change_history(case=case, show_sensitive=False)[0]
        assert [change.label for change in latest.changes] == [label]


@pytest.mark.parametrize(
    "model",
    # Every model whose history a page shows: cases, people, documents and the vocabulary
    # entries' pages (an issuing body's showed "aliases" and "archived at" in English).
    [Case, Person, PersonAlias, Affiliation, Charge, DetentionPlace, Region, Document, IssuingBody],
    ids=lambda model: model.__name__,
)
def test_every_field_a_change_history_can_show_has_a_translatable_name(model):
    # A field added without one showed its English name on the Russian and Kazakh pages.
    kept = {field.name for field in model.history.model._meta.fields}  # type: ignore[attr-defined]
    untranslatable = [
        field.name
        for field in model._meta.get_fields()
        if (field.many_to_many or (field.concrete and field.name in kept))
        and not field.auto_created
        and field.name not in IGNORED_FIELDS
        and not isinstance(field.verbose_name, Promise)
    ]
    assert untranslatable == []
    assert isinstance(model._meta.verbose_name, Promise)


def test_a_pages_history_reads_alike_in_every_language(client_as_caseworker, caseworker):
    from casework.models import Membership
    from tests.factories import PersonFactory

    # In Russian a creation said "No visible field changed." under it (the page compared
    # the translated kind with "Created"), and an added name was "changed" in English.
    person = PersonFactory(full_name="Almat Zhumagulov")
    CaseFactory(person=person)
    client_as_caseworker.post(
        f"/people/{person.pk}/aliases/new/", {"name": "Almatbek Zhumagul", "kind": "pseudonym"}
    )
    Membership.objects.filter(user=caseworker).update(language="ru")
    page = client_as_caseworker.get(f"/people/{person.pk}/").text
    history = page[page.index('id="history-heading"') :]
    assert "· создано" in history and "· изменено" in history
    assert "· changed" not in history
    assert "Видимые поля не изменились." not in history


def test_a_pages_history_names_each_change_in_kazakh(client_as_caseworker, caseworker):
    from casework.models import Membership
    from tests.factories import PersonFactory

    # simple-history has no Kazakh words: a Kazakh page said "изменено", in Russian.
    person = PersonFactory(full_name="Almat Zhumagulov")
    CaseFactory(person=person)
    client_as_caseworker.post(
        f"/people/{person.pk}/aliases/new/", {"name": "Almatbek Zhumagul", "kind": "pseudonym"}
    )
    Membership.objects.filter(user=caseworker).update(language="kk")
    page = client_as_caseworker.get(f"/people/{person.pk}/").text
    history = page[page.index('id="history-heading"') :]
    assert "· құрылды" in history and "· өзгертілді" in history
    assert "изменено" not in history and "создано" not in history
