"""Changing a campaign: what its form does not offer stays linked."""

from __future__ import annotations

from django.utils import timezone

from advocacy.campaigns import campaign_update
from tests.factories import CampaignFactory, DocumentFactory


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
