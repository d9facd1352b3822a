"""A document's page (/documents/<id>/): its impact table with only the cases the viewer
may see, its history, and the actions offered by role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from advocacy.models import Mention
from casework.models import Confidentiality
from tests.factories import (
    CaseFactory,
    HostOrganisationFactory,
    IssuingBodyFactory,
    MentionFactory,
    PersonFactory,
    cases_bulk_create,
    people_bulk_create,
)


def test_it_shows_the_document_with_its_impact_table(client_as_caseworker, resolution, named_case):
    response = client_as_caseworker.get(reverse("document_detail", args=[resolution.pk]))
    assert response.status_code == 200
    text = response.text
    assert "598 for, 43 against, 52 abstentions" in text
    assert "2021/2544(RSP)" in text
    assert "Almat Zhumagulov" in text
    assert "Imprisoned" in text  # status on the document's date
    assert "Released" in text  # status today
    assert ">98<" in text  # days to release
    assert "Almat Zhumagulov was sentenced" in text  # the passage
    assert "Change history" in text


def test_it_keeps_a_restricted_case_out_of_the_impact_table_for_users_outside_the_team(
    client_as_caseworker, resolution, named_case, restricted_case
):
    response = client_as_caseworker.get(reverse("document_detail", args=[resolution.pk]))
    assert "Hidden Prisoner Restricted" not in response.text
    assert 'class="figure__value">1<' in response.text
    listing = client_as_caseworker.get(reverse("document_list"))
    # One named, none detained among the cases this user may see.
    assert '<td class="numeric" data-label="People named">1</td>' in listing.text
    assert '<td class="numeric" data-label="Still detained">0</td>' in listing.text


def test_it_shows_the_restricted_case_to_its_team(
    client_as_coordinator, resolution, restricted_case
):
    response = client_as_coordinator.get(reverse("document_detail", args=[resolution.pk]))
    assert "Hidden Prisoner Restricted" in response.text


def test_it_never_shows_another_partners_internal_case_to_a_partner(
    client_as_partner, resolution, named_case, other_partner_internal_case
):
    response = client_as_partner.get(reverse("document_detail", args=[resolution.pk]))
    assert response.status_code == 200
    assert "Internal Other Partner" not in response.text
    assert "Almat Zhumagulov" in response.text
    export = client_as_partner.get(reverse("document_impact_export", args=[resolution.pk, "csv"]))
    assert "Internal Other Partner" not in export.content.decode("utf-8-sig")


def test_the_history_summarises_a_long_text_and_names_the_issuing_body(
    client_as_caseworker, caseworker, resolution
):

    resolution.full_text = "whereas " * 1000
    resolution.issuing_body = IssuingBodyFactory(name="Parliamentary Assembly", short_name="PACE")
    resolution._history_user = caseworker
    resolution.save()
    text = client_as_caseworker.get(reverse("document_detail", args=[resolution.pk])).text
    history = text[text.index("Change history") :]
    assert "a text of 8,000 characters" in history
    assert "whereas whereas" not in history
    assert "Issuing body: <del>EP</del>" in history
    assert "<ins>PACE</ins>" in history


@pytest.mark.parametrize("mentions", [5, 200])
def test_it_shows_a_document_page_in_a_bounded_number_of_queries(
    client_as_caseworker, resolution, mentions, django_assert_max_num_queries
):
    host = HostOrganisationFactory()
    people = people_bulk_create(count=mentions, organisation=host)
    cases = cases_bulk_create(
        people=people, organisation=host, confidentiality=Confidentiality.PUBLIC
    )
    Mention.objects.bulk_create([Mention(document=resolution, case=case) for case in cases])
    for votes in (600, 601, 602):
        resolution.votes_for = votes
        resolution.save()
    # 11 for the page and its impact table, one for the sources of its facts (staff only),
    # one for what its text reports of other documents, one for its roll-call vote, one for
    # the people it names counted once each (casework.people_status), one for the proposed
    # mentions still waiting for a decision, one for whether the user is on any responsible
    # person's team (accountability's section): none grows with the rows.
    with django_assert_max_num_queries(17):
        response = client_as_caseworker.get(reverse("document_detail", args=[resolution.pk]))
    assert response.status_code == 200
    assert response.text.count("<tr>") == mentions + 1


def test_it_offers_archiving_to_a_coordinator_but_not_to_a_caseworker(
    client_as_coordinator, caseworker, resolution
):
    url = reverse("document_detail", args=[resolution.pk])
    assert reverse("document_archive", args=[resolution.pk]) in client_as_coordinator.get(url).text
    client_as_coordinator.force_login(caseworker)
    assert (
        reverse("document_archive", args=[resolution.pk]) not in client_as_coordinator.get(url).text
    )


def test_the_impact_figures_say_people_and_cases_when_they_differ(
    client_as_caseworker, resolution, named_case, restricted_case, partner_organisation
):
    MentionFactory(
        document=resolution,
        case=CaseFactory(
            person=named_case.person,
            owning_organisation=partner_organisation,
            confidentiality=Confidentiality.PUBLIC,
        ),
    )
    MentionFactory(
        document=resolution,
        case=CaseFactory(
            person=PersonFactory(full_name="Aigul Utepova"), confidentiality=Confidentiality.PUBLIC
        ),
    )
    page = client_as_caseworker.get(reverse("document_detail", args=[resolution.pk])).text
    # The restricted case is not the caseworker's: neither a person nor a case here.
    assert (
        '<span class="figure__value">2</span><span class="figure__label">people named (3 cases)'
        in page
    )
    listing = client_as_caseworker.get(reverse("document_list")).text
    assert (
        '<td class="numeric" data-label="People named">2 <span class="muted small nowrap">(3 cases)</span>'
        in listing
    )


def test_the_impact_figures_say_person_for_one_person_of_one_case(
    client_as_caseworker, resolution, named_case
):
    page = client_as_caseworker.get(reverse("document_detail", args=[resolution.pk])).text
    assert 'class="figure__label">person named</span>' in page
    assert "cases)" not in page


def test_the_breadcrumb_names_the_document(client_as_caseworker, resolution):
    text = client_as_caseworker.get(reverse("document_detail", args=[resolution.pk])).text
    breadcrumb = text[text.index('class="breadcrumbs"') :]
    breadcrumb = breadcrumb[: breadcrumb.index("</p>")]
    assert "P9_TA(2021)0056" in breadcrumb


def test_it_links_to_the_case_list_narrowed_to_the_cases_it_names(
    client_as_caseworker, resolution, named_case
):
    text = client_as_caseworker.get(reverse("document_detail", args=[resolution.pk])).text
    link = f'href="/cases/?document={resolution.pk}"'
    assert link in text
    listing = client_as_caseworker.get("/cases/", {"document": resolution.pk}).text
    assert "Almat Zhumagulov" in listing
    assert resolution.title in listing
