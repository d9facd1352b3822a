"""seeds.vocabularies: organisations, issuing bodies, affiliations and charges."""

from __future__ import annotations

from casework.models import Affiliation, Charge, Organisation
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


def test_every_charge_reads_in_russian_to_russian_and_kazakh_readers(seeded):
    from django.utils import translation

    charges = list(Charge.objects.filter(jurisdiction="KZ"))
    assert all(charge.title_ru for charge in charges)
    for language in ("ru", "kk"):
        with translation.override(language):
            shown = [str(charge) for charge in charges]
            assert not [title for title in shown if "inciting" in title or "banned" in title]
    by_article = {charge.article: charge.title_ru for charge in charges}
    assert by_article["174"].startswith("Возбуждение социальной, национальной")


def test_the_1997_code_is_an_outside_reference_named_as_such(seeded):
    charge = Charge.objects.get(code="CC 1997", article="164")
    code = charge.provenance.get(facts="code")

    assert code.basis == "reference"
    assert code.reference.startswith("Criminal Code of the Republic of Kazakhstan of 16 July 1997")
    stated = charge.provenance.get(basis="stated")
    assert "article 164 of Kazakhstan’s Criminal Code" in stated.quote


def test_the_affiliations_free_text_source_lists_its_quotes(seeded):
    dck = Affiliation.objects.get(slug="dck")

    assert (
        "001_7fed3bdafdd98d63.txt: “condemns the misuse of anti-extremism legislation" in dck.source
    )
    assert dck.provenance.count() == 4
