"""The staff pages of the shared vocabularies (casework.views.vocabularies)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from casework.models import Case, Charge, DetentionPlace, Person, Region, Role
from casework.vocabularies import charges_resolve, vocabulary_resolve
from tests.conftest import _signed_in
from tests.factories import CaseFactory, ChargeFactory, PersonFactory, member

pytestmark = pytest.mark.django_db


def _list(client, slug: str, **query):
    return client.get(reverse("vocabulary_list", args=[slug]), query)


def test_it_lists_detention_places_with_how_many_cases_use_each(client_as_coordinator):
    place = DetentionPlace.objects.create(name="ИК-158/2", region="Petropavlovsk")
    CaseFactory(detention_place=place)
    CaseFactory(detention_place=place)
    response = _list(client_as_coordinator, "detention-places")
    assert response.status_code == 200
    rows = response.context["page"].rows
    assert [(row.name, row.use_count) for row in rows] == [("ИК-158/2", 2)]


def test_it_finds_an_entry_by_an_alias_a_merge_left(client_as_coordinator):
    DetentionPlace.objects.create(name="ИК-158/2", aliases=["Учреждение ЕЦ-166/2"])
    DetentionPlace.objects.create(name="СИЗО-1")
    response = _list(client_as_coordinator, "detention-places", q="ец-166")
    assert [row.name for row in response.context["page"].rows] == ["ИК-158/2"]


def test_it_finds_a_charge_by_article_and_part(client_as_coordinator):
    ChargeFactory(article="174", part="1", title="inciting social discord")
    ChargeFactory(article="174", part="2", title="inciting social discord, by a group")
    ChargeFactory(article="405", part="2", title="participation in a banned organisation")
    response = _list(client_as_coordinator, "charges", q="174-2")
    assert [(row.article, row.part) for row in response.context["page"].rows] == [("174", "2")]


def test_it_finds_an_article_recorded_without_parts_by_article_and_part(client_as_coordinator):
    """The seeds hold article 174 without a part: "174 ч.1" must not come back empty, which
    invites adding a second article 174."""
    ChargeFactory(article="174", part="", title="inciting social discord")
    ChargeFactory(article="405", part="", title="participation in a banned organisation")
    for query in ("174 ч.1", "ст. 174 ч. 1", "174-1"):
        response = _list(client_as_coordinator, "charges", q=query)
        assert [(row.article, row.part) for row in response.context["page"].rows] == [
            ("174", "")
        ], query


def test_it_pages_a_long_list_without_a_query_per_row(
    client_as_coordinator, django_assert_max_num_queries
):
    DetentionPlace.objects.bulk_create(
        [DetentionPlace(name=f"Place {number:03}") for number in range(60)]
    )
    with django_assert_max_num_queries(12):
        response = _list(client_as_coordinator, "detention-places")
    assert len(response.context["page"].rows) == 50
    assert response.context["page"].has_next
    second = _list(client_as_coordinator, "detention-places", page=2)
    assert second.context["page"].rows[0].name == "Place 050"


def test_it_adds_a_charge_with_its_russian_and_english_titles(client_as_coordinator, coordinator):
    response = client_as_coordinator.post(
        reverse("vocabulary_entry_add", args=["charges"]),
        {
            "jurisdiction": "KZ",
            "code": "CC 2014",
            "article": "179",
            "part": "",
            "title": "propaganda of terrorism",
            "title_ru": "пропаганда терроризма",
        },
    )
    assert response.status_code == 302
    charge = Charge.objects.get(article="179")
    assert charge.title_ru == "пропаганда терроризма"
    assert charge.history.get().history_user == coordinator


def test_it_keeps_the_old_name_as_an_alias_when_an_entry_is_renamed(client_as_coordinator):
    place = DetentionPlace.objects.create(name="ИК 158/2")
    response = client_as_coordinator.post(
        reverse("vocabulary_entry_edit", args=["detention-places", place.pk]),
        {"name": "ИК-158/2", "region": "Petropavlovsk", "kind": "colony"},
    )
    assert response.status_code == 302
    place.refresh_from_db()
    assert (place.name, place.region, place.aliases) == ("ИК-158/2", "Petropavlovsk", ["ИК 158/2"])
    assert place.history.count() == 3  # created, renamed, the other fields


def test_it_keeps_a_charges_old_article_as_an_alias_when_it_is_renumbered(
    client_as_coordinator, host
):
    """A charge entered as article 164 of the 2014 code was in fact 174: corrected, a
    partner's next file that writes "164" still finds it, as a renamed place's old name does."""
    charge = ChargeFactory(article="164", part="", title="inciting social discord")
    response = client_as_coordinator.post(
        reverse("vocabulary_entry_edit", args=["charges", charge.pk]),
        {
            "jurisdiction": "KZ",
            "code": "CC 2014",
            "article": "174",
            "part": "",
            "title": "inciting social discord",
            "title_ru": "",
        },
    )
    assert response.status_code == 302
    charge.refresh_from_db()
    assert (charge.article, charge.aliases) == ("174", ["cc 2014|164|"])
    resolved = charges_resolve(references=[("CC 2014", "164", "")], organisation=host)
    assert resolved == {("CC 2014", "164", ""): charge.pk}


def test_it_refuses_a_name_another_entry_has_naming_the_field(client_as_coordinator):
    DetentionPlace.objects.create(name="СИЗО-1")
    place = DetentionPlace.objects.create(name="СИЗО 1")
    response = client_as_coordinator.post(
        reverse("vocabulary_entry_edit", args=["detention-places", place.pk]),
        {"name": "СИЗО-1", "region": "", "kind": ""},
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    place.refresh_from_db()
    assert place.name == "СИЗО 1"


def test_it_merges_two_detention_places_moving_every_case(client_as_coordinator, host):
    kept = DetentionPlace.objects.create(name="ИК-158/2")
    merged = DetentionPlace.objects.create(name="ИК 158-2 Петропавловск")
    cases = [CaseFactory(detention_place=merged) for _ in range(3)]
    response = client_as_coordinator.post(
        reverse("vocabulary_entry_merge", args=["detention-places", merged.pk]),
        {"into": kept.pk},
    )
    assert response.status_code == 302
    assert not DetentionPlace.objects.filter(pk=merged.pk).exists()
    assert set(Case.objects.filter(detention_place=kept)) == set(cases)
    kept.refresh_from_db()
    assert kept.aliases == ["ИК 158-2 Петропавловск"]
    found = vocabulary_resolve(
        kind="detention_place", text="ИК 158-2 Петропавловск", organisation=host
    )
    assert found == kept


def test_it_merges_a_charge_moving_the_cases_charges(client_as_admin):
    kept = ChargeFactory(article="174", part="1")
    merged = ChargeFactory(article="174-1", part="")
    case = CaseFactory()
    case.charges.set([merged])
    client_as_admin.post(
        reverse("vocabulary_entry_merge", args=["charges", merged.pk]), {"into": kept.pk}
    )
    assert list(case.charges.all()) == [kept]


def test_it_merges_regions_so_people_follow(client_as_coordinator):
    kept = Region.objects.create(name="Uralsk")
    merged = Region.objects.create(name="г. Орал")
    person = PersonFactory(region="г. Орал")
    client_as_coordinator.post(
        reverse("vocabulary_entry_merge", args=["regions", merged.pk]), {"into": kept.pk}
    )
    person.refresh_from_db()
    assert person.region == "Uralsk"


def test_it_lists_proposals_with_the_organisation_that_made_them(
    client_as_coordinator, partner_organisation
):
    DetentionPlace.objects.create(name="СИЗО Уральск", proposed_by=partner_organisation)
    DetentionPlace.objects.create(name="ИК-158/2")
    response = _list(client_as_coordinator, "detention-places", state="proposed")
    rows = response.context["page"].rows
    assert [(row.name, row.proposed_by.name) for row in rows] == [
        ("СИЗО Уральск", partner_organisation.name)
    ]
    assert "Accept" in response.content.decode()


def test_it_accepts_a_proposal_for_every_organisation(client_as_coordinator, partner_organisation):
    proposal = DetentionPlace.objects.create(name="СИЗО Уральск", proposed_by=partner_organisation)
    response = client_as_coordinator.post(
        reverse("vocabulary_entry_action", args=["detention-places", proposal.pk, "accept"]),
        {"next": "/vocabularies/detention-places/?state=proposed"},
    )
    assert response["Location"] == "/vocabularies/detention-places/?state=proposed"
    proposal.refresh_from_db()
    assert proposal.proposed_by is None


def test_it_merges_a_proposal_into_an_existing_entry_and_the_partners_cases_follow(
    client_as_coordinator, partner_organisation
):
    existing = DetentionPlace.objects.create(name="СИЗО-1 Уральск")
    proposal = DetentionPlace.objects.create(name="СИЗО Уральск", proposed_by=partner_organisation)
    case = CaseFactory(owning_organisation=partner_organisation, detention_place=proposal)
    client_as_coordinator.post(
        reverse("vocabulary_entry_merge", args=["detention-places", proposal.pk]),
        {"into": existing.pk},
    )
    case.refresh_from_db()
    assert case.detention_place == existing


def test_it_does_not_offer_a_proposal_as_a_merge_target(
    client_as_coordinator, partner_organisation
):
    place = DetentionPlace.objects.create(name="ИК-158/2")
    proposal = DetentionPlace.objects.create(name="СИЗО Уральск", proposed_by=partner_organisation)
    response = client_as_coordinator.post(
        reverse("vocabulary_entry_merge", args=["detention-places", place.pk]),
        {"into": proposal.pk},
    )
    assert response.status_code == 302
    assert DetentionPlace.objects.filter(pk=place.pk).exists()


def test_it_archives_and_restores_an_entry(client_as_coordinator):
    place = DetentionPlace.objects.create(name="ИК-158/2")
    url = reverse("vocabulary_entry_action", args=["detention-places", place.pk, "archive"])
    client_as_coordinator.post(url)
    place.refresh_from_db()
    assert place.archived_at is not None
    archived = _list(client_as_coordinator, "detention-places", state="archived")
    assert [row.pk for row in archived.context["page"].rows] == [place.pk]
    client_as_coordinator.post(
        reverse("vocabulary_entry_action", args=["detention-places", place.pk, "restore"])
    )
    place.refresh_from_db()
    assert place.archived_at is None


def test_it_shows_an_entrys_change_history(client_as_coordinator, coordinator):
    place = DetentionPlace.objects.create(name="ИК 158/2")
    client_as_coordinator.post(
        reverse("vocabulary_entry_edit", args=["detention-places", place.pk]),
        {"name": "ИК-158/2", "region": "", "kind": ""},
    )
    response = client_as_coordinator.get(
        reverse("vocabulary_entry_edit", args=["detention-places", place.pk])
    )
    assert response.context["history"][0].who == coordinator.username
    assert "ИК 158/2" in response.content.decode()


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.PARTNER, Role.COORDINATOR])
def test_it_refuses_the_pages_to_everyone_but_the_hosts_managers(
    client, role, host, partner_organisation
):
    organisation = partner_organisation if role == Role.COORDINATOR else host
    user = member(organisation=organisation, role=role, username=f"someone-{role}")
    _signed_in(client, user)
    response = _list(client, "detention-places")
    assert response.status_code == 403
    assert "coordinators and admins manage the shared vocabularies" in response.content.decode()


def test_it_answers_404_for_an_unknown_kind_or_entry(client_as_coordinator):
    assert _list(client_as_coordinator, "prisons").status_code == 404
    missing = reverse("vocabulary_entry_edit", args=["detention-places", 999999])
    assert client_as_coordinator.get(missing).status_code == 404


def test_it_links_the_pages_from_the_header_for_coordinators_only(
    client_as_coordinator, caseworker, client
):
    page = client_as_coordinator.get("/cases/").content.decode()
    assert 'href="/vocabularies/"' in page
    client.force_login(caseworker)
    assert 'href="/vocabularies/"' not in client.get("/cases/").content.decode()


def test_it_leaves_people_and_cases_of_other_entries_alone_on_merge(client_as_coordinator):
    kept = DetentionPlace.objects.create(name="ИК-158/2")
    merged = DetentionPlace.objects.create(name="ИК 158 2")
    other = DetentionPlace.objects.create(name="СИЗО-1")
    case = CaseFactory(detention_place=other)
    client_as_coordinator.post(
        reverse("vocabulary_entry_merge", args=["detention-places", merged.pk]),
        {"into": kept.pk},
    )
    case.refresh_from_db()
    assert case.detention_place == other
    assert Person.objects.count() == 1


def test_it_merges_two_issuing_bodies_moving_their_documents(client_as_coordinator, coordinator):
    from advocacy.models import IssuingBody
    from tests.factories import DocumentFactory, IssuingBodyFactory

    kept = IssuingBodyFactory(name="European Parliament", short_name="EP")
    merged = IssuingBodyFactory(name="Parlement européen")
    document = DocumentFactory(issuing_body=merged)
    listed = _list(client_as_coordinator, "issuing-bodies", q="européen")
    assert [row.name for row in listed.context["page"].rows] == ["Parlement européen"]
    assert listed.context["page"].rows[0].use_count == 1
    client_as_coordinator.post(
        reverse("vocabulary_entry_merge", args=["issuing-bodies", merged.pk]), {"into": kept.pk}
    )
    document.refresh_from_db()
    kept.refresh_from_db()
    assert document.issuing_body == kept
    assert "Parlement européen" in kept.aliases
    assert not IssuingBody.objects.filter(pk=merged.pk).exists()
    assert kept.history.first().history_user == coordinator
    assert "Proposed by imports" not in listed.text


def test_it_archives_an_issuing_body_so_new_documents_cannot_name_it(client_as_coordinator):
    from advocacy.forms import DocumentForm
    from tests.factories import IssuingBodyFactory

    body = IssuingBodyFactory(name="Old coalition")
    client_as_coordinator.post(
        reverse("vocabulary_entry_action", args=["issuing-bodies", body.pk, "archive"])
    )
    assert body not in DocumentForm().fields["issuing_body"].queryset
    accept = reverse("vocabulary_entry_action", args=["issuing-bodies", body.pk, "accept"])
    assert client_as_coordinator.post(accept).status_code == 404


def test_it_offers_to_add_an_entry_with_its_own_article(client_as_coordinator):
    issuing_bodies = _list(client_as_coordinator, "issuing-bodies").text
    assert "Add an issuing body" in issuing_bodies
    assert "Add a issuing body" not in issuing_bodies
    assert "Add an affiliation" in _list(client_as_coordinator, "affiliations").text
    form = client_as_coordinator.get(reverse("vocabulary_entry_add", args=["detention-places"]))
    assert "<h1>Add a detention place</h1>" in form.text
