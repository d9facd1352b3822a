import datetime

import pytest

from advocacy.dashboard import dashboard_named_released_chart
from advocacy.impact import (
    document_impact,
    document_impact_figures,
    document_impact_summary,
    documents_annotate_impact,
    documents_impact_summary,
    documents_read_impact,
)
from advocacy.models import Document, Mention
from casework.models import CaseEvent, Confidentiality, Status
from tests.factories import (
    CaseEventFactory,
    CaseFactory,
    DocumentFactory,
    MentionFactory,
    PersonFactory,
    cases_bulk_create,
    people_bulk_create,
)

RESOLUTION_DAY = datetime.date(2021, 2, 11)


def status_event(case, status, on):
    return CaseEventFactory(case=case, kind=CaseEvent.Kind.STATUS, status=status, happened_on=on)


@pytest.fixture
def resolution(db):
    return DocumentFactory(issued_on=RESOLUTION_DAY, reference="P9_TA(2021)0056")


@pytest.fixture
def released_later(resolution, host):
    case = CaseFactory(
        person=PersonFactory(full_name="Almat Zhumagulov"),
        confidentiality=Confidentiality.PUBLIC,
        detained_on=datetime.date(2020, 6, 1),
        status=Status.RELEASED,
        status_since=datetime.date(2021, 5, 20),
        released_on=datetime.date(2021, 5, 20),
    )
    status_event(case, Status.PRETRIAL_DETENTION, datetime.date(2020, 6, 1))
    status_event(case, Status.IMPRISONED, datetime.date(2020, 9, 1))
    status_event(case, Status.RELEASED, datetime.date(2021, 5, 20))
    MentionFactory(document=resolution, case=case)
    return case


@pytest.fixture
def still_imprisoned(resolution, host):
    case = CaseFactory(
        person=PersonFactory(full_name="Aigul Utepova"),
        confidentiality=Confidentiality.PUBLIC,
        detained_on=datetime.date(2020, 3, 1),
        status=Status.IMPRISONED,
        status_since=datetime.date(2020, 3, 1),
    )
    MentionFactory(document=resolution, case=case)
    return case


def test_it_reads_the_status_on_the_document_date_from_the_timeline(
    resolution, released_later, still_imprisoned, caseworker
):
    impact = document_impact(document=resolution, user=caseworker)
    rows = {row.case.pk: row for row in impact.rows}
    assert rows[released_later.pk].status_on_document_date == Status.IMPRISONED
    assert rows[released_later.pk].status_today == Status.RELEASED
    assert rows[still_imprisoned.pk].status_on_document_date == Status.IMPRISONED
    assert rows[still_imprisoned.pk].status_today == Status.IMPRISONED


def test_it_counts_the_days_from_the_document_to_release(
    resolution, released_later, still_imprisoned, caseworker
):
    rows = {row.case.pk: row for row in document_impact(document=resolution, user=caseworker).rows}
    assert rows[released_later.pk].released_on == datetime.date(2021, 5, 20)
    assert rows[released_later.pk].days_to_release == 98
    assert rows[still_imprisoned.pk].days_to_release is None


def test_a_release_known_to_the_year_gives_an_about_duration_not_a_count_of_days(
    resolution, host, caseworker
):
    case = CaseFactory(
        person=PersonFactory(full_name="Dinara Bekova"),
        confidentiality=Confidentiality.PUBLIC,
        status=Status.RELEASED,
        released_on=datetime.date(2024, 1, 1),
        released_on_precision="year",
    )
    MentionFactory(document=resolution, case=case)

    row = document_impact(document=resolution, user=caseworker).rows[0]

    assert row.days_to_release is None
    assert row.time_to_release == "about 3 years"


def test_it_sums_named_released_detained_and_died(
    resolution, released_later, still_imprisoned, caseworker
):
    died = CaseFactory(
        confidentiality=Confidentiality.PUBLIC,
        status=Status.DIED_IN_CUSTODY,
        status_since=datetime.date(2022, 1, 5),
    )
    MentionFactory(document=resolution, case=died)
    impact = document_impact(document=resolution, user=caseworker)
    assert (impact.named, impact.released_since, impact.still_detained, impact.died) == (3, 1, 1, 1)


def test_it_does_not_count_a_release_before_the_document_as_released_since(resolution, caseworker):
    case = CaseFactory(
        confidentiality=Confidentiality.PUBLIC,
        detained_on=datetime.date(2020, 1, 1),
        status=Status.RELEASED,
        status_since=datetime.date(2021, 1, 5),
        released_on=datetime.date(2021, 1, 5),
    )
    MentionFactory(document=resolution, case=case)
    impact = document_impact(document=resolution, user=caseworker)
    assert impact.rows[0].status_on_document_date == Status.RELEASED
    assert impact.rows[0].days_to_release is None
    assert impact.released_since == 0


