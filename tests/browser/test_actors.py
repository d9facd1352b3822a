"""Issue 19's flow in Chromium: an advocacy officer (a coordinator) imports a roll-call
export, opens the 2021 resolution and sees the vote by group, builds the target list
"voted against or abstained, member of the delegation for Central Asia", logs a meeting
with one of them raising two cases, is reminded of the promised follow-up through the
real reminder path, and prints the briefing. The export's members are fictional
(tests/advocacy/actors/howtheyvote, in HowTheyVote.eu's format)."""

from __future__ import annotations

import datetime
import re
import zipfile
from datetime import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from advocacy.models import Actor, Campaign, Engagement, Position
from casework.models import FollowUp, Notification, Reminder, Status
from casework.reminders import reminders_dispatch_due
from config.celery import app
from tests.advocacy.actors.conftest import EXPORT
from tests.factories import (
    CaseFactory,
    DocumentFactory,
    IssuingBodyFactory,
    MentionFactory,
    PersonFactory,
    PositionFactory,
)


@pytest.fixture
def eager_celery():
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def export_zip(tmp_path):
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for file in sorted(EXPORT.iterdir()):
            archive.write(file, file.name)
    return path


@pytest.fixture
def resolution(host):
    document = DocumentFactory(
        issuing_body=IssuingBodyFactory(),
        title="European Parliament resolution of 11 February 2021 on the human rights "
        "situation in Kazakhstan (urgency resolution)",
        reference="P9_TA(2021)0056",
        procedure="2021/2544(RSP)",
        issued_on=datetime.date(2021, 2, 11),
    )
    for reference, name in (("KZ-0001", "Almat Zhumagulov"), ("KZ-0002", "Kenzhebek Abishev")):
        case = CaseFactory(
            reference=reference,
            owning_organisation=host,
            person=PersonFactory(full_name=name, owning_organisation=host),
            status=Status.IMPRISONED,
            status_since=datetime.date(2019, 12, 2),
        )
        MentionFactory(document=document, case=case, state="confirmed")
    return document


