import datetime
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from advocacy.dashboard import dashboard_documents
from advocacy.models import Document, Mention
from casework.models import Case, Confidentiality, FollowUp, Status
from tests.conftest import verify_second_factor
from tests.factories import (
    CaseFactory,
    DocumentFactory,
    FollowUpFactory,
    MentionFactory,
    PersonFactory,
)


def test_it_sends_a_signed_out_visitor_to_the_sign_in_page(client, db):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_shows_empty_states_on_a_fresh_install(client_as_caseworker):
    response = client_as_caseworker.get(reverse("dashboard"))
    assert response.status_code == 200
    assert "No open follow-ups are assigned to you." in response.text
    assert "No cases to count yet." in response.text
    assert "No documents recorded yet." in response.text


def test_it_lists_my_open_follow_ups_overdue_first(client_as_caseworker, caseworker, coordinator):
    today = timezone.localdate()
    case = CaseFactory()
    FollowUpFactory(
        case=case,
        assignee=caseworker,
        assigned_by=coordinator,
        title="Brief an MEP",
        due_on=today + datetime.timedelta(days=3),
    )
    FollowUpFactory(
        case=case,
        assignee=caseworker,
        assigned_by=coordinator,
        title="Visit in the colony",
        due_on=today - datetime.timedelta(days=4),
    )
    FollowUpFactory(
        case=case,
        assignee=caseworker,
        assigned_by=coordinator,
        title="Already done",
        status=FollowUp.State.DONE,
    )
    FollowUpFactory(
        case=case, assignee=coordinator, assigned_by=coordinator, title="Someone else's task"
    )
    text = client_as_caseworker.get(reverse("dashboard")).text
    assert text.index("Visit in the colony") < text.index("Brief an MEP")
    assert "4 days overdue" in text
    assert "Already done" not in text
    assert "Someone else&#x27;s task" not in text and "Someone else's task" not in text


def test_it_lists_cases_whose_status_changed_recently(client_as_caseworker):
    today = timezone.localdate()
    recent = CaseFactory(
        person=PersonFactory(full_name="Recently Moved"),
        status_since=today - datetime.timedelta(days=3),
    )
    CaseFactory(
        person=PersonFactory(full_name="Long Ago"), status_since=today - datetime.timedelta(days=90)
    )
    text = client_as_caseworker.get(reverse("dashboard")).text
    assert "Recently Moved" in text
    assert recent.reference in text
    assert "Long Ago" not in text


def test_it_counts_people_by_status_in_an_svg_chart(client_as_caseworker):
    CaseFactory.create_batch(3, status=Status.IMPRISONED)
    CaseFactory(status=Status.RELEASED)
    text = client_as_caseworker.get(reverse("dashboard")).text
    assert "<svg" in text
    assert "Imprisoned 3" in text  # the chart's accessible title
    assert "Released 1" in text
    assert "<script" not in text.split("<main")[1]
    assert "style=" not in text


def test_it_never_counts_a_restricted_case_outside_the_users_team(
    client_as_caseworker, coordinator
):
    CaseFactory(status=Status.IMPRISONED)
    CaseFactory(
        status=Status.PSYCHIATRIC_DETENTION,
        confidentiality=Confidentiality.RESTRICTED,
        person=PersonFactory(full_name="Restricted Recent"),
        status_since=timezone.localdate(),
    )
    text = client_as_caseworker.get(reverse("dashboard")).text
    assert "Psychiatric detention" not in text
    assert "Restricted Recent" not in text
    assert "1 person you can see" in text
    assert "(1 cases)" in text
    team_client = Client()
    team_client.force_login(coordinator)
    verify_second_factor(team_client, coordinator)
    assert "Psychiatric detention 1" in team_client.get(reverse("dashboard")).text


def test_it_never_counts_another_partners_internal_cases_for_a_partner(
    client_as_partner, partner_organisation, other_partner_organisation
):
    CaseFactory(owning_organisation=partner_organisation, status=Status.IMPRISONED)
    CaseFactory.create_batch(
        2, owning_organisation=other_partner_organisation, status=Status.ON_TRIAL
    )
    text = client_as_partner.get(reverse("dashboard")).text
    assert "Imprisoned 1" in text
    assert "On trial" not in text


