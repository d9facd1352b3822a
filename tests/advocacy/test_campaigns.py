"""Changing a campaign: what its form does not offer stays linked."""

from __future__ import annotations

from django.utils import timezone

from advocacy.campaigns import campaign_update
from tests.factories import ActorFactory, CampaignFactory, DocumentFactory


def test_it_keeps_an_archived_document_linked_when_the_campaign_is_saved(coordinator, host):
    campaign = CampaignFactory(owning_organisation=host)
    archived = DocumentFactory(archived_at=timezone.now())
    current = DocumentFactory()
    campaign.documents.set([archived, current])
    # What the form sends: the documents it offers, which archived ones are not.
    campaign_update(
        campaign=campaign, by=coordinator, team=[], cases=[], documents=[], name="Renamed"
    )
    assert set(campaign.documents.all()) == {archived}


def test_a_target_row_names_a_group_recorded_twice_once():
    from advocacy.campaigns import TargetRow
    from advocacy.models import Position

    actor = ActorFactory.build(name="Nacho Sanchez Amor")
    # From a seed text (undated) and from the roll-call export (dated): one group.
    groups = [
        Position(kind="political_group", body="S&D", body_code="SD"),
        Position(kind="political_group", body="Progressive Alliance", body_code="SD"),
    ]
    row = TargetRow(
        actor=actor, origin="filter", groups=groups, bodies=[], votes={}, group_labels={"SD": "S&D"}
    )
    assert row.group == "S&D" and row.group_code == "SD"
