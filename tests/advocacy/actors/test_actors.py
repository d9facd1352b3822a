"""advocacy.actors: an actor's name and other names are stored as casework.names allows a
name (no formula start, no direction controls), refused beside the field otherwise."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from advocacy.actors import (
    actor_add_alias,
    actor_create,
    actor_update,
    actors_possible_duplicates,
    stance_record,
)
from advocacy.models import Actor, ActorAlias, Stance
from tests.factories import ActorFactory


@pytest.mark.parametrize("name", ["=SUM(A1)", "+7 701 000 0000", "Ryszard\u202eCzarnecki"])
def test_it_refuses_a_persons_name_that_a_spreadsheet_or_a_screen_would_misread(caseworker, name):
    with pytest.raises(ValidationError) as error:
        actor_create(by=caseworker, kind="mep", name=name)
    assert "name" in error.value.message_dict
    assert not Actor.objects.exists()


def test_it_keeps_kazakh_letters_apostrophes_and_hyphens(caseworker):
    actor = actor_create(by=caseworker, kind="mp", name="Нұрсұлтан  Әбдіқадырұлы-О'Коннор")
    assert actor.name == "Нұрсұлтан Әбдіқадырұлы-О'Коннор"


def test_an_institution_may_begin_with_a_quote_or_a_figure(caseworker):
    actor = actor_create(by=caseworker, kind="institution", name="«Nur Otan» faction")
    assert actor.name == "«Nur Otan» faction"


def test_it_refuses_a_rename_or_another_name_beginning_with_a_formula(db, caseworker):
    actor = ActorFactory(name="Viola von Cramon")
    with pytest.raises(ValidationError):
        actor_update(actor=actor, by=caseworker, name="@Viola")
    with pytest.raises(ValidationError):
        actor_add_alias(actor=actor, name="=Viola")
    actor.refresh_from_db()
    assert actor.name == "Viola von Cramon"
    assert not ActorAlias.objects.filter(actor=actor).exists()


def test_the_form_shows_the_refusal_beside_the_name_and_writes_nothing(client_as_caseworker):
    response = client_as_caseworker.post(
        reverse("actor_create"), {"kind": "mep", "name": "=SUM(A1)", "source": ""}
    )
    assert response.status_code == 200
    assert 'id="id_name_error"' in response.text
    assert not Actor.objects.exists()


def test_it_writes_a_country_code_in_capitals(caseworker):
    actor = actor_create(by=caseworker, kind="mp", name="Aidos Sarym", country_code="kaz")
    assert actor.country_code == "KAZ"


@pytest.mark.parametrize("code", ["KZ", "Kaz.", "Каз"])
def test_it_refuses_a_country_code_the_target_filter_would_take_for_another_country(
    caseworker, code
):
    with pytest.raises(ValidationError) as error:
        actor_create(by=caseworker, kind="mp", name="Aidos Sarym", country_code=code)
    assert code in error.value.message_dict["country_code"][0]
    assert not Actor.objects.exists()


def test_the_edit_form_shows_a_bad_country_code_beside_the_field(client_as_caseworker):
    actor = ActorFactory(name="Viola von Cramon", country_code="DEU")
    response = client_as_caseworker.post(
        reverse("actor_edit", args=[actor.pk]),
        {"kind": "mep", "name": "Viola von Cramon", "country_code": "DE", "source": ""},
    )
    assert response.status_code == 200
    assert 'id="id_country_code_error"' in response.text
    actor.refresh_from_db()
    assert actor.country_code == "DEU"


def test_it_refuses_a_stance_dated_in_the_future_which_would_outrank_every_later_one(
    db, caseworker
):
    actor = ActorFactory(name="Viola von Cramon")
    with pytest.raises(ValidationError) as error:
        stance_record(
            actor=actor,
            by=caseworker,
            value="ally",
            recorded_on=datetime.date.today() + datetime.timedelta(days=400),
        )
    assert "recorded_on" in error.value.message_dict
    assert not Stance.objects.exists()
    stance = stance_record(actor=actor, by=caseworker, value="opponent")
    assert stance.recorded_on <= datetime.date.today() + datetime.timedelta(days=1)


# --- New actor's duplicate warning ------------------------------------------------------


def test_it_warns_that_an_actor_written_in_another_script_is_on_file(
    caseworker, client_as_caseworker
):
    on_file = actor_create(by=caseworker, kind="mp", name="Nurlan Kairatuly")
    response = client_as_caseworker.post(
        reverse("actor_create"), {"kind": "mp", "name": "Нұрлан Қайратұлы", "source": ""}
    )
    assert response.status_code == 200
    assert 'id="possible-duplicates"' in response.text
    assert f'href="{on_file.get_absolute_url()}"' in response.text
    assert 'name="not_duplicate"' in response.text
    assert list(Actor.objects.all()) == [on_file]


def test_it_warns_that_the_same_name_is_on_file_again(caseworker, client_as_caseworker):
    on_file = actor_create(by=caseworker, kind="mep", name="Ryszard Czarnecki")
    response = client_as_caseworker.post(
        reverse("actor_create"), {"kind": "mep", "name": "Ryszard Czarnecki", "source": ""}
    )
    assert f'href="{on_file.get_absolute_url()}"' in response.text
    assert Actor.objects.count() == 1


def test_it_records_the_actor_once_the_user_confirms_it_is_someone_else(
    caseworker, client_as_caseworker
):
    actor_create(by=caseworker, kind="mp", name="Nurlan Kairatuly")
    typed = {"kind": "mp", "name": "Нұрлан Қайратұлы", "source": ""}
    warned = client_as_caseworker.post(reverse("actor_create"), typed)
    assert warned.status_code == 200
    assert Actor.objects.count() == 1
    response = client_as_caseworker.post(reverse("actor_create"), {**typed, "not_duplicate": "on"})
    assert response.status_code == 302
    assert Actor.objects.filter(name="Нұрлан Қайратұлы").exists()


def test_it_warns_of_the_same_actor_but_not_of_a_namesake(caseworker, client_as_caseworker):
    actor_create(by=caseworker, kind="mep", name="Ryszard Czarnecki")
    namesake = client_as_caseworker.post(
        reverse("actor_create"), {"kind": "mep", "name": "Ryszard Legutko", "source": ""}
    )
    assert namesake.status_code == 302
    again = client_as_caseworker.post(
        reverse("actor_create"), {"kind": "mep", "name": "Ryszard Czarnecki", "source": ""}
    )
    assert again.status_code == 200
    assert Actor.objects.count() == 2


def test_it_offers_only_actors_among_those_given(caseworker):
    hidden = actor_create(by=caseworker, kind="mp", name="Nurlan Kairatuly")
    shown = actor_create(by=caseworker, kind="mp", name="Нурлан Кайратулы")
    found = actors_possible_duplicates(actors=Actor.objects.all(), names=["Nurlan Kairatuly"])
    assert set(found) == {hidden, shown}
    assert actors_possible_duplicates(
        actors=Actor.objects.exclude(pk=hidden.pk), names=["Nurlan Kairatuly"]
    ) == [shown]