def test_it_shows_latest_documents_with_people_still_detained(client_as_caseworker):
    document = DocumentFactory(
        title="Appeal for the Koshe Party", issued_on=datetime.date(2023, 5, 1)
    )
    MentionFactory(document=document, case=CaseFactory(status=Status.IMPRISONED))
    MentionFactory(
        document=document,
        case=CaseFactory(status=Status.RELEASED, released_on=datetime.date(2024, 2, 1)),
    )
    MentionFactory(
        document=document,
        case=CaseFactory(status=Status.IMPRISONED, confidentiality=Confidentiality.RESTRICTED),
    )
    text = client_as_caseworker.get(reverse("dashboard")).text
    assert "Appeal for the Koshe Party" in text
    assert "names 2 people; <strong>1 still detained</strong>" in text
    assert (
        "Appeal for the Koshe Party: 2 named, 1 released since" in text
    )  # the named-vs-released chart


@pytest.mark.parametrize("rows", [5, 500])
def test_it_renders_the_dashboard_in_a_bounded_number_of_queries(
    client_as_caseworker, caseworker, coordinator, rows, django_assert_max_num_queries
):
    today = timezone.localdate()
    person = PersonFactory()
    Case.objects.bulk_create(
        [
            Case(
                reference=f"BULK-{index}",
                person=person,
                owning_organisation=person.owning_organisation,
                status=Status.IMPRISONED,
                status_since=today,
            )
            for index in range(rows)
        ]
    )
    cases = list(Case.objects.all()[:20])
    FollowUp.objects.bulk_create(
        [
            FollowUp(
                case=case, title="t", assignee=caseworker, assigned_by=coordinator, due_on=today
            )
            for case in cases
        ]
    )
    documents = [
        DocumentFactory(issued_on=datetime.date(2021, 1, 1) + datetime.timedelta(days=index))
        for index in range(15)
    ]
    Mention.objects.bulk_create(
        [Mention(document=document, case=case) for document in documents for case in cases[:5]]
    )
    assert Document.objects.count() == 15
    # One more than the cases alone needed: people are counted by one query, the cases
    # standing behind them by another. The latest documents and the chart's share one.
    with django_assert_max_num_queries(12):
        response = client_as_caseworker.get(reverse("dashboard"))
    assert response.status_code == 200


def test_it_links_each_follow_up_to_where_it_is_handled(
    client_as_caseworker, caseworker, coordinator
):
    case = CaseFactory()
    follow_up = FollowUpFactory(
        case=case, assignee=caseworker, assigned_by=coordinator, title="Call the lawyer"
    )
    text = client_as_caseworker.get(reverse("dashboard")).text
    assert f'<a href="/cases/{case.pk}/#follow-up-{follow_up.pk}">Call the lawyer</a>' in text
    # The anchor the link points at is on the case page.
    assert f'id="follow-up-{follow_up.pk}"' in client_as_caseworker.get(f"/cases/{case.pk}/").text


def test_it_says_where_the_newest_documents_are_on_the_chart(client_as_caseworker):
    MentionFactory(document=DocumentFactory(), case=CaseFactory(status=Status.IMPRISONED))
    text = client_as_caseworker.get(reverse("dashboard")).text
    assert "Newest documents on the right; scroll sideways for older ones." in text


class _InteractiveInsideAnImage(HTMLParser):
    """axe-core's nested-interactive rule, checked by hand (axe-core is not vendored here):
    an element whose role makes its content presentational (img) holds no link, button or
    focusable element. Also collects the chart links' accessible names."""

    INTERACTIVE = frozenset({"a", "button", "input", "select", "textarea"})

    def __init__(self) -> None:
        super().__init__()
        self.open_images: list[str] = []
        self.stack: list[str] = []
        self.violations: list[str] = []
        self.chart_links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("line", "rect", "path", "circle", "br", "img", "input", "meta", "link"):
            self._check(tag, attributes)
            return
        self._check(tag, attributes)
        self.stack.append(tag)
        if attributes.get("role") == "img":
            self.open_images.append(tag)
        if tag == "a" and attributes.get("class") == "chart-link":
            self.chart_links.append(attributes.get("aria-label") or "")

    def _check(self, tag, attributes):
        focusable = tag in self.INTERACTIVE or attributes.get("tabindex") not in (None, "-1")
        if self.open_images and focusable:
            self.violations.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack:
                closed = self.stack.pop()
                if self.open_images and closed == self.open_images[-1]:
                    self.open_images.pop()
                if closed == tag:
                    break


