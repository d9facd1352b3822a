"""New case (/cases/new/): a case for a new or known person, the duplicate warning."""

from __future__ import annotations

import datetime

from django.utils import timezone

from casework.models import (
    Case,
    CaseEvent,
    Confidentiality,
    Person,
    PersonAlias,
    Status,
)
from tests.factories import CaseFactory, PersonFactory


def _new_case_data(**overrides):
    data = {
        "person-full_name": "Aigerim Tleuzhan",
        "person-native_name": "Айгерим Тлеужан",
        "person-birth_year": "1990",
        "person-region": "Almaty",
        "initial-status": Status.PRETRIAL_DETENTION,
        "initial-status_since": "2024-02-01",
        "initial-status_source": "Lawyer",
        "confidentiality": Confidentiality.INTERNAL,
        "detained_on": "2024-02-01",
    }
    data.update(overrides)
    return data


def test_it_creates_a_person_and_a_case(client_as_caseworker, host, caseworker):
    response = client_as_caseworker.post("/cases/new/", _new_case_data())
    case = Case.objects.get(person__full_name="Aigerim Tleuzhan")
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/"
    assert case.owning_organisation == host
    assert case.status == Status.PRETRIAL_DETENTION
    assert case.events.get().kind == CaseEvent.Kind.STATUS
    assert case.history.first().history_user == caseworker


def test_it_warns_about_a_possible_duplicate_before_creating_a_person(
    client_as_caseworker, zhumagulov
):
    data = _new_case_data(**{"person-full_name": "Almat Jumagulov", "person-native_name": ""})
    response = client_as_caseworker.post("/cases/new/", data)
    assert response.status_code == 200
    assert "Is this someone already on file?" in response.text
    assert "Almat Zhumagulov" in response.text
    assert not Case.objects.exists()
    assert Person.objects.count() == 1


def test_it_creates_the_case_for_the_existing_person_the_user_picks(
    client_as_caseworker, zhumagulov
):
    data = _new_case_data(
        **{"person-full_name": "Almat Jumagulov", "person_choice": str(zhumagulov.pk)}
    )
    client_as_caseworker.post("/cases/new/", data)
    assert Person.objects.count() == 1
    assert Case.objects.get().person == zhumagulov


def test_it_keeps_the_names_typed_as_other_names_of_the_person_picked(
    client_as_caseworker, zhumagulov, caseworker
):
    zhumagulov.aliases.create(name="Zhumagulov A.")
    data = _new_case_data(
        **{
            "person-full_name": "Almat  Jumagulov",
            "person-native_name": "Алмат Жұмағұлов",
            "person_choice": str(zhumagulov.pk),
        }
    )
    response = client_as_caseworker.post("/cases/new/", data, follow=True)
    aliases = {alias.name: alias.kind for alias in zhumagulov.aliases.all()}
    assert aliases == {
        "Zhumagulov A.": PersonAlias.Kind.SPELLING,
        "Almat Jumagulov": PersonAlias.Kind.SPELLING,
        "Алмат Жұмағұлов": PersonAlias.Kind.NATIVE,
    }
    added = PersonAlias.history.filter(name="Almat Jumagulov").get()
    assert added.history_user == caseworker
    assert "Kept among the other names of Almat Zhumagulov" in response.text


def test_it_adds_no_name_the_person_picked_already_has(client_as_caseworker, zhumagulov):
    zhumagulov.aliases.create(name="Almat Jumagulov")
    data = _new_case_data(
        **{
            "person-full_name": "almat jumagulov",
            "person-native_name": "Алмат Жумагулов",
            "person_choice": str(zhumagulov.pk),
        }
    )
    client_as_caseworker.post("/cases/new/", data)
    assert Case.objects.get().person == zhumagulov
    assert list(zhumagulov.aliases.values_list("name", flat=True)) == ["Almat Jumagulov"]


def test_it_keeps_the_names_typed_before_following_a_suggested_person(
    client_as_caseworker, zhumagulov
):
    query = {"person": zhumagulov.pk, "person-full_name": "Almat Jumagulov"}
    page = client_as_caseworker.get("/cases/new/", query)
    assert "Also kept among their other names: Almat Jumagulov." in page.text
    assert 'type="hidden" name="person-full_name" value="Almat Jumagulov"' in page.text
    data = _new_case_data(**{"person-full_name": "Almat Jumagulov", "person-native_name": ""})
    response = client_as_caseworker.post(f"/cases/new/?person={zhumagulov.pk}", data)
    assert response.status_code == 302
    assert Case.objects.get().person == zhumagulov
    assert list(zhumagulov.aliases.values_list("name", flat=True)) == ["Almat Jumagulov"]