def test_an_officer_goes_from_a_roll_call_to_a_briefing(
    page, sign_in, host, coordinator, resolution, export_zip, screenshot, eager_celery
):
    sign_in(coordinator)

    # 1. Import the roll-call export.
    page.get_by_role("link", name="Actors", exact=True).click()
    page.get_by_role("link", name="Import roll-call votes").click()
    page.get_by_label("HowTheyVote.eu export").set_input_files(str(export_zip))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Imported 8 members of the European Parliament.")).to_be_visible()
    screenshot("actors-1-import")

    # 2. The 2021 resolution: the vote by group, and who voted against or abstained.
    page.get_by_role("link", name=resolution.title).click()
    roll_call = page.locator("#roll-call")
    expect(roll_call.get_by_text("3 for, 3 against, 1 abstention; 1 did not vote.")).to_be_visible()
    groups = roll_call.locator("table").first
    expect(groups.get_by_role("row", name="S&D 0 0 1 0")).to_be_visible()
    expect(groups.get_by_role("row", name="EPP 1 1 0 0")).to_be_visible()
    expect(roll_call.get_by_role("link", name="Marco Vellutini")).to_be_visible()
    roll_call.scroll_into_view_if_needed()
    screenshot("actors-2-resolution-vote-by-group")

    # Delegation membership is not in the export: two were recorded before, the officer
    # records the third here.
    for member_id in (900002, 900001):
        PositionFactory(actor=Actor.objects.get(ep_member_id=member_id))
    roll_call.get_by_role("link", name="Jānis Ozoliņš").click()
    page.get_by_role("link", name="Add a position").click()
    page.get_by_label("Kind").select_option(label="Delegation")
    page.get_by_label("Group, party, committee, delegation or office").fill(
        "Delegation for relations with the countries of Central Asia"
    )
    page.get_by_label("Short code").fill("DCAS")
    page.get_by_label("From").fill("2019-07-02")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_text("Position added.")).to_be_visible()

    # 3. A campaign and its target list.
    page.get_by_role("link", name="Campaigns", exact=True).click()
    page.get_by_role("link", name="Start a campaign").click()
    page.get_by_label("Name").fill("Urgency resolution on Kazakhstan before summer")
    page.get_by_label("Goal").fill("The release of the DCK activists named in the 2021 resolution.")
    page.get_by_label("Cases").fill("KZ-0001, KZ-0002")
    page.get_by_role("button", name="Start the campaign").click()
    expect(
        page.get_by_role("heading", name="Urgency resolution on Kazakhstan before summer")
    ).to_be_visible()
    page.get_by_role("link", name="Target list (0)").click()
    filters = page.locator("form.target-filters")
    filters.get_by_label("Voted on").select_option(label="11 Feb 2021 · P9_TA(2021)0056")
    filters.locator("fieldset", has_text="Voted").get_by_label("Against").check()
    filters.locator("fieldset", has_text="Voted").get_by_label("Abstention").check()
    filters.get_by_label("Delegation for relations with the countries of Central Asia").check()
    filters.get_by_role("button", name="Show matching actors").click()
    expect(page.get_by_text("2 actors match these filters.")).to_be_visible()
    page.get_by_role("button", name="Save as the target list").click()
    expect(page.get_by_text("Target list saved: 2 matched, 2 added, 0 removed.")).to_be_visible()
    targets = page.locator("table.target-table")
    expect(targets.get_by_role("link", name="Marco Vellutini")).to_be_visible()
    expect(targets.get_by_role("link", name="Jānis Ozoliņš")).to_be_visible()
    expect(targets.get_by_role("link", name="Ilse Brandtner")).to_have_count(0)
    screenshot("actors-3-target-list")
    campaign = Campaign.objects.get()
    assert set(campaign.targets.values_list("actor__ep_member_id", flat=True)) == {900002, 900004}

    # 4. A meeting with one of them, raising two cases.
    row = targets.get_by_role("row").filter(has_text="Marco Vellutini")
    row.get_by_role("link", name="Log an engagement").click()
    page.get_by_label("Subject").fill("Meeting in Strasbourg before the next urgency debate")
    page.get_by_label("Cases raised").fill("KZ-0001, KZ-0002")
    page.get_by_label("What we asked").fill("Support naming the prisoners in the next resolution.")
    page.get_by_label("Their response").fill("Will read the file and answer in two weeks.")
    page.get_by_role("button", name="Record the engagement").click()
    expect(page.get_by_text("Engagement recorded.")).to_be_visible()
    engagement = Engagement.objects.get()
    assert engagement.campaign == campaign
    assert sorted(engagement.cases.values_list("reference", flat=True)) == ["KZ-0001", "KZ-0002"]
    screenshot("actors-4-meeting")

    # 5. The promised follow-up, and its reminder through dispatch and the sending task.
    page.get_by_role("link", name="Add a follow-up").click()
    due = timezone.localdate() + datetime.timedelta(days=1)
    page.get_by_label("Task").fill("Send Vellutini the file on the two prisoners")
    page.get_by_label("Due date").fill(due.isoformat())
    page.get_by_role("button", name="Assign the task").click()
    expect(page.get_by_text("Follow-up assigned; its reminders are planned.")).to_be_visible()
    follow_up = FollowUp.objects.get()
    assert follow_up.case is None and follow_up.assignee == coordinator
    due_moment = Reminder.objects.get(follow_up=follow_up, kind=Reminder.Kind.DUE).due_at
    assert due_moment.timetz().replace(tzinfo=None) == time(9)
    assert reminders_dispatch_due(now=due_moment) == 1
    assert Notification.objects.filter(user=coordinator).count() == 1
    page.reload()
    expect(page.get_by_test_id("unread-count")).to_contain_text("1")
    page.get_by_role("link", name="Notifications").click()
    expect(
        page.get_by_text("Due today: Send Vellutini the file on the two prisoners")
    ).to_be_visible()
    screenshot("actors-5-reminder")

    # 6. The case page says with whom it was raised.
    page.goto(engagement.cases.get(reference="KZ-0002").get_absolute_url())
    raised = page.locator("section", has=page.get_by_role("heading", name="Raised with"))
    expect(raised.get_by_role("link", name="Marco Vellutini")).to_be_visible()

    # 7. The printable briefing.
    page.goto(f"/campaigns/{campaign.pk}/targets/")
    page.locator("table.target-table").get_by_role("row").filter(
        has_text="Marco Vellutini"
    ).get_by_role("link", name="Briefing").click()
    briefing = page.locator("article.briefing")
    expect(briefing.get_by_role("heading", name="Marco Vellutini")).to_be_visible()
    expect(briefing.get_by_text("Chair", exact=False)).to_have_count(0)
    for text in (
        "Member, Delegation for relations with the countries of Central Asia",
        "Against",
        "Meeting in Strasbourg before the next urgency debate",
        "Kenzhebek Abishev",
        "Imprisoned",
    ):
        expect(briefing.get_by_text(text, exact=False).first).to_be_visible()
    screenshot("actors-6-briefing")
    page.emulate_media(media="print")
    screenshot("actors-7-briefing-print")
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1, "the briefing prints on one page"
    assert Position.objects.filter(actor__ep_member_id=900004, body_code="DCAS").exists()
