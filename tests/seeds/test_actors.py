"""The seed actors: who the seed texts name, in which role, what they said or did, each
with its passage; loaded again they change nothing; a bad record is refused by name."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import override_settings

from advocacy.actors import actors_matching_name
from advocacy.models import Actor, ActorAlias, ActorFact, ActorNameKey, Position
from casework.models import Organisation, Provenance, Role
from seeds.actors import actors_seeds_load
from tests.factories import member


@pytest.fixture(scope="module")
def actors_seeded_once(seeded_once, django_db_blocker):
    """The actors loaded once for the module, on the seeds loaded once (tests/seeds/conftest.py);
    each test still runs in its own rolled-back transaction on top. The rows are removed
    afterwards, before the seeds they point at, so other modules start empty."""
    with django_db_blocker.unblock():
        counts = actors_seeds_load()
    yield counts
    with django_db_blocker.unblock(), override_settings(SIMPLE_HISTORY_ENABLED=False):
        # Their provenance rows too (no foreign key removes them with the actors): the
        # seeds under them stay loaded for the next seed module (tests/seeds/conftest.py).
        actor_types = ContentType.objects.get_for_models(
            ActorFact, Position, ActorAlias, ActorNameKey, Actor
        ).values()
        Provenance.objects.filter(record_type__in=actor_types).delete()
        for model in (ActorFact, Position, ActorAlias, ActorNameKey, Actor):
            model.objects.all().delete()
        for model in (Actor, Position):
            model.history.all().delete()


@pytest.fixture
def seeded(actors_seeded_once, db):
    return actors_seeded_once


def test_it_loads_the_actors_the_texts_name_with_their_roles(seeded):
    assert seeded["actors"] == Actor.objects.filter(origin=Actor.Origin.SEED).count() == 17
    chair = Position.objects.get(actor__name="Fulvio Martusciello", kind="delegation")
    assert (chair.role, chair.body_code) == ("chair", "DCAS")
    assert "Chairman of DCAS" in chair.source
    friendship = Position.objects.get(actor__name="Ryszard Czarnecki")
    assert (friendship.kind, friendship.role) == ("friendship_group", "chair")
    assert Position.objects.get(actor__name="Róza Thun").body_code == "EPP"
    carlsson = Actor.objects.get(name="Sven-Olov Carlsson")
    assert carlsson.kind == Actor.Kind.AMBASSADOR


def test_what_they_said_or_did_is_dated_and_tied_to_its_document(seeded):
    thun = ActorFact.objects.get(actor__name="Róza Thun")
    assert thun.happened_on.isoformat() == "2021-02-11"
    assert thun.document.reference == "P9_TA(2021)0056"
    assert "highlighted the sensitive case of Agadil" in thun.source
    tusk = ActorFact.objects.filter(actor__name="Donald Tusk", document__isnull=False).get()
    assert tusk.document.kind == "letter"
    assert ActorFact.objects.get(actor__name="Sassoli").document.kind == "appeal"


def test_nothing_the_texts_do_not_say_is_recorded(seeded):
    # 000 calls Martusciello "centre-right" and Czarnecki "conservative": no group follows.
    assert not Position.objects.filter(
        actor__name__in=["Fulvio Martusciello", "Ryszard Czarnecki", "Thierry Mariani"],
        kind="political_group",
    ).exists()
    # No text gives Sassoli's first name or any position's dates.
    assert Actor.objects.filter(name="Sassoli").exists()
    assert not Position.objects.filter(started_on__isnull=False).exists()


def test_seed_actors_are_found_by_the_other_spellings_the_texts_use(seeded):
    assert actors_matching_name(
        actors=Actor.objects.all(), query="Viola von Cramon"
    ).get().name == ("Viola von Cramon-Taubadel")
    assert (
        actors_matching_name(actors=Actor.objects.all(), query="Borrel").get().name
        == "Josep Borrell"
    )
    assert (
        actors_matching_name(actors=Actor.objects.all(), query="Róża Thun").get().name
        == "Róza Thun"
    )


def test_loading_again_changes_and_records_nothing(seeded):
    counts = (
        Actor.objects.count(),
        Actor.history.count(),
        Position.history.count(),
        ActorFact.objects.count(),
    )
    actors_seeds_load()
    assert counts == (
        Actor.objects.count(),
        Actor.history.count(),
        Position.history.count(),
        ActorFact.objects.count(),
    )


def test_every_seeded_actor_record_keeps_its_quotes_as_provenance_linked_to_the_text(seeded):
    records = [
        *Actor.objects.filter(origin=Actor.Origin.SEED),
        *Position.objects.filter(source_key__startswith="seed:"),
        *ActorFact.objects.filter(source_key__startswith="seed:"),
    ]
    assert records
    for record in records:
        rows = Provenance.objects.filter(
            record_type=ContentType.objects.get_for_model(record), record_id=record.pk
        )
        assert rows, record
        for row in rows:
            # Each row points at the document holding its seed text, so the page links to it.
            assert row.source is not None, record
            if row.quote:
                assert row.quote in row.source.full_text, (record, row.quote)


def test_an_actor_page_links_each_quote_to_its_sentence(seeded, client):
    host = Organisation.objects.get(kind=Organisation.Kind.HOST)
    client.force_login(member(organisation=host, role=Role.CASEWORKER))
    thun = Actor.objects.get(name="Róza Thun")

    page = client.get(thun.get_absolute_url()).content.decode()

    assert "Where these facts come from" in page
    assert "?quote=" in page