def test_it_says_nothing_of_names_the_suggested_person_already_has(
    client_as_caseworker, zhumagulov
):
    query = {"person": zhumagulov.pk, "person-full_name": "almat zhumagulov"}
    page = client_as_caseworker.get("/cases/new/", query)
    assert "Also kept among their other names" not in page.text
    assert 'name="person-full_name"' not in page.text


def test_it_takes_a_name_typed_in_cyrillic_in_the_latin_box_for_the_native_name(
    client_as_caseworker,
):
    data = _new_case_data(
        **{"person-full_name": "Ержан Болатұлы Сейтқали", "person-native_name": ""}
    )
    response = client_as_caseworker.post("/cases/new/", data)
    assert response.status_code == 302
    person = Person.objects.get()
    assert (person.full_name, person.native_name) == ("Erzhan Seytkali", "Ержан Болатұлы Сейтқали")


def test_it_refuses_a_cyrillic_name_in_the_latin_box_beside_a_native_name(client_as_caseworker):
    data = _new_case_data(**{"person-full_name": "Айгерим Тлеужан"})
    response = client_as_caseworker.post("/cases/new/", data)
    assert response.status_code == 200
    assert "“Айгерим Тлеужан” should be in Latin letters." in response.text
    assert not Person.objects.exists()


def test_it_says_the_names_typed_are_not_kept_for_another_organisation_s_person(
    client_as_partner, host
):
    person = PersonFactory(full_name="Almat Zhumagulov", owning_organisation=host)
    CaseFactory(person=person, owning_organisation=host, confidentiality=Confidentiality.PUBLIC)
    data = _new_case_data(
        **{
            "person-full_name": "Almat Jumagulov",
            "person-native_name": "",
            "person_choice": str(person.pk),
            "initial-status_source": "",
        }
    )
    response = client_as_partner.post("/cases/new/", data, follow=True)
    assert Case.objects.filter(person=person).count() == 2
    assert not person.aliases.exists()
    assert (
        "The names you typed (“Almat Jumagulov”) were not added to the other names of "
        "Almat Zhumagulov: their record is kept by" in response.text
    )


def test_it_creates_a_new_person_when_the_user_confirms(client_as_caseworker, zhumagulov):
    data = _new_case_data(**{"person-full_name": "Almat Jumagulov", "person_choice": "new"})
    client_as_caseworker.post("/cases/new/", data)
    assert Person.objects.filter(full_name="Almat Jumagulov").exists()


def test_it_explains_invalid_dates_beside_the_fields(client_as_caseworker):
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    data = _new_case_data(detained_on="2024-02-01", released_on="2023-01-01", sentenced_on=future)
    response = client_as_caseworker.post("/cases/new/", data)
    assert response.status_code == 200
    assert "Release cannot be before detention" in response.text
    assert "This date is in the future." in response.text
    assert not Case.objects.exists()


def test_it_does_not_let_a_partner_pick_a_person_they_cannot_see(client_as_partner, zhumagulov):
    data = _new_case_data(person_choice=str(zhumagulov.pk))
    response = client_as_partner.post("/cases/new/", data)
    assert response.status_code == 200
    assert not Case.objects.exists()


def test_the_duplicate_warning_is_a_choice_with_one_submit_button(client_as_caseworker, zhumagulov):
    data = _new_case_data(**{"person-full_name": "Almat Jumagulov", "person-native_name": ""})
    text = client_as_caseworker.post("/cases/new/", data).text
    start = text.index('<form method="post" novalidate>')
    form = text[start : text.index("</form>", start)]
    # Enter submits with the first submit button: there is only one, and nobody is picked.
    assert form.count('type="submit"') == 1
    assert f'type="radio" name="person_choice" value="{zhumagulov.pk}"' in form
    assert 'type="radio" name="person_choice" value="new"' in form
    assert "checked" not in form[form.index("possible-duplicates") :].split("</fieldset>")[0]


