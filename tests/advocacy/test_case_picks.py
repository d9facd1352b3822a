"""Cases picked on an engagement or a campaign by reference or by the person's name."""

from __future__ import annotations

import pytest

from advocacy.case_picks import NAMES_MAX, cases_picked
from advocacy.models import Campaign, Engagement
from casework.models import Confidentiality
from casework.visibility import cases_visible_to
from tests.factories import ActorFactory, CaseFactory, PersonFactory


@pytest.fixture
def zhumagulov(host):
    person = PersonFactory(full_name="Almat Zhumagulov", owning_organisation=host)
    return CaseFactory(person=person, reference="KZ-1", owning_organisation=host)


@pytest.fixture
def agadils(host):
    return [
        CaseFactory(
            person=PersonFactory(full_name=name, owning_organisation=host),
            reference=reference,
            owning_organisation=host,
        )
        for name, reference in (("Dulat Agadil", "KZ-2"), ("Zhanbolat Agadil", "KZ-3"))
    ]


def test_it_finds_a_case_by_the_persons_name_in_any_script(caseworker, zhumagulov):
    visible = cases_visible_to(caseworker)
    for text in ("Almat Zhumagulov", "Жумагулов Алмат", "zhumagulov", "Жұмағұлов"):
        assert cases_picked(cases=visible, text=text).cases == [zhumagulov], text


def test_it_still_takes_references_separated_by_spaces_or_commas(caseworker, zhumagulov, agadils):
    picks = cases_picked(cases=cases_visible_to(caseworker), text="kz-1 KZ-2, KZ-3")
    assert picks.cases == [zhumagulov, *agadils]


def test_it_leaves_a_name_of_several_cases_to_choose_until_one_is_ticked(caseworker, agadils):
    visible = cases_visible_to(caseworker)
    picks = cases_picked(cases=visible, text="Agadil")
    assert picks.cases == [] and picks.ambiguous == {"Agadil": agadils}
    ticked = cases_picked(cases=visible, text="Agadil", chosen={agadils[1].pk})
    assert ticked.cases == [agadils[1]] and not ticked.ambiguous


def test_it_never_finds_a_case_the_user_may_not_see_by_name(partner_user, host):
    CaseFactory(
        person=PersonFactory(full_name="Roza Tuletaeva", owning_organisation=host),
        owning_organisation=host,
        confidentiality=Confidentiality.RESTRICTED,
    )
    picks = cases_picked(cases=cases_visible_to(partner_user), text="Roza Tuletaeva")
    assert picks.cases == [] and picks.unknown == ["Roza Tuletaeva"]


def test_an_engagement_takes_cases_by_name_and_offers_a_choice(
    client_as_coordinator, zhumagulov, agadils
):
    actor = ActorFactory()
    form = {
        "kind": "meeting",
        "happened_on": "2024-05-14",
        "subject": "Meeting in Strasbourg",
        "actors": [actor.pk],
        "case_references": "Жумагулов, Agadil, Nobody Atall",
        "sharing": "internal",
    }
    text = client_as_coordinator.post("/engagements/new/", form).content.decode()
    assert "Cases raised: no case you can see has the name or reference “Nobody Atall”." in text
    assert "Cases raised: “Agadil” may be any of several cases" in text
    assert f'name="case_choice" value="{agadils[0].pk}"' in text
    assert not Engagement.objects.exists()
    form["case_references"] = "Жумагулов, Agadil"
    form["case_choice"] = [str(agadils[0].pk)]
    response = client_as_coordinator.post("/engagements/new/", form)
    assert response.status_code == 302
    assert set(Engagement.objects.get().cases.all()) == {zhumagulov, agadils[0]}


def test_a_campaign_takes_cases_by_name(client_as_coordinator, zhumagulov):
    response = client_as_coordinator.post(
        "/campaigns/new/",
        {
            "name": "Free them",
            "status": "active",
            "sharing": "internal",
            "case_references": "Zhumagulov",
        },
    )
    assert response.status_code == 302
    assert list(Campaign.objects.get().cases.all()) == [zhumagulov]


def test_it_refuses_more_names_than_it_searches_at_once(caseworker):
    text = ", ".join(f"Name{index} Person" for index in range(NAMES_MAX + 1))
    picks = cases_picked(cases=cases_visible_to(caseworker), text=text)
    assert picks.too_many_names and picks.cases == []


def test_a_ticked_box_that_is_not_a_number_is_ignored(client_as_coordinator, agadils):
    response = client_as_coordinator.post(
        "/campaigns/new/",
        {
            "name": "Free them",
            "status": "active",
            "sharing": "internal",
            "case_references": "Agadil",
            "case_choice": ["²", "x"],
        },
    )
    assert "“Agadil” may be any of several cases" in response.content.decode()