def test_it_leaves_out_proposed_and_rejected_mentions(resolution, released_later, caseworker):
    for state in (Mention.State.PROPOSED, Mention.State.REJECTED):
        MentionFactory(
            document=resolution,
            case=CaseFactory(confidentiality=Confidentiality.PUBLIC),
            state=state,
        )
    impact = document_impact(document=resolution, user=caseworker)
    assert [row.case.pk for row in impact.rows] == [released_later.pk]


def test_it_hides_a_restricted_case_from_users_outside_its_team(
    resolution, released_later, caseworker, coordinator, partner_user
):
    secret = CaseFactory(
        person=PersonFactory(full_name="Secret Person"),
        confidentiality=Confidentiality.RESTRICTED,
        assigned_caseworker=None,
    )
    MentionFactory(document=resolution, case=secret)
    assert document_impact(document=resolution, user=caseworker).named == 1
    assert document_impact(document=resolution, user=partner_user).named == 1
    # The host's coordinator is on the team of the host's restricted cases.
    assert document_impact(document=resolution, user=coordinator).named == 2
    summary = documents_impact_summary(documents=[resolution], user=caseworker)[resolution.pk]
    assert summary.named == 1


def test_it_hides_another_partners_internal_case_from_a_partner_user(
    resolution, partner_user, other_partner_organisation
):
    internal = CaseFactory(
        owning_organisation=other_partner_organisation, confidentiality=Confidentiality.INTERNAL
    )
    MentionFactory(document=resolution, case=internal)
    assert document_impact(document=resolution, user=partner_user).rows == []
    assert (
        documents_impact_summary(documents=[resolution], user=partner_user)[resolution.pk].named
        == 0
    )


def test_it_computes_the_impact_in_a_bounded_number_of_queries(
    resolution, caseworker, host, django_assert_max_num_queries
):
    # 30 cases as CaseFactory makes them, each with its person, in a few statements.
    for case in cases_bulk_create(
        people=people_bulk_create(count=30, organisation=host),
        organisation=host,
        confidentiality=Confidentiality.PUBLIC,
    ):
        MentionFactory(document=resolution, case=case)
    caseworker.membership  # noqa: B018 -- loaded once per request by the middleware anyway
    with django_assert_max_num_queries(3):
        impact = document_impact(document=resolution, user=caseworker)
    assert impact.named == 30


def test_it_summarises_many_documents_in_one_query(caseworker, django_assert_num_queries):
    documents = [DocumentFactory(issued_on=RESOLUTION_DAY) for _ in range(4)]
    for index, document in enumerate(documents):
        for _ in range(index + 1):
            case = CaseFactory(
                confidentiality=Confidentiality.PUBLIC,
                detained_on=datetime.date(2020, 1, 1),
                status=Status.RELEASED,
                status_since=datetime.date(2021, 6, 1),
                released_on=datetime.date(2021, 6, 1),
            )
            MentionFactory(document=document, case=case)
    caseworker.membership  # noqa: B018
    with django_assert_num_queries(1):
        summaries = documents_impact_summary(documents=documents, user=caseworker)
    assert [summaries[document.pk].named for document in documents] == [1, 2, 3, 4]
    assert [summaries[document.pk].released_since for document in documents] == [1, 2, 3, 4]
    assert summaries[documents[0].pk].still_detained == 0


def test_it_dates_a_freed_status_without_a_release_date_from_the_day_it_began(
    resolution, caseworker
):
    case = CaseFactory(
        confidentiality=Confidentiality.PUBLIC,
        status=Status.ACQUITTED,
        status_since=datetime.date(2021, 3, 1),
        released_on=None,
    )
    MentionFactory(document=resolution, case=case)
    (row,) = document_impact(document=resolution, user=caseworker).rows
    assert (row.released_on, row.days_to_release, row.released_since) == (
        datetime.date(2021, 3, 1),
        18,
        True,
    )


