"""The actor, engagement, campaign and vote pages, as a user meets them, with their
query counts pinned."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from advocacy.models import (
    Campaign,
    CampaignTarget,
    Engagement,
    EngagementFollowUp,
    Position,
    Stance,
)
from advocacy.votes_import import export_files_in_folder, votes_import
from casework.models import FollowUp, Notification, Reminder, Role
from casework.reminders import reminders_send
from tests.advocacy.actors.conftest import EXPORT
from tests.conftest import _signed_in
from tests.factories import (
    ActorFactory,
    CampaignFactory,
    CaseFactory,
    EngagementFactory,
    OrganisationFactory,
    PersonFactory,
    PositionFactory,
    StanceFactory,
    member,
)


@pytest.fixture
def imported(resolution_2021):
    votes_import(files=export_files_in_folder(EXPORT))
    return resolution_2021


@pytest.fixture
def dcas(imported):
    """Two of those who voted against or abstained sit in the delegation for Central Asia,
    one who voted for does too."""
    from advocacy.models import Actor

    for member_id in (900002, 900004, 900001):
        PositionFactory(actor=Actor.objects.get(ep_member_id=member_id))
    return imported


def test_the_document_page_shows_the_vote_by_group_and_who_voted_against(
    client_as_caseworker, imported, django_assert_max_num_queries
):
    with django_assert_max_num_queries(40):
        response = client_as_caseworker.get(imported.get_absolute_url())
    text = response.content.decode()
    assert "Roll-call vote" in text
    assert "3 for, 3 against, 1 abstention; 1 did not vote." in text
    assert "S&amp;D" in text and "Greens/EFA" in text
    dissent = text.split("Voted against or abstained")[1]
    assert "Marco Vellutini" in dissent and "Jānis Ozoliņš" in dissent
    assert "Ilse Brandtner" not in dissent


def test_the_document_page_counts_the_main_vote_only(client_as_caseworker, imported):
    text = client_as_caseworker.get(imported.get_absolute_url()).content.decode()
    # The amendment (2 for, 5 against) is not the vote on the text.
    assert "2 for, 5 against" not in text


def test_the_actor_list_finds_an_actor_by_another_spelling_in_bounded_queries(
    client_as_caseworker, imported, django_assert_max_num_queries
):
    for index in range(30):
        ActorFactory(name=f"Filler Person{index}")
    with django_assert_max_num_queries(12):
        response = client_as_caseworker.get("/actors/", {"q": "Janis Ozolins"})
    assert "Jānis Ozoliņš" in response.content.decode()
    assert "Ilse Brandtner" not in response.content.decode()
    with django_assert_max_num_queries(12):
        response = client_as_caseworker.get("/actors/")
    assert response.content.decode().count("<tr>") == 38 + 1


def test_the_actor_page_shows_votes_on_documents_naming_our_cases(
    client_as_caseworker, host, imported, django_assert_max_num_queries
):
    from advocacy.models import Actor
    from tests.factories import MentionFactory

    case = CaseFactory(owning_organisation=host, person=PersonFactory(full_name="Almat Zhumagulov"))
    MentionFactory(document=imported, case=case, state="confirmed")
    actor = Actor.objects.get(ep_member_id=900002)
    with django_assert_max_num_queries(25):
        response = client_as_caseworker.get(actor.get_absolute_url())
    text = response.content.decode()
    assert imported.title in text
    assert "For: 0 · against: 1" in text


def test_a_target_list_of_those_against_or_abstaining_in_the_delegation(
    client_as_coordinator, coordinator, host, dcas, django_assert_max_num_queries
):
    campaign = CampaignFactory(owning_organisation=host, name="Urgency resolution before summer")
    filters = {
        "kind": "",
        "vote_document": dcas.pk,
        "vote_positions": ["against", "abstention"],
        "bodies": ["DCAS"],
        "not_engaged_days": "",
    }
    with django_assert_max_num_queries(25):
        response = client_as_coordinator.get(f"/campaigns/{campaign.pk}/targets/", filters)
    text = response.content.decode()
    assert "2 actors match these filters." in text
    assert "Marco Vellutini" in text and "Jānis Ozoliņš" in text
    assert "Ilse Brandtner" not in text  # in the delegation, voted for
    assert "Hélène Dufresne" not in text  # against, not in the delegation

    response = client_as_coordinator.post(f"/campaigns/{campaign.pk}/targets/", filters)
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.target_filters["bodies"] == ["DCAS"]
    assert set(campaign.targets.values_list("actor__ep_member_id", flat=True)) == {900002, 900004}

    for index in range(20):
        CampaignTarget.objects.create(
            campaign=campaign, actor=ActorFactory(name=f"More Person{index}")
        )
    with django_assert_max_num_queries(25):
        response = client_as_coordinator.get(f"/campaigns/{campaign.pk}/targets/")
    assert "22 targets saved on the campaign." in response.content.decode()


def test_saving_again_keeps_targets_added_by_hand(client_as_coordinator, coordinator, host, dcas):
    campaign = CampaignFactory(owning_organisation=host)
    by_hand = ActorFactory(name="Added Byhand")
    client_as_coordinator.post(
        f"/campaigns/{campaign.pk}/targets/change/", {"actor": by_hand.pk, "action": "add"}
    )
    client_as_coordinator.post(
        f"/campaigns/{campaign.pk}/targets/", {"bodies": ["DCAS"], "kind": ""}
    )
    assert campaign.targets.count() == 4
    client_as_coordinator.post(
        f"/campaigns/{campaign.pk}/targets/", {"countries": ["ITA"], "kind": ""}
    )
    assert set(campaign.targets.values_list("actor__name", flat=True)) == {
        "Added Byhand",
        "Marco Vellutini",
    }


def test_the_mail_merge_export_is_formula_safe_in_csv_and_xlsx(client_as_coordinator, host, dcas):
    campaign = CampaignFactory(owning_organisation=host)
    campaign.documents.add(dcas)
    hostile = ActorFactory(name='=HYPERLINK("http://evil")', email="x@example.org")
    CampaignTarget.objects.create(campaign=campaign, actor=hostile)
    from advocacy.models import Actor

    CampaignTarget.objects.create(campaign=campaign, actor=Actor.objects.get(ep_member_id=900002))
    response = client_as_coordinator.get(f"/campaigns/{campaign.pk}/targets.csv")
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Name", "Family name", "Kind"]
    assert rows[0][-1] == "Vote on P9_TA(2021)0056"
    names = [row[0] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil")' in names
    vellutini = next(row for row in rows if row[0] == "Marco Vellutini")
    assert vellutini[-1] == "Against"
    response = client_as_coordinator.get(f"/campaigns/{campaign.pk}/targets.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert '\'=HYPERLINK("http://evil")' in values


def test_the_briefing_holds_positions_votes_engagements_and_the_campaigns_cases(
    client_as_coordinator, coordinator, host, dcas, django_assert_max_num_queries
):
    from advocacy.models import Actor
    from tests.factories import MentionFactory

    actor = Actor.objects.get(ep_member_id=900002)
    case = CaseFactory(
        owning_organisation=host,
        person=PersonFactory(full_name="Kenzhebek Abishev"),
        status="imprisoned",
    )
    MentionFactory(document=dcas, case=case, state="confirmed")
    campaign = CampaignFactory(owning_organisation=host, goal="Release of the DCK activists")
    campaign.cases.add(case)
    CampaignTarget.objects.create(campaign=campaign, actor=actor)
    EngagementFactory(
        owning_organisation=host, actors=[actor], cases=[case], subject="Lunch in Strasbourg"
    )
    StanceFactory(
        actor=actor, owning_organisation=host, value="opponent", reason="Worked to strike cases"
    )
    with django_assert_max_num_queries(25):
        response = client_as_coordinator.get(
            f"/campaigns/{campaign.pk}/briefing/", {"actor": actor.pk}
        )
    text = response.content.decode()
    for expected in (
        "Delegation for relations with the countries of Central Asia",
        "Against",
        "Lunch in Strasbourg",
        "Kenzhebek Abishev",
        "Imprisoned",
        "Opponent",
        "Release of the DCK activists",
    ):
        assert expected in text, expected
    # An actor who is not one of the campaign's targets has no briefing there.
    other = ActorFactory()
    assert (
        client_as_coordinator.get(
            f"/campaigns/{campaign.pk}/briefing/", {"actor": other.pk}
        ).status_code
        == 404
    )


def test_logging_a_meeting_raising_two_cases_shows_on_both_case_pages(
    client_as_coordinator, coordinator, host, dcas
):
    from advocacy.models import Actor

    actor = Actor.objects.get(ep_member_id=900002)
    first = CaseFactory(
        owning_organisation=host,
        reference="KZ-1",
        person=PersonFactory(full_name="Almat Zhumagulov"),
    )
    second = CaseFactory(
        owning_organisation=host,
        reference="KZ-2",
        person=PersonFactory(full_name="Kenzhebek Abishev"),
    )
    response = client_as_coordinator.post(
        "/engagements/new/",
        {
            "kind": "meeting",
            "happened_on": "2024-05-14",
            "subject": "Meeting in Strasbourg",
            "actors": [actor.pk],
            "case_references": "kz-1, KZ-2",
            "asks": "Support the release call",
            "sharing": "internal",
        },
    )
    engagement = Engagement.objects.get()
    assert response.status_code == 302 and response["Location"] == engagement.get_absolute_url()
    assert set(engagement.cases.all()) == {first, second}
    assert engagement.owning_organisation == host
    for case in (first, second):
        text = client_as_coordinator.get(case.get_absolute_url()).content.decode()
        assert "Raised with" in text and "Marco Vellutini" in text


def test_an_unknown_case_reference_is_named_and_nothing_is_written(client_as_coordinator, dcas):
    actor = ActorFactory()
    response = client_as_coordinator.post(
        "/engagements/new/",
        {
            "kind": "meeting",
            "happened_on": "2024-05-14",
            "subject": "x",
            "actors": [actor.pk],
            "case_references": "NOPE-1",
            "sharing": "internal",
        },
    )
    text = response.content.decode()
    assert "Cases raised: no case you can see has the name or reference “NOPE-1”." in text
    assert not Engagement.objects.exists()


def test_a_follow_up_of_a_meeting_may_be_about_no_case_and_is_reminded(
    client_as_coordinator, coordinator, caseworker, host
):
    engagement = EngagementFactory(owning_organisation=host)
    due = timezone.localdate() + datetime.timedelta(days=10)
    response = client_as_coordinator.post(
        f"/engagements/{engagement.pk}/follow-ups/new/",
        {
            "title": "Send the MEP the list of prisoners",
            "assignee": caseworker.pk,
            "due_on": due.isoformat(),
            "priority": "2",
            "case": "",
        },
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get()
    assert follow_up.case is None
    assert EngagementFollowUp.objects.get().follow_up == follow_up
    assert Reminder.objects.filter(follow_up=follow_up, kind="due", recipient=caseworker).exists()
    caseworker_client = _signed_in(Client(), caseworker)
    assert "Send the MEP the list of prisoners" in caseworker_client.get("/tasks/").text
    # On the due day the reminder goes out through the one sending path, with no case.
    reminder = Reminder.objects.get(follow_up=follow_up, kind="due")
    assert reminders_send(reminder_ids=[reminder.pk], now=reminder.due_at) == 1
    notification = Notification.objects.get(reminder=reminder)
    assert notification.title == "Due today: Send the MEP the list of prisoners"
    assert notification.case is None and "Case:" not in notification.body


def test_a_task_about_no_case_is_withdrawn_once_its_assignee_left(coordinator, caseworker, host):
    engagement = EngagementFactory(owning_organisation=host)
    from advocacy.engagements import engagement_add_follow_up

    follow_up = engagement_add_follow_up(
        engagement=engagement,
        by=coordinator,
        title="Call back",
        assignee=caseworker,
        due_on=timezone.localdate() + datetime.timedelta(days=5),
    )
    caseworker.membership.organisation = OrganisationFactory()
    caseworker.membership.save()
    # Withdrawn as the member moves (casework.followups.follow_ups_left_behind), not left
    # for the sender to refuse on the due day.
    reminder = Reminder.objects.get(follow_up=follow_up, kind="due")
    assert reminder.state == Reminder.State.CANCELLED
    assert reminders_send(reminder_ids=[reminder.pk], now=reminder.due_at) == 0


def test_a_caseworker_logs_a_meeting_but_does_not_assign_tasks(client_as_caseworker, host):
    engagement = EngagementFactory(owning_organisation=host)
    assert (
        client_as_caseworker.get(f"/engagements/{engagement.pk}/follow-ups/new/").status_code == 403
    )


def test_the_host_reads_a_partners_engagement_and_changes_nothing(
    client_as_coordinator, partner_organisation
):
    engagement = EngagementFactory(
        owning_organisation=partner_organisation, subject="Partner meeting"
    )
    assert client_as_coordinator.get(engagement.get_absolute_url()).status_code == 200
    assert client_as_coordinator.get(f"/engagements/{engagement.pk}/edit/").status_code == 403


def test_a_partner_sees_only_their_own_organisations_engagements(
    client_as_partner, partner_organisation, host, other_partner_organisation
):
    own = EngagementFactory(owning_organisation=partner_organisation, subject="Our own meeting")
    hosts = EngagementFactory(owning_organisation=host, subject="Host meeting")
    others = EngagementFactory(
        owning_organisation=other_partner_organisation, subject="Other partner meeting"
    )
    text = client_as_partner.get("/engagements/").content.decode()
    assert "Our own meeting" in text
    assert "Host meeting" not in text and "Other partner meeting" not in text
    assert client_as_partner.get(hosts.get_absolute_url()).status_code == 404
    assert client_as_partner.get(others.get_absolute_url()).status_code == 404
    assert client_as_partner.get(own.get_absolute_url()).status_code == 200


def test_a_restricted_campaign_and_its_engagements_are_for_its_team(
    client, host, coordinator, caseworker
):
    outsider = member(organisation=host, role=Role.CASEWORKER, username="not-on-team")
    campaign = CampaignFactory(
        owning_organisation=host, sharing="restricted", name="Quiet campaign"
    )
    campaign.team.add(caseworker)
    engagement = EngagementFactory(
        owning_organisation=host, campaign=campaign, sharing="restricted"
    )
    _signed_in(client, caseworker)
    assert client.get(campaign.get_absolute_url()).status_code == 200
    assert client.get(engagement.get_absolute_url()).status_code == 200
    _signed_in(client, outsider)
    assert client.get(campaign.get_absolute_url()).status_code == 404
    assert client.get(engagement.get_absolute_url()).status_code == 404
    assert "Quiet campaign" not in client.get("/campaigns/").content.decode()


def test_an_engagement_of_a_restricted_campaign_is_restricted_too(
    client_as_coordinator, host, coordinator
):
    campaign = CampaignFactory(owning_organisation=host, sharing="restricted")
    campaign.team.add(coordinator)
    actor = ActorFactory()
    client_as_coordinator.post(
        "/engagements/new/",
        {
            "kind": "call",
            "happened_on": "2024-05-14",
            "subject": "Call",
            "actors": [actor.pk],
            "campaign": campaign.pk,
            "sharing": "internal",
        },
    )
    assert Engagement.objects.get().sharing == "restricted"


def test_a_stance_is_recorded_with_its_reason(client_as_caseworker, caseworker, host):
    actor = ActorFactory()
    client_as_caseworker.post(
        f"/actors/{actor.pk}/stances/new/",
        {
            "value": "undecided",
            "recorded_on": "2024-05-01",
            "reason": "Asked for the file first",
            "sharing": "internal",
        },
    )
    stance = Stance.objects.get()
    assert (stance.value, stance.owning_organisation, stance.recorded_by) == (
        "undecided",
        host,
        caseworker,
    )
    assert (
        "Asked for the file first"
        in client_as_caseworker.get(actor.get_absolute_url()).content.decode()
    )


def test_staff_add_a_delegation_position_and_partners_may_not(
    client_as_caseworker, client, partner_user
):
    actor = ActorFactory()
    client_as_caseworker.post(
        f"/actors/{actor.pk}/positions/new/",
        {
            "kind": "delegation",
            "role": "chair",
            "institution": "European Parliament",
            "body": "Delegation for relations with the countries of Central Asia",
            "body_code": "DCAS",
            "started_on": "2019-07-02",
        },
    )
    assert Position.objects.get(actor=actor).role == "chair"
    _signed_in(client, partner_user)
    assert client.get(f"/actors/{actor.pk}/positions/new/").status_code == 403


def test_a_coordinator_imports_an_export_zip_in_the_browser_form(
    client_as_coordinator, resolution_2021
):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in EXPORT.iterdir():
            archive.write(path, path.name)
    response = client_as_coordinator.post(
        "/votes/import/",
        {
            "files": SimpleUploadedFile(
                "export.zip", buffer.getvalue(), content_type="application/zip"
            )
        },
    )
    text = response.content.decode()
    assert "Imported 8 members of the European Parliament." in text
    assert "2 votes on documents recorded here were kept." in text
    assert resolution_2021.title in text


def test_a_bad_upload_names_the_problem_and_imports_nothing(client_as_coordinator, resolution_2021):
    response = client_as_coordinator.post(
        "/votes/import/",
        {
            "files": SimpleUploadedFile(
                "members.csv", b"id,first_name\n1,A\n", content_type="text/csv"
            )
        },
    )
    assert "Nothing was imported" in response.content.decode()
    from advocacy.models import Actor

    assert not Actor.objects.exists()


def test_caseworkers_and_partners_do_not_import_votes(client_as_caseworker):
    assert client_as_caseworker.get("/votes/import/").status_code == 403


def test_a_campaign_is_started_with_its_cases_and_team(
    client_as_coordinator, coordinator, caseworker, host
):
    case = CaseFactory(owning_organisation=host, reference="KZ-9")
    response = client_as_coordinator.post(
        "/campaigns/new/",
        {
            "name": "Release of N",
            "status": "active",
            "sharing": "internal",
            "team": [caseworker.pk],
            "case_references": "KZ-9",
        },
    )
    campaign = Campaign.objects.get()
    assert response["Location"] == campaign.get_absolute_url()
    assert list(campaign.cases.all()) == [case] and list(campaign.team.all()) == [caseworker]
    text = client_as_coordinator.get(campaign.get_absolute_url()).content.decode()
    assert "Release of N" in text and case.reference in text


def test_list_pages_run_a_bounded_number_of_queries(
    client_as_coordinator, host, django_assert_max_num_queries
):
    actors = [ActorFactory() for _ in range(5)]
    for index in range(30):
        EngagementFactory(
            owning_organisation=host,
            actors=actors[:3],
            cases=[CaseFactory(owning_organisation=host)],
        )
        CampaignFactory(owning_organisation=host, name=f"Campaign number {index}")
    for url in ("/engagements/", "/campaigns/"):
        with django_assert_max_num_queries(12):
            response = client_as_coordinator.get(url)
        assert response.status_code == 200


def test_it_names_what_each_source_note_backs_in_the_readers_language(
    client_as_caseworker, caseworker, monkeypatch
):
    from django.contrib.contenttypes.models import ContentType

    from advocacy.models import ActorFact
    from casework.models import Membership, Provenance
    from tests.support.catalogues import translations_given

    # An actor, a fact and a position had no translatable name: "Backs actor fact".
    translations_given(monkeypatch, "ru", {"actor": "адресат", "position": "должность"})
    actor = ActorFactory(name="Viola von Cramon-Taubadel")
    fact = ActorFact.objects.create(actor=actor, summary="Raised the case in the debate.")
    position = PositionFactory(actor=actor)
    for number, record in enumerate((actor, fact, position)):
        Provenance.objects.create(
            record_type=ContentType.objects.get_for_model(record),
            record_id=record.pk,
            basis=Provenance.Basis.REFERENCE,
            reference=f"Register {number}",
            position=number,
        )
    Membership.objects.filter(user=caseworker).update(language="ru")
    page = client_as_caseworker.get(f"/actors/{actor.pk}/").text
    for backs in ("адресат", "что сказал или сделал", "должность"):
        assert f"Подтверждает: {backs}" in page
    assert "actor fact" not in page


def test_a_position_ending_before_it_starts_is_refused_on_its_end_date(client_as_caseworker):
    actor = ActorFactory()
    response = client_as_caseworker.post(
        f"/actors/{actor.pk}/positions/new/",
        {
            "kind": "delegation",
            "role": "member",
            "institution": "European Parliament",
            "body": "Delegation for relations with the countries of Central Asia",
            "started_on": "2024-07-02",
            "ended_on": "2019-07-02",
        },
    )
    assert response.context["form"].errors == {
        "ended_on": ["The end date is before the start date."]
    }
    assert not Position.objects.filter(actor=actor).exists()


@pytest.mark.parametrize(
    ("method", "page"),
    [
        ("post", "/campaigns/{campaign}/targets/change/?actor=²"),
        ("get", "/campaigns/{campaign}/briefing/?actor=²"),
        ("get", "/campaigns/{campaign}/briefing/?actor=99999999999999999999"),
        ("get", "/engagements/new/?actor=²&campaign=²"),
        ("get", "/actors/?page=²"),
    ],
)
def test_a_superscript_digit_for_an_id_or_page_is_not_a_server_error(
    client_as_coordinator, host, method, page
):
    campaign = CampaignFactory(owning_organisation=host)
    url = page.format(campaign=campaign.pk)
    if method == "post":
        path, _query = url.split("?")
        response = client_as_coordinator.post(path, {"actor": "²"})
    else:
        response = client_as_coordinator.get(url)
    assert response.status_code in (200, 404)


def test_the_actor_list_names_a_group_once_when_two_sources_record_it(client_as_caseworker):
    actor = ActorFactory(name="Petras Austrevicius")
    # Recorded by hand from a seed text (no dates), then by the roll-call export (dated).
    PositionFactory(
        actor=actor, kind="political_group", body="Renew", body_code="RENEW", started_on=None
    )
    PositionFactory(actor=actor, kind="political_group", body="Renew Europe", body_code="RENEW")
    PositionFactory(actor=actor, kind="political_group", body="Group of Friends", body_code="")
    text = client_as_caseworker.get("/actors/").content.decode()
    assert '<td data-label="Political group">Group of Friends, Renew</td>' in text


def test_the_import_message_says_1_member_and_1_vote_in_the_singular(
    client_as_coordinator, resolution_2021, monkeypatch
):
    from advocacy.views import engagements
    from advocacy.votes_write import VotesImported

    imported = VotesImported(members=1, votes_linked=1, documents=[resolution_2021])
    monkeypatch.setattr(engagements, "votes_import", lambda **_kwargs: imported)
    upload = SimpleUploadedFile("members.csv", b"id,first_name\n1,A\n", content_type="text/csv")
    response = client_as_coordinator.post("/votes/import/", {"files": upload})
    text = response.content.decode()
    assert "Imported 1 member of the European Parliament." in text
    assert "1 vote on a document recorded here was kept." in text


def test_the_briefing_lists_a_group_recorded_by_hand_and_by_the_export_once(
    client_as_caseworker,
):
    actor = ActorFactory(name="Viola von Cramon-Taubadel")
    PositionFactory(
        actor=actor,
        kind="political_group",
        body="Greens/EFA",
        body_code="GREEN_EFA",
        started_on=None,
    )
    PositionFactory(
        actor=actor,
        kind="political_group",
        body="Greens/European Free Alliance",
        body_code="GREEN_EFA",
    )
    text = client_as_caseworker.get(f"/actors/{actor.pk}/briefing/").content.decode()
    assert "Greens/European Free Alliance" in text
    assert "since Jul 2019" in text
    assert "Member, Greens/EFA" not in text
