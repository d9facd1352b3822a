"""seeds.vocabularies: organisations, issuing bodies, affiliations and charges."""

from __future__ import annotations

from advocacy.models import Document
from casework.models import Affiliation, Case, CaseEvent, Charge, Organisation
from seeds.loader import NON_DOCUMENT_SOURCES, seeds_read
from tests.seeds.seeded import SEED_TEXTS

KIBHR_NAME = "Kazakhstan International Bureau for Human Rights and Rule of Law"


def test_the_partner_bureau_has_its_name_exactly_as_the_seed_text_gives_it(seeded):
    assert KIBHR_NAME in SEED_TEXTS["003_6578fd821a231ef1.txt"]
    assert Organisation.objects.get(slug="kibhr").name == KIBHR_NAME
    assert Affiliation.objects.get(slug="kibhr").name == KIBHR_NAME


def test_the_movements_and_ngos_are_there_and_bans_only_where_stated(seeded):
    banned = set(
        Affiliation.objects.filter(banned_as_extremist=True).values_list("slug", flat=True)
    )
    kinds = dict(Affiliation.objects.values_list("slug", "kind"))

    assert banned == {"dck", "koshe-party", "alga"}
    for slug in ("bostandyq-kz", "femina-virtute", "veritas", "405", "elimay"):
        assert kinds[slug] == Affiliation.Kind.CIVIL_SOCIETY
    for slug in ("odf", "hrw", "iphr", "amnesty-international", "kibhr"):
        assert kinds[slug] == Affiliation.Kind.NGO
    assert kinds["dck"] == Affiliation.Kind.MOVEMENT


def test_the_charges_include_the_old_and_new_codes(seeded):
    titles = {
        (charge.code, charge.article): charge.title
        for charge in Charge.objects.filter(jurisdiction="KZ")
    }

    assert titles[("CC 1997", "164")] == "inciting social discord"
    assert titles[("CC 2014", "174")] == "inciting social discord"
    assert titles[("CC 2014", "405")] == "participation in a banned extremist organisation"


def test_every_seed_record_names_its_source(seeded):
    seeds = seeds_read()
    allowed = set(SEED_TEXTS) | NON_DOCUMENT_SOURCES
    origins = [
        *(seed.origin for seed in seeds.organisations),
        *(seed.origin for seed in seeds.issuing_bodies),
        *(seed.origin for seed in seeds.affiliations),
        *(seed.origin for seed in seeds.charges),
        *(seed.origin for seed in seeds.documents),
        *(seed.origin for seed in seeds.people),
        *(case.origin for seed in seeds.people for case in seed.cases),
        *(
            event.origin
            for seed in seeds.people
            for case in seed.cases
            for event in case.status_events
        ),
        *(seed.origin for seed in seeds.mentions),
    ]

    assert origins
    for origin in origins:
        assert origin.sources and set(origin.sources) <= allowed, origin
    # Only the demo's own host and the design's charge articles come from outside the texts.
    assert sum("DESIGN.md" in origin.sources for origin in origins) == 3
    assert not Document.objects.filter(source="").exists()
    assert not Affiliation.objects.filter(source="").exists()
    assert not Case.objects.filter(sources="").exists()
    assert not CaseEvent.objects.filter(source="").exists()