def test_it_says_in_the_readers_language_that_the_case_was_not_saved(
    client_as_caseworker, caseworker
):
    from casework.models import Membership

    Membership.objects.filter(user=caseworker).update(language="ru")
    response = client_as_caseworker.post("/cases/new/", _new_case_data(**{"person-full_name": ""}))
    assert response.status_code == 200
    assert "Дело не сохранено. Исправьте отмеченные ниже поля." in response.text
    assert "The case was not saved" not in response.text
    assert not Case.objects.exists()


def test_it_writes_the_first_status_entry_in_the_readers_language(
    client_as_caseworker, caseworker, monkeypatch
):
    from casework.models import Membership
    from tests.support.catalogues import every_marked_string_tagged

    # The first status entry's text was English on a case recorded in Russian or Kazakh.
    every_marked_string_tagged(monkeypatch, "ru", "[ru] ")
    Membership.objects.filter(user=caseworker).update(language="ru")
    response = client_as_caseworker.post("/cases/new/", _new_case_data())
    assert response.status_code == 302
    event = CaseEvent.objects.get(kind=CaseEvent.Kind.STATUS)
    assert event.description == "[ru] Status when the case was recorded."


def test_it_takes_a_person_id_that_is_no_ascii_number_for_none(client_as_caseworker):
    # "²".isdigit() is true and int("²") fails: these answered 500.
    assert client_as_caseworker.get("/cases/new/", {"person": "²"}).status_code == 200
    data = _new_case_data(person_choice="²")
    response = client_as_caseworker.post("/cases/new/", data)
    assert response.status_code == 200
    assert "Choose a person from the list." in response.text


def test_it_refuses_an_initial_status_dated_before_1900_beside_the_field(client_as_caseworker):
    response = client_as_caseworker.post(
        "/cases/new/", _new_case_data(**{"initial-status_since": "0024-02-01"})
    )
    assert response.status_code == 200
    assert response.context["status_form"].errors == {
        "status_since": ["A date on the timeline cannot be before 1900."]
    }
    assert not Case.objects.exists()


def test_it_refuses_a_status_date_and_source_given_with_an_unknown_status(client_as_caseworker):
    response = client_as_caseworker.post(
        "/cases/new/", _new_case_data(**{"initial-status": Status.UNKNOWN})
    )
    assert response.status_code == 200
    assert response.context["status_form"].errors == {
        "status_since": ["Choose the status this is about, or leave it empty."],
        "status_source": ["Choose the status this is about, or leave it empty."],
    }
    assert not Case.objects.exists()


def test_it_records_one_person_when_the_new_person_confirmation_is_sent_twice(
    client_as_caseworker, zhumagulov
):
    # A double click on “Create case”, or the confirmed form sent again from the back button.
    data = _new_case_data(**{"person-full_name": "Almat Jumagulov", "person_choice": "new"})
    first = client_as_caseworker.post("/cases/new/", data)
    second = client_as_caseworker.post("/cases/new/", data)
    assert Person.objects.filter(full_name="Almat Jumagulov").count() == 1
    case = Case.objects.get(person__full_name="Almat Jumagulov")
    assert first["Location"] == second["Location"] == f"/cases/{case.pk}/"


def test_it_records_a_second_case_for_the_same_new_person_when_its_facts_changed(
    client_as_caseworker, zhumagulov
):
    data = _new_case_data(**{"person-full_name": "Almat Jumagulov", "person_choice": "new"})
    client_as_caseworker.post("/cases/new/", data)
    client_as_caseworker.post("/cases/new/", {**data, "detained_on": "2024-01-15"})
    person = Person.objects.get(full_name="Almat Jumagulov")
    assert sorted(str(case.detained_on) for case in person.cases.all()) == [
        "2024-01-15",
        "2024-02-01",
    ]


def test_a_restricted_case_handed_to_a_colleague_lands_on_the_list_saying_why_it_is_not_shown(
    client_as_caseworker, host
):
    from casework.models import Role
    from tests.factories import member

    colleague = member(organisation=host, role=Role.CASEWORKER, username="colleague")
    data = _new_case_data(
        confidentiality=Confidentiality.RESTRICTED, assigned_caseworker=str(colleague.pk)
    )

    response = client_as_caseworker.post("/cases/new/", data, follow=True)

    case = Case.objects.get(person__full_name="Aigerim Tleuzhan")
    assert response.redirect_chain == [("/cases/", 302)]
    assert f"Case {case.reference} for Aigerim Tleuzhan created." in response.text
    assert "which does not include you" in response.text
