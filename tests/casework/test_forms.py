"""casework.forms: the person forms keep to the rules the importer keeps (casework.names
for names, casework.people for birth dates), through the pages that post them."""

from __future__ import annotations

import datetime

import pytest

from casework.forms import NewPersonForm, PersonAliasForm, PersonForm
from casework.models import Case, Membership, Person
from tests.casework.views.test_case_new import _new_case_data as new_case_data
from tests.factories import PersonFactory
from tests.support.catalogues import every_marked_string_tagged


@pytest.fixture
def zhumagulov(host):
    return PersonFactory(full_name="Almat Zhumagulov", owning_organisation=host)


def _new_case_data(**overrides):
    """The new case page's post for a person not on file yet (tests/casework/views/test_case_new.py)."""
    return new_case_data(person_choice="new", **overrides)


def test_the_new_case_page_refuses_a_right_to_left_override_in_the_name(client_as_caseworker):
    data = _new_case_data(**{"person-full_name": "Aigerim \u202enahzuelT"})
    response = client_as_caseworker.post("/cases/new/", data)
    assert response.status_code == 200
    assert "Full name (Latin script) contains a character that changes the direction" in (
        response.text
    )
    assert "U+202E" in response.text
    assert not Person.objects.exists() and not Case.objects.exists()


def test_the_new_case_page_stores_a_name_without_its_zero_width_characters(
    client_as_caseworker,
):
    data = _new_case_data(**{"person-native_name": "Айге\u200bрим\u00ad Тлеужан"})
    response = client_as_caseworker.post("/cases/new/", data)
    assert response.status_code == 302
    assert Person.objects.get().native_name == "Айгерим Тлеужан"


def test_the_new_case_page_refuses_a_name_that_is_a_formula(client_as_caseworker):
    data = _new_case_data(**{"person-full_name": '=HYPERLINK("http://x","Aigerim")'})
    response = client_as_caseworker.post("/cases/new/", data)
    assert "Full name (Latin script) must begin with a letter" in response.text
    assert not Person.objects.exists()


def test_the_new_case_page_refuses_a_year_of_birth_before_1900(client_as_caseworker):
    response = client_as_caseworker.post(
        "/cases/new/", _new_case_data(**{"person-birth_year": "1899"})
    )
    assert "Enter a year between 1900 and" in response.text
    assert not Person.objects.exists()


def test_the_person_page_refuses_a_birth_date_in_1899_as_the_importer_does(
    client_as_caseworker, zhumagulov
):
    response = client_as_caseworker.post(
        f"/people/{zhumagulov.pk}/edit/",
        {"full_name": zhumagulov.full_name, "birth_date": "1899-05-01"},
    )
    assert response.status_code == 200
    assert "A birth date cannot be before 1900." in response.text
    zhumagulov.refresh_from_db()
    assert zhumagulov.birth_date is None


def test_the_person_page_refuses_a_bidi_isolate_in_the_native_name(
    client_as_caseworker, zhumagulov
):
    response = client_as_caseworker.post(
        f"/people/{zhumagulov.pk}/edit/",
        {"full_name": zhumagulov.full_name, "native_name": "Алмат \u2067Жумагулов\u2069"},
    )
    assert "Name in native script contains a character that changes the direction" in (
        response.text
    )
    zhumagulov.refresh_from_db()
    assert zhumagulov.native_name == ""


def test_the_alias_form_refuses_a_direction_mark_and_strips_a_soft_hyphen(zhumagulov):
    refused = PersonAliasForm({"name": "Al\u200fmat", "kind": "spelling"}, person=zhumagulov)
    assert not refused.is_valid()
    assert "Other name or spelling contains a character" in refused.errors["name"][0]
    accepted = PersonAliasForm(
        {"name": "Jumagu\u00adlov Almat", "kind": "spelling"}, person=zhumagulov
    )
    assert accepted.is_valid()
    assert accepted.cleaned_data["name"] == "Jumagulov Almat"


@pytest.mark.parametrize(
    ("form_class", "kwargs", "prefix"),
    [(NewPersonForm, {}, "person-"), (PersonForm, {"show_sensitive": True}, "")],
)
def test_both_person_forms_keep_the_same_name_and_year_rules(db, form_class, kwargs, prefix):
    form = form_class(
        {f"{prefix}full_name": "+7 701 000 00 00", f"{prefix}birth_year": "1899"}, **kwargs
    )
    assert not form.is_valid()
    assert "must begin with a letter" in form.errors["full_name"][0]
    assert form.errors["birth_year"] == [
        f"Enter a year between 1900 and {datetime.date.today().year}."
    ]


def test_the_case_forms_date_rules_speak_the_readers_language(
    client_as_caseworker, caseworker, monkeypatch
):
    # The date rules' messages were English f-strings whatever the reader's language.
    every_marked_string_tagged(monkeypatch, "ru", "[ru] ")
    Membership.objects.filter(user=caseworker).update(language="ru")
    next_year = str(datetime.date.today().year + 1)
    future = client_as_caseworker.post("/cases/new/", _new_case_data(detained_on=next_year))
    refused = client_as_caseworker.post(
        "/cases/new/",
        _new_case_data(
            detained_on="2024-02-01",
            charged_on="2024-03-01",
            released_on="2020",
            expected_release_on="2019",
            sentenced_on="2023",
        ),
    )
    text = future.text + refused.text
    for message in (
        "[ru] This date is in the future.",
        "[ru] Release cannot be before detention",
        "[ru] Expected release cannot be before detention",
        "[ru] The sentence cannot come before the charge.",
    ):
        assert message in text
    assert not Case.objects.exists()


def test_the_person_forms_birth_year_rule_speaks_the_readers_language(
    client_as_caseworker, caseworker, zhumagulov, monkeypatch
):
    every_marked_string_tagged(monkeypatch, "ru", "[ru] ")
    Membership.objects.filter(user=caseworker).update(language="ru")
    response = client_as_caseworker.post(
        f"/people/{zhumagulov.pk}/edit/",
        {"full_name": zhumagulov.full_name, "birth_date": "1984-03-02", "birth_year": "1985"},
    )
    assert "[ru] The birth date says 1984; leave the year empty." in response.text
