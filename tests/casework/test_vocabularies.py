"""Vocabularies imports cannot pollute: values matched after normalisation and through the
aliases merges leave, proposals offered to the proposing organisation only, and the host's
decisions (accept, rename, merge, archive) followed by every case."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from casework.models import Case, Charge, DetentionPlace, Person, Region
from casework.vocabularies import (
    DETENTION_PLACE,
    REGION,
    charges_resolve,
    text_is_placeholder,
    vocabulary_accept,
    vocabulary_archive,
    vocabulary_choices,
    vocabulary_key,
    vocabulary_merge,
    vocabulary_propose,
    vocabulary_rename,
    vocabulary_resolve,
    vocabulary_visible,
)
from tests.casework.import_files import text_import
from tests.factories import CaseFactory, ChargeFactory, PersonFactory


@pytest.mark.parametrize(
    ("kind", "spellings"),
    [
        (DETENTION_PLACE, ["ИК-158/2", "ИК 158/2", "учреждение ИК-158/2", "ik-158/2"]),
        (REGION, ["г. Уральск", "Уральск", "Uralsk", "город Уральск"]),
        (DETENTION_PLACE, ["СИЗО-1 Алматы", "СИЗО 1, Алматы", "SIZO-1 Almaty"]),
    ],
)
def test_spellings_of_one_place_have_one_key(kind, spellings):
    assert len({vocabulary_key(kind=kind, text=spelling) for spelling in spellings}) == 1


@pytest.mark.parametrize("written", ["—", "-", "–", "нет", "n/a", "N/A", "неизвестно", " ", "?"])
def test_placeholders_are_empty_values(written):
    assert text_is_placeholder(written)
    assert vocabulary_key(kind=DETENTION_PLACE, text=written) == ""


def test_a_proposal_is_offered_to_its_organisation_only(partner_organisation, host, partner_user):
    vocabulary_propose(
        kind=DETENTION_PLACE, names=["Киев"], organisation=partner_organisation, by=partner_user
    )
    shared = DetentionPlace.objects.create(name="ИК-158/2")

    assert set(vocabulary_visible(kind=DETENTION_PLACE, organisation=host)) == {shared}
    assert {
        place.name
        for place in vocabulary_visible(kind=DETENTION_PLACE, organisation=partner_organisation)
    } == {"Киев", "ИК-158/2"}


def test_a_form_keeps_the_value_a_record_already_holds(partner_organisation, host, partner_user):
    created = vocabulary_propose(
        kind=DETENTION_PLACE, names=["Киев"], organisation=partner_organisation, by=partner_user
    )
    proposal_id = next(iter(created.values()))

    offered = vocabulary_choices(kind=DETENTION_PLACE, organisation=host, keep=[proposal_id, None])

    assert list(offered.values_list("pk", flat=True)) == [proposal_id]


def test_it_resolves_through_the_aliases_a_merge_left(partner_organisation, host, coordinator):
    target = DetentionPlace.objects.create(name="ИК-158/2, Petropavlovsk")
    proposal = DetentionPlace.objects.create(
        name="Петропавловская колония", proposed_by=partner_organisation
    )

    vocabulary_merge(entry=proposal, into=target, by=coordinator)

    found = vocabulary_resolve(
        kind=DETENTION_PLACE, text="петропавловская  колония", organisation=host
    )
    assert found == target


def test_merging_a_proposal_moves_every_case_with_history_and_keeps_the_name(
    partner_organisation, coordinator
):
    target = DetentionPlace.objects.create(name="ИК-158/2")
    proposal = DetentionPlace.objects.create(name="учр. ИК 158-2", proposed_by=partner_organisation)
    cases = [
        CaseFactory(owning_organisation=partner_organisation, detention_place=proposal)
        for _ in range(3)
    ]
    history_before = Case.history.count()

    vocabulary_merge(entry=proposal, into=target, by=coordinator)

    assert not DetentionPlace.objects.filter(pk=proposal.pk).exists()
    assert set(Case.objects.filter(detention_place=target)) == set(cases)
    assert Case.history.count() == history_before + 3
    assert Case.history.latest("history_date").history_user == coordinator
    target.refresh_from_db()
    assert "учр. ИК 158-2" in target.aliases
    assert target.history.latest().history_user == coordinator


def test_merging_charges_moves_the_cases_and_leaves_the_article_as_an_alias(
    partner_organisation, coordinator
):
    shared = ChargeFactory(article="174", part="1")
    proposal = ChargeFactory(
        article="174-1", part="", title="Article 174-1", proposed_by=partner_organisation
    )
    both = CaseFactory(owning_organisation=partner_organisation)
    both.charges.add(shared, proposal)
    only = CaseFactory(owning_organisation=partner_organisation)
    only.charges.add(proposal)

    vocabulary_merge(entry=proposal, into=shared, by=coordinator)

    assert list(both.charges.all()) == [shared] and list(only.charges.all()) == [shared]
    assert charges_resolve(
        references=[("CC 2014", "174-1", "")], organisation=partner_organisation
    ) == {("CC 2014", "174-1", ""): shared.pk}
    # The history row of each case lists its charges after the merge.
    latest = only.history.latest("history_date")
    assert [charge.charge_id for charge in latest.charges.all()] == [shared.pk]


def test_174_1_without_a_part_is_article_174_part_1_when_no_article_174_1_exists(host):
    charge = ChargeFactory(article="174", part="1")
    ChargeFactory(article="174", part="2")

    assert charges_resolve(references=[("CC 2014", "174-1", "")], organisation=host) == {
        ("CC 2014", "174-1", ""): charge.pk
    }


def test_another_organisation_s_proposed_charge_is_never_matched(partner_organisation, host):
    ChargeFactory(article="999", part="", proposed_by=host)

    assert (
        charges_resolve(references=[("CC 2014", "999", "")], organisation=partner_organisation)
        == {}
    )


def test_accepting_offers_a_proposal_to_everyone(partner_organisation, host, coordinator):
    proposal = DetentionPlace.objects.create(name="ИК-3", proposed_by=partner_organisation)

    vocabulary_accept(entry=proposal, by=coordinator)

    assert proposal in vocabulary_visible(kind=DETENTION_PLACE, organisation=host)
    assert proposal.history.latest().history_user == coordinator


def test_renaming_keeps_the_old_name_and_people_of_a_region_follow(
    partner_organisation, coordinator
):
    region = Region.objects.create(name="г. Уральск", proposed_by=partner_organisation)
    person = PersonFactory(region="Уральск", owning_organisation=partner_organisation)

    vocabulary_rename(entry=region, name="Uralsk", by=coordinator)

    region.refresh_from_db()
    person.refresh_from_db()
    assert region.name == "Uralsk" and region.aliases == ["г. Уральск"]
    assert person.region == "Uralsk"
    assert person.history.latest().history_user == coordinator


def test_a_rename_to_another_entry_s_name_is_refused(coordinator):
    DetentionPlace.objects.create(name="ИК-2")
    other = DetentionPlace.objects.create(name="ИК 2 (Павлодар)")

    with pytest.raises(ValidationError, match="merge into it instead"):
        vocabulary_rename(entry=other, name="ИК-2", by=coordinator)


def test_an_archived_entry_is_offered_no_more(host, coordinator):
    place = DetentionPlace.objects.create(name="ИК-1 (closed)")

    vocabulary_archive(entry=place, by=coordinator)

    assert place not in vocabulary_visible(kind=DETENTION_PLACE, organisation=host)


def test_an_import_uses_its_proposal_at_once_and_other_organisations_never_see_it(
    partner_user, partner_organisation, host, client_as_coordinator
):
    text_import(
        "ФИО;Место содержания;Регион\n"
        "Бекова Динара;ИК-158/2;г. Уральск\n"
        "Сейткали Даурен;учреждение ИК 158/2;Uralsk\n"
        "Омаров Ержан;—;нет\n",
        partner_user,
        partner_organisation,
    )

    place = DetentionPlace.objects.get()
    assert (place.name, place.proposed_by) == ("ИК-158/2", partner_organisation)
    assert Case.objects.filter(detention_place=place).count() == 2
    assert Case.objects.filter(detention_place__isnull=True).count() == 1
    assert set(Person.objects.values_list("region", flat=True)) == {"г. Уральск", ""}
    assert Region.objects.get().proposed_by == partner_organisation
    page = client_as_coordinator.get("/cases/new/")
    assert page.status_code == 200 and "ИК-158/2" not in page.text


def test_a_place_merged_after_an_import_is_found_by_the_next_import(
    partner_user, partner_organisation, coordinator
):
    text_import(
        "ФИО;Место содержания\nБекова Динара;Петропавловск ИК-158/2\n",
        partner_user,
        partner_organisation,
    )
    proposal = DetentionPlace.objects.get()
    shared = DetentionPlace.objects.create(name="ИК-158/2", region="Petropavlovsk")
    vocabulary_merge(entry=proposal, into=shared, by=coordinator)

    text_import(
        "ФИО;Место содержания\nСеров Иван;петропавловск ИК 158/2\n",
        partner_user,
        partner_organisation,
    )

    assert list(DetentionPlace.objects.all()) == [shared]
    assert Case.objects.filter(detention_place=shared).count() == 2


def test_a_region_matching_a_shared_entry_is_written_as_the_entry_is(
    partner_user, partner_organisation
):
    Region.objects.create(name="Uralsk")

    text_import("ФИО;Регион\nБекова Динара;г. Уральск\n", partner_user, partner_organisation)

    assert Person.objects.get().region == "Uralsk"
    assert Region.objects.count() == 1


def test_charges_of_a_file_use_the_shared_ones_and_propose_the_rest(
    partner_user, partner_organisation
):
    shared = ChargeFactory(article="174", part="1")

    text_import(
        "ФИО;Статья\nБекова Динара;ст. 174 ч.1 УК РК\nСеров Иван;174-1\nОмаров Ержан;ст. 888\n",
        partner_user,
        partner_organisation,
    )

    proposed = Charge.objects.exclude(pk=shared.pk).get()
    assert (proposed.article, proposed.proposed_by) == ("888", partner_organisation)
    assert Case.objects.filter(charges=shared).count() == 2


def test_merging_affiliations_moves_the_people_with_history(partner_organisation, coordinator):
    from casework.models import Affiliation

    shared = Affiliation.objects.create(name="Koshe Party", slug="koshe", kind="party")
    proposal = Affiliation.objects.create(
        name="Кошe партиясы", slug="koshe-kz", kind="party", proposed_by=partner_organisation
    )
    person = PersonFactory(owning_organisation=partner_organisation)
    person.affiliations.add(proposal)

    vocabulary_merge(entry=proposal, into=shared, by=coordinator)

    assert list(person.affiliations.all()) == [shared]
    latest = person.history.latest("history_date")
    assert latest.history_user == coordinator
    assert [link.affiliation_id for link in latest.affiliations.all()] == [shared.pk]
