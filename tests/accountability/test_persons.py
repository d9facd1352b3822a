import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from accountability.models import ResponsibleNameKey, ResponsiblePerson
from accountability.persons import (
    responsible_person_add_alias,
    responsible_person_add_identifier,
    responsible_person_create,
    responsible_person_update,
    responsible_persons_matching_name,
)
from casework.models import Role
from tests.factories import member


@pytest.mark.parametrize("query", ["Nurlanov", "Нурланов", "Бахыт Нурланов", "Bakhyt Nurlanov"])
def test_it_finds_a_person_by_any_spelling_or_script(judge, query):
    found = responsible_persons_matching_name(persons=ResponsiblePerson.objects.all(), query=query)
    assert list(found) == [judge]


def test_it_stores_the_match_keys_of_every_name(judge):
    assert ResponsibleNameKey.objects.filter(person=judge).count() > 3


def test_it_finds_a_person_by_an_alias_added_later(judge):
    responsible_person_add_alias(person=judge, name="Бахытжан Нурланов")
    found = responsible_persons_matching_name(
        persons=ResponsiblePerson.objects.all(), query="Бахытжан"
    )
    assert list(found) == [judge]


def test_it_refuses_a_name_that_would_run_as_a_formula(coordinator):
    with pytest.raises(ValidationError) as error:
        responsible_person_create(by=coordinator, kind="judge", name="=HYPERLINK(1)")
    assert "name" in error.value.message_dict
    assert not ResponsiblePerson.objects.exists()


def test_it_refuses_a_team_member_of_another_organisation(coordinator, partner_user):
    with pytest.raises(ValidationError) as error:
        responsible_person_create(
            by=coordinator, kind="judge", name="Ivan Petrov", team=[partner_user]
        )
    assert "team" in error.value.message_dict
    assert not ResponsiblePerson.objects.exists()


def test_only_coordinators_record_a_person(caseworker):
    with pytest.raises(PermissionDenied):
        responsible_person_create(by=caseworker, kind="judge", name="Ivan Petrov")


def test_it_records_the_person_for_the_recorders_organisation(coordinator, judge, host):
    assert judge.owning_organisation == host
    assert judge.created_by == coordinator


def test_a_team_member_may_not_change_the_team(judge, host, caseworker):
    judge.team.add(caseworker)
    other = member(organisation=host, role=Role.CASEWORKER)
    with pytest.raises(PermissionDenied):
        responsible_person_update(person=judge, by=caseworker, team=[caseworker, other])
    assert list(judge.team.all()) == [caseworker]


def test_renaming_refreshes_the_match_keys(judge, coordinator):
    responsible_person_update(person=judge, by=coordinator, name="Serik Akhmetov", native_name="")
    found = responsible_persons_matching_name(
        persons=ResponsiblePerson.objects.all(), query="Akhmetov"
    )
    assert list(found) == [judge]


def test_it_refuses_cyrillic_in_the_name_in_latin_script_and_suggests_a_spelling(coordinator):
    with pytest.raises(ValidationError) as error:
        responsible_person_create(by=coordinator, kind="judge", name="Нұрлан Қайратұлы")
    message = error.value.message_dict["name"][0]
    assert "Nurlan Kayratuly" in message
    assert "Нұрлан Қайратұлы" in message
    assert not ResponsiblePerson.objects.exists()


def test_it_refuses_a_rename_to_cyrillic_in_the_latin_name(judge, coordinator):
    with pytest.raises(ValidationError) as error:
        responsible_person_update(person=judge, by=coordinator, name="Бахыт Nurlanov")
    assert "name" in error.value.message_dict
    judge.refresh_from_db()
    assert judge.name == "Bakhyt Nurlanov"


def test_it_keeps_apostrophes_hyphens_and_kazakh_latin_letters_in_the_latin_name(coordinator):
    person = responsible_person_create(
        by=coordinator, kind="judge", name="Aigül O'Neill-Seitqūlova", native_name="Айгүл О'Нил"
    )
    assert person.name == "Aigül O'Neill-Seitqūlova"


@pytest.mark.parametrize(
    "fields, key, label",
    [
        ({"name": "=HYPERLINK(1)"}, "name", "Имя латиницей"),
        ({"name": "Ivan Petrov", "native_name": "+Иван Петров"}, "native_name", "Имя кириллицей"),
        ({"name": "Ivan Petrov", "aliases": ["@Петров"]}, "aliases", "Другие имена"),
    ],
)
def test_it_names_a_refused_name_field_by_its_label_in_the_readers_language(
    coordinator, fields, key, label
):
    with translation.override("ru"), pytest.raises(ValidationError) as error:
        responsible_person_create(by=coordinator, kind="judge", **fields)
    message = error.value.message_dict[key][0]
    assert message.startswith(label), message
    assert not ResponsiblePerson.objects.exists()


def test_it_names_a_refused_other_name_by_its_label(judge):
    with translation.override("ru"), pytest.raises(ValidationError) as error:
        responsible_person_add_alias(person=judge, name="=Петров")
    assert error.value.message_dict["name"][0].startswith("Другое имя")


def test_it_says_an_identifier_is_already_recorded_in_the_readers_words(judge):
    responsible_person_add_identifier(person=judge, kind="tax", value="800101300123")
    with translation.override("en"), pytest.raises(ValidationError) as error:
        responsible_person_add_identifier(person=judge, kind="tax", value=" 800101300123 ")
    assert error.value.message_dict["value"] == ["Already recorded: Tax number 800101300123."]
    assert judge.identifiers.count() == 1


@pytest.mark.parametrize("birth_date", [datetime.date(1850, 1, 1), datetime.date(2099, 1, 1)])
def test_it_refuses_a_birth_date_a_person_on_file_could_not_have(coordinator, judge, birth_date):
    with pytest.raises(ValidationError) as error:
        responsible_person_create(
            by=coordinator, kind="judge", name="Ivan Petrov", birth_date=birth_date
        )
    assert "birth_date" in error.value.message_dict
    with pytest.raises(ValidationError):
        responsible_person_update(person=judge, by=coordinator, birth_date=birth_date)
    judge.refresh_from_db()
    assert judge.birth_date != birth_date
    assert ResponsiblePerson.objects.count() == 1


def test_it_refuses_a_position_taken_up_in_the_future_naming_the_field(coordinator, judge):
    from accountability.persons import position_create, position_update

    with pytest.raises(ValidationError) as refused:
        position_create(
            person=judge,
            by=coordinator,
            institution="Almaty city court",
            started_on=datetime.date(2029, 1, 15),
        )
    assert refused.value.message_dict == {"started_on": ["A position cannot start in the future."]}
    assert not judge.positions.exists()

    position = position_create(
        person=judge, by=coordinator, institution="Almaty city court", started_on=None
    )
    with pytest.raises(ValidationError):
        position_update(position=position, by=coordinator, started_on=datetime.date(2029, 1, 15))
    position.refresh_from_db()
    assert position.started_on is None
