"""Political groups are shown by the label a person reads (Greens/EFA), as the target
filters show them, not by their code (GREEN_EFA); the export keeps the code beside it."""

from __future__ import annotations

import csv
import io

import pytest

from advocacy.models import Actor, CampaignTarget
from advocacy.votes_import import export_files_in_folder, votes_import
from tests.advocacy.actors.conftest import EXPORT
from tests.factories import ActorFactory, CampaignFactory, PositionFactory


@pytest.fixture
def imported(resolution_2021):
    votes_import(files=export_files_in_folder(EXPORT))
    return resolution_2021


def test_the_actor_list_shows_the_groups_label_not_its_code(client_as_caseworker, imported):
    text = client_as_caseworker.get("/actors/").content.decode()
    brandtner = text.split("Ilse Brandtner")[1].split("</tr>")[0]
    assert (
        '<td data-label="Political group">Greens/EFA</td>' in brandtner
        and "GREEN_EFA" not in brandtner
    )


def test_a_group_no_import_named_is_shown_by_the_name_it_was_recorded_with(
    client_as_caseworker,
):
    actor = ActorFactory(name="Petras Austrevicius")
    PositionFactory(actor=actor, kind="political_group", body="Renew Europe", body_code="RNW")
    text = client_as_caseworker.get("/actors/").content.decode()
    assert '<td data-label="Political group">Renew Europe</td>' in text


def test_the_target_table_shows_labels_and_the_export_keeps_the_code(
    client_as_coordinator, host, imported
):
    campaign = CampaignFactory(owning_organisation=host)
    CampaignTarget.objects.create(campaign=campaign, actor=Actor.objects.get(ep_member_id=900001))
    text = client_as_coordinator.get(f"/campaigns/{campaign.pk}/targets/").content.decode()
    assert "<td>Greens/EFA</td>" in text and "<td>GREEN_EFA</td>" not in text
    response = client_as_coordinator.get(f"/campaigns/{campaign.pk}/targets.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    group = rows[0].index("Political group")
    assert rows[0][group + 1] == "Political group code"
    assert rows[1][group : group + 2] == ["Greens/EFA", "GREEN_EFA"]


def test_the_document_page_names_the_group_of_those_voting_against(client_as_caseworker, imported):
    text = client_as_caseworker.get(imported.get_absolute_url()).content.decode()
    dissent = text.split("Voted against or abstained")[1]
    assert "EPP ·" in dissent  # Vellutini: the code and the label are the same
    assert "GREEN_EFA" not in dissent and ">SD ·" not in dissent