def test_the_document_page_the_list_and_the_dashboard_count_released_since_alike(
    resolution, caseworker
):
    def named_case(status, status_since, released_on=None):
        case = CaseFactory(
            confidentiality=Confidentiality.PUBLIC,
            detained_on=datetime.date(2019, 1, 1),
            status=status,
            status_since=status_since,
            released_on=released_on,
        )
        MentionFactory(document=resolution, case=case)

    after, before = datetime.date(2021, 6, 1), datetime.date(2020, 6, 1)
    named_case(Status.RELEASED, after, released_on=after)  # released since
    named_case(Status.RELEASED, after)  # released since, no release date recorded
    named_case(Status.RELEASED, RESOLUTION_DAY, released_on=RESOLUTION_DAY)  # the same day
    named_case(Status.ACQUITTED, before)  # already free when the document was issued
    named_case(Status.RELEASED, before, released_on=before)
    named_case(Status.IMPRISONED, before, released_on=before)  # released, then detained again
    named_case(Status.IMPRISONED, before)

    impact = document_impact(document=resolution, user=caseworker)
    page = document_impact_figures(impact=impact)
    listed = documents_impact_summary(documents=[resolution], user=caseworker)[resolution.pk]
    (column,) = dashboard_named_released_chart(user=caseworker).columns
    assert page == listed == impact.summary
    assert (page.named, page.released_since, page.still_detained) == (7, 3, 2)
    assert (column.first, column.second) == (page.named, page.released_since)
    assert sum(row.released_since for row in impact.rows) == 3


def _partner_record_and_restricted_case_named(*, resolution, person, partner) -> None:
    # Aigul Utepova again, as a partner's record of her: one more case, not one more person.
    MentionFactory(
        document=resolution,
        case=CaseFactory(
            person=person,
            owning_organisation=partner,
            confidentiality=Confidentiality.PUBLIC,
            status=Status.IMPRISONED,
        ),
    )
    # A restricted case outside the caseworker's team counts neither as a person nor a case.
    MentionFactory(
        document=resolution,
        case=CaseFactory(confidentiality=Confidentiality.RESTRICTED, assigned_caseworker=None),
    )


def test_it_counts_people_once_and_says_how_many_cases_stand_behind_them(
    resolution, released_later, still_imprisoned, caseworker, partner_organisation
):
    _partner_record_and_restricted_case_named(
        resolution=resolution, person=still_imprisoned.person, partner=partner_organisation
    )
    impact = document_impact(document=resolution, user=caseworker)
    listed = documents_impact_summary(documents=[resolution], user=caseworker)[resolution.pk]
    assert len(impact.rows) == 3
    assert (impact.named, impact.cases_named, impact.still_detained) == (2, 3, 1)
    assert listed == impact.summary


@pytest.mark.parametrize(
    ("confidentiality", "figures"),
    [
        (Confidentiality.PUBLIC, (1, 1, 0)),  # seen: the later release counts
        (Confidentiality.RESTRICTED, (1, 0, 1)),  # outside the user's team: changes nothing
    ],
)
def test_a_person_counts_once_by_the_latest_dated_status_of_the_cases_the_user_sees(
    resolution, still_imprisoned, caseworker, partner_organisation, confidentiality, figures
):
    # The document names the host's record (imprisoned since 2020); a partner's later
    # record of the same person, which the document does not name, says released.
    CaseFactory(
        person=still_imprisoned.person,
        owning_organisation=partner_organisation,
        confidentiality=confidentiality,
        detained_on=None,
        status=Status.RELEASED,
        status_since=datetime.date(2022, 4, 1),
    )
    impact = document_impact(document=resolution, user=caseworker)
    listed = documents_impact_summary(documents=[resolution], user=caseworker)[resolution.pk]

    assert (impact.named, impact.released_since, impact.still_detained) == figures
    assert listed == impact.summary
    # The row still says what the named case says.
    assert impact.rows[0].status_today == Status.IMPRISONED


def test_on_trial_counts_as_still_detained_only_in_custody(resolution, caseworker):
    for in_custody in (True, False):
        MentionFactory(
            document=resolution,
            case=CaseFactory(
                confidentiality=Confidentiality.PUBLIC,
                status=Status.ON_TRIAL,
                on_trial_in_custody=in_custody,
            ),
        )
    impact = document_impact(document=resolution, user=caseworker)
    listed = documents_impact_summary(documents=[resolution], user=caseworker)[resolution.pk]
    assert impact.still_detained == listed.still_detained == 1


def test_the_dashboard_s_reading_gives_the_list_s_figures_for_every_user(
    resolution, released_later, still_imprisoned, caseworker, partner_user, partner_organisation
):
    # The dashboard counts in Python (documents_read_impact) what the list and the API
    # count in SQL (documents_annotate_impact): both must say the same for every reader.
    _partner_record_and_restricted_case_named(
        resolution=resolution, person=still_imprisoned.person, partner=partner_organisation
    )
    MentionFactory(document=resolution, case=CaseFactory(), state=Mention.State.PROPOSED)
    DocumentFactory(issued_on=datetime.date(2022, 1, 1))  # names nobody
    documents = Document.objects.order_by("pk")
    for user in (caseworker, partner_user):
        annotated = documents_annotate_impact(documents=documents, user=user)
        read = documents_read_impact(documents=documents, user=user)
        assert [document_impact_summary(document) for document in read] == [
            document_impact_summary(document) for document in annotated
        ]