def test_its_charts_put_no_link_inside_an_image_and_name_every_column_link(client_as_caseworker):
    document = DocumentFactory(title="Resolution of 2021")
    MentionFactory(document=document, case=CaseFactory(status=Status.IMPRISONED))
    text = client_as_caseworker.get(reverse("dashboard")).text
    parser = _InteractiveInsideAnImage()
    parser.feed(text)
    assert parser.violations == []
    assert len(parser.chart_links) == 1
    assert "Resolution of 2021" in parser.chart_links[0]


# --- People, not cases ----------------------------------------------------------------------


def test_it_counts_a_person_with_two_organisations_cases_once_by_the_latest_dated_status(
    client_as_caseworker, partner_organisation
):
    person = PersonFactory(full_name="Vladimir Kozlov")
    CaseFactory(person=person, status=Status.IMPRISONED, status_since=datetime.date(2016, 3, 30))
    CaseFactory(
        person=person,
        owning_organisation=partner_organisation,
        status=Status.RELEASED,
        status_since=datetime.date(2024, 5, 2),
        detained_on=None,
    )
    CaseFactory(status=Status.IMPRISONED, status_since=datetime.date(2020, 1, 1))

    text = client_as_caseworker.get(reverse("dashboard")).text

    assert "People by status: Imprisoned 1, Released 1" in text
    assert "2 people you can see" in text
    assert "(3 cases)" in text
    assert "1 person still detained" in text


def test_an_undated_status_never_outranks_a_dated_one(client_as_caseworker, partner_organisation):
    person = PersonFactory()
    CaseFactory(person=person, status=Status.IMPRISONED, status_since=datetime.date(2016, 3, 30))
    CaseFactory(
        person=person,
        owning_organisation=partner_organisation,
        status=Status.RELEASED,
        status_since=None,
    )
    text = client_as_caseworker.get(reverse("dashboard")).text
    assert "People by status: Imprisoned 1</title>" in text


def test_a_trial_in_custody_counts_as_still_detained_and_a_trial_at_liberty_does_not(
    client_as_caseworker,
):
    CaseFactory(status=Status.ON_TRIAL, on_trial_in_custody=True)
    CaseFactory(status=Status.ON_TRIAL, on_trial_in_custody=False)
    CaseFactory(status=Status.HOUSE_ARREST)
    text = client_as_caseworker.get(reverse("dashboard")).text
    assert "2 people still detained" in text


def test_it_lists_the_latest_documents_and_charts_only_those_naming_someone_the_user_sees(
    caseworker,
):
    seen = CaseFactory(confidentiality=Confidentiality.PUBLIC)
    hidden = CaseFactory(confidentiality=Confidentiality.RESTRICTED, assigned_caseworker=None)
    day = datetime.date(2021, 1, 1)
    naming = [DocumentFactory(issued_on=day + datetime.timedelta(days=n)) for n in range(4)]
    for document in naming:
        MentionFactory(document=document, case=seen)
    # Newer than every document that names someone: two name nobody, one a hidden case.
    later = day + datetime.timedelta(days=10)
    nobody = [DocumentFactory(issued_on=later + datetime.timedelta(days=n)) for n in range(2)]
    only_hidden = DocumentFactory(issued_on=later + datetime.timedelta(days=5))
    MentionFactory(document=only_hidden, case=hidden)

    latest, charted = dashboard_documents(user=caseworker, latest=5, charted=3)

    assert latest == [only_hidden, nobody[1], nobody[0], naming[3], naming[2]]
    assert charted == [naming[3], naming[2], naming[1]]
    assert [document.impact_named for document in charted] == [1, 1, 1]
    assert latest[0].impact_named == 0
