import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from advocacy.models import Document, Mention
from casework.models import CaseEvent, Confidentiality, Status
from tests.factories import (
    CaseEventFactory,
    CaseFactory,
    DocumentFactory,
    IssuingBodyFactory,
    MentionFactory,
    PersonAliasFactory,
    PersonFactory,
)


@pytest.fixture
def resolution(db):
    return DocumentFactory(
        title="European Parliament resolution on the human rights situation in Kazakhstan",
        issued_on=datetime.date(2021, 2, 11),
        reference="P9_TA(2021)0056",
        procedure="2021/2544(RSP)",
        votes_for=598,
        votes_against=43,
        votes_abstained=52,
        full_text="whereas activist Almat Zhumagulov was sentenced;\ncalls for the immediate release of Aigul Utepova",
    )


@pytest.fixture
def named_case(resolution, host):
    case = CaseFactory(
        person=PersonFactory(full_name="Almat Zhumagulov", native_name="Алмат Жумагулов"),
        confidentiality=Confidentiality.PUBLIC,
        detained_on=datetime.date(2020, 6, 1),
        status=Status.RELEASED,
        status_since=datetime.date(2021, 5, 20),
        released_on=datetime.date(2021, 5, 20),
    )
    CaseEventFactory(
        case=case,
        kind=CaseEvent.Kind.STATUS,
        status=Status.IMPRISONED,
        happened_on=datetime.date(2020, 9, 1),
    )
    MentionFactory(document=resolution, case=case, passage="Almat Zhumagulov was sentenced")
    return case


@pytest.fixture
def restricted_case(resolution, host):
    case = CaseFactory(
        person=PersonFactory(full_name="Hidden Prisoner Restricted"),
        confidentiality=Confidentiality.RESTRICTED,
        status=Status.IMPRISONED,
    )
    MentionFactory(document=resolution, case=case)
    return case


@pytest.fixture
def other_partner_internal_case(resolution, other_partner_organisation):
    case = CaseFactory(
        person=PersonFactory(
            full_name="Internal Other Partner", owning_organisation=other_partner_organisation
        ),
        owning_organisation=other_partner_organisation,
        confidentiality=Confidentiality.INTERNAL,
        status=Status.IMPRISONED,
    )
    MentionFactory(document=resolution, case=case)
    return case


def test_it_sends_a_signed_out_visitor_to_the_sign_in_page(client, resolution):
    response = client.get(reverse("document_detail", args=[resolution.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_lists_documents_with_vote_and_counts(client_as_caseworker, resolution, named_case):
    response = client_as_caseworker.get(reverse("document_list"))
    assert response.status_code == 200
    assert resolution.title in response.text
    assert "P9_TA(2021)0056" in response.text
    assert "598 / 43 / 52" in response.text


def test_it_lists_dates_as_the_rest_of_the_app_writes_them(client_as_caseworker, resolution):
    text = client_as_caseworker.get(reverse("document_list")).text
    assert '<time datetime="2021-02-11">11 Feb 2021</time>' in text


def test_it_filters_documents_by_kind_year_and_text(client_as_caseworker, resolution):
    appeal = DocumentFactory(
        kind=Document.Kind.APPEAL,
        title="Appeal for Dulat Agadil",
        issued_on=datetime.date(2024, 3, 1),
    )
    by_year = client_as_caseworker.get(reverse("document_list"), {"year": 2024})
    assert appeal.title in by_year.text
    assert resolution.title not in by_year.text
    by_kind = client_as_caseworker.get(reverse("document_list"), {"kind": "resolution"})
    assert resolution.title in by_kind.text
    assert appeal.title not in by_kind.text
    by_text = client_as_caseworker.get(reverse("document_list"), {"q": "0056"})
    assert resolution.title in by_text.text
    assert appeal.title not in by_text.text


def test_it_shows_an_empty_state_when_no_document_matches(client_as_caseworker, resolution):
    response = client_as_caseworker.get(reverse("document_list"), {"q": "no such thing"})
    assert "No document matches these filters" in response.text


def test_it_hides_archived_documents(client_as_caseworker, resolution):
    from django.utils import timezone

    Document.objects.filter(pk=resolution.pk).update(archived_at=timezone.now())
    assert resolution.title not in client_as_caseworker.get(reverse("document_list")).text
    assert (
        client_as_caseworker.get(reverse("document_detail", args=[resolution.pk])).status_code
        == 404
    )


def test_it_pages_without_counting(client_as_caseworker, db):
    for index in range(30):
        DocumentFactory(
            title=f"Statement number {index:02d}",
            issued_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=index),
        )
    first = client_as_caseworker.get(reverse("document_list"))
    assert "Statement number 29" in first.text
    assert "Statement number 04" not in first.text
    assert 'rel="next"' in first.text
    second = client_as_caseworker.get(reverse("document_list"), {"page": 2})
    assert "Statement number 04" in second.text
    assert 'rel="next"' not in second.text


@pytest.mark.parametrize("documents", [5, 500])
def test_it_lists_documents_in_a_bounded_number_of_queries(
    client_as_caseworker, documents, django_assert_max_num_queries
):
    body = IssuingBodyFactory()
    Document.objects.bulk_create(
        [
            Document(
                kind="resolution",
                issuing_body=body,
                title=f"Document {index}",
                issued_on=datetime.date(2021, 1, 1),
            )
            for index in range(documents)
        ]
    )
    cases = [CaseFactory(confidentiality=Confidentiality.PUBLIC) for _ in range(3)]
    Mention.objects.bulk_create(
        [
            Mention(document=document, case=case)
            for document in Document.objects.all()[:30]
            for case in cases
        ]
    )
    with django_assert_max_num_queries(12):
        response = client_as_caseworker.get(reverse("document_list"))
    assert response.status_code == 200


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
    assert '<td class="numeric">1</td>' in listing.text
    assert '<td class="numeric">0</td>' in listing.text


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


def test_it_refuses_document_changes_to_a_partner_user(client_as_partner, resolution):
    assert client_as_partner.get(reverse("document_create")).status_code == 403
    assert client_as_partner.get(reverse("document_edit", args=[resolution.pk])).status_code == 403
    assert client_as_partner.get(reverse("mention_add", args=[resolution.pk])).status_code == 403


def document_data(**overrides):
    data = {
        "kind": "resolution",
        "issuing_body": IssuingBodyFactory().pk,
        "title": "Resolution on Kazakhstan 2013",
        "reference": "P7_TA(2013)0184",
        "procedure": "2013/2599(RSP)",
        "issued_on": "2013-04-18",
        "url": "",
        "language": "en",
        "votes_for": "",
        "votes_against": "",
        "votes_abstained": "",
        "full_text": "",
        "source": "",
    }
    data.update(overrides)
    return data


def test_it_records_a_document(client_as_caseworker, caseworker):
    response = client_as_caseworker.post(reverse("document_create"), document_data(), follow=True)
    document = Document.objects.get(reference="P7_TA(2013)0184")
    assert document.created_by == caseworker
    assert response.redirect_chain[-1][0] == reverse("document_detail", args=[document.pk])
    assert "recorded" in response.text


def test_it_refuses_negative_votes_beside_the_field(client_as_caseworker):
    response = client_as_caseworker.post(
        reverse("document_create"), document_data(votes_against="-3")
    )
    assert response.status_code == 200
    assert "A number of votes cannot be negative." in response.text
    assert 'id="id_votes_against_error"' in response.text
    assert not Document.objects.exists()


def test_it_refuses_a_reference_another_document_has(client_as_caseworker, resolution):
    response = client_as_caseworker.post(
        reverse("document_create"), document_data(reference="P9_TA(2021)0056")
    )
    assert "Another document already has the reference P9_TA(2021)0056." in response.text
    assert 'id="id_reference_error"' in response.text
    assert Document.objects.count() == 1


def test_it_edits_a_document_and_records_the_change_in_its_history(
    client_as_caseworker, resolution
):
    data = document_data(
        title=resolution.title,
        reference=resolution.reference,
        issued_on="2021-02-11",
        votes_for="599",
    )
    response = client_as_caseworker.post(
        reverse("document_edit", args=[resolution.pk]), data, follow=True
    )
    resolution.refresh_from_db()
    assert resolution.votes_for == 599
    assert "Document saved." in response.text
    history = response.text[response.text.index("Change history") :]
    assert "Votes for: <del>598</del>" in history
    assert "<ins>599</ins>" in history
    assert "caseworker · changed" in history


def test_the_history_summarises_a_long_text_and_names_the_issuing_body(
    client_as_caseworker, caseworker, resolution
):
    from tests.factories import IssuingBodyFactory

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


def test_it_finds_a_person_by_a_cyrillic_spelling_to_add_a_mention(
    client_as_caseworker, resolution
):
    person = PersonFactory(full_name="Aigul Utepova")
    PersonAliasFactory(person=person, name="Айгуль Утепова")
    case = CaseFactory(person=person, confidentiality=Confidentiality.PUBLIC)
    response = client_as_caseworker.get(
        reverse("mention_add", args=[resolution.pk]), {"q": "Утепова"}
    )
    assert response.status_code == 200
    assert case.reference in response.text


def test_it_adds_a_mention_by_hand(client_as_caseworker, caseworker, resolution):
    person = PersonFactory(full_name="Aigul Utepova")
    case = CaseFactory(person=person, confidentiality=Confidentiality.PUBLIC)
    response = client_as_caseworker.post(
        reverse("mention_add", args=[resolution.pk]) + "?q=Utepova",
        {
            "case": case.pk,
            "passage": "calls for the immediate release of Aigul Utepova",
            "demands_release": "on",
        },
        follow=True,
    )
    mention = Mention.objects.get(document=resolution, case=case)
    assert mention.origin == Mention.Origin.MANUAL
    assert mention.confirmed_by == caseworker
    assert mention.demands_release
    assert "Mention of Aigul Utepova added." in response.text
    assert "not found in the document" not in response.text


def test_it_warns_but_keeps_a_mention_whose_passage_is_not_in_the_text(
    client_as_caseworker, resolution
):
    case = CaseFactory(confidentiality=Confidentiality.PUBLIC)
    response = client_as_caseworker.post(
        reverse("mention_add", args=[resolution.pk]),
        {"case": case.pk, "passage": "a sentence the document never says"},
        follow=True,
    )
    assert Mention.objects.filter(document=resolution, case=case).exists()
    assert "was not found in the document" in response.text


def test_it_cannot_add_a_mention_of_a_case_the_user_may_not_see(
    client_as_caseworker, resolution, restricted_case
):
    Mention.objects.filter(case=restricted_case).delete()
    response = client_as_caseworker.post(
        reverse("mention_add", args=[resolution.pk]),
        {"case": restricted_case.pk, "passage": "anything"},
    )
    assert response.status_code == 200
    assert not Mention.objects.filter(case=restricted_case).exists()


def test_it_exports_the_impact_table_with_formulas_escaped(client_as_caseworker, resolution):
    case = CaseFactory(
        person=PersonFactory(full_name='=HYPERLINK("http://evil")'),
        confidentiality=Confidentiality.PUBLIC,
    )
    MentionFactory(document=resolution, case=case)
    csv_response = client_as_caseworker.get(
        reverse("document_impact_export", args=[resolution.pk, "csv"])
    )
    assert csv_response.status_code == 200
    assert "attachment" in csv_response["Content-Disposition"]
    assert "'=HYPERLINK" in csv_response.content.decode("utf-8-sig")
    xlsx_response = client_as_caseworker.get(
        reverse("document_impact_export", args=[resolution.pk, "xlsx"])
    )
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    assert sheet["A1"].value == "Person"
    assert sheet["A2"].value.startswith("'=")
    assert (
        client_as_caseworker.get(
            reverse("document_impact_export", args=[resolution.pk, "pdf"])
        ).status_code
        == 404
    )


@pytest.mark.parametrize("mentions", [5, 200])
def test_it_shows_a_document_page_in_a_bounded_number_of_queries(
    client_as_caseworker, resolution, mentions, django_assert_max_num_queries
):
    Mention.objects.bulk_create(
        [
            Mention(document=resolution, case=CaseFactory(confidentiality=Confidentiality.PUBLIC))
            for _ in range(mentions)
        ]
    )
    for votes in (600, 601, 602):
        resolution.votes_for = votes
        resolution.save()
    # 11 for the page and its impact table, one for the sources of its facts (staff only),
    # one for what its text reports of other documents: none of them grows with the rows.
    with django_assert_max_num_queries(13):
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
    assert '<td class="numeric">2 <span class="muted small nowrap">(3 cases)</span>' in listing


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


@pytest.mark.parametrize(
    ("url_name", "last"),
    [
        ("document_text_upload", "Text"),
        ("mention_add", "Add a mention"),
        ("document_edit", "Edit"),
        ("document_create", "Record a document"),
    ],
)
def test_the_breadcrumb_ends_with_the_pages_own_name(
    client_as_caseworker, resolution, url_name, last
):
    args = [] if url_name == "document_create" else [resolution.pk]
    text = client_as_caseworker.get(reverse(url_name, args=args)).text
    breadcrumb = text[text.index('class="breadcrumbs"') :]
    breadcrumb = breadcrumb[: breadcrumb.index("</p>")]
    assert breadcrumb.endswith(f'› <span aria-current="page">{last}</span>')


def test_it_links_to_the_case_list_narrowed_to_the_cases_it_names(
    client_as_caseworker, resolution, named_case
):
    text = client_as_caseworker.get(reverse("document_detail", args=[resolution.pk])).text
    link = f'href="/cases/?document={resolution.pk}"'
    assert link in text
    listing = client_as_caseworker.get("/cases/", {"document": resolution.pk}).text
    assert "Almat Zhumagulov" in listing
    assert resolution.title in listing


def test_it_exports_the_impact_summary_figures_with_the_table(
    client_as_caseworker, resolution, named_case
):
    detained = CaseFactory(
        person=PersonFactory(full_name="Aset Abishev"),
        confidentiality=Confidentiality.PUBLIC,
        status=Status.IMPRISONED,
    )
    MentionFactory(document=resolution, case=detained)
    csv_text = client_as_caseworker.get(
        reverse("document_impact_export", args=[resolution.pk, "csv"])
    ).content.decode("utf-8-sig")
    summary, table = csv_text.split("\r\n\r\n", 1)
    summary_rows = dict(csv.reader(io.StringIO(summary)))
    assert summary_rows["Reference"] == "P9_TA(2021)0056"
    assert summary_rows["Date"] == "2021-02-11"
    assert (summary_rows["People named"], summary_rows["Released since"]) == ("2", "1")
    assert (summary_rows["Still detained"], summary_rows["Died"]) == ("1", "0")
    assert table.startswith("Person,")

    workbook = load_workbook(
        io.BytesIO(
            client_as_caseworker.get(
                reverse("document_impact_export", args=[resolution.pk, "xlsx"])
            ).content
        )
    )
    assert workbook.sheetnames == ["Impact", "Summary"]
    assert workbook["Impact"]["A1"].value == "Person"
    figures = {row[0]: row[1] for row in workbook["Summary"].iter_rows(values_only=True)}
    assert (figures["People named"], figures["Released since"]) == (2, 1)
    assert (figures["Still detained"], figures["Died"]) == (1, 0)


def test_it_exports_a_passage_with_control_characters_to_xlsx(client_as_caseworker, resolution):
    case = CaseFactory(
        person=PersonFactory(full_name="Aigul\x0b Utepova"), confidentiality=Confidentiality.PUBLIC
    )
    MentionFactory(document=resolution, case=case, passage="calls for\x01 her release")
    response = client_as_caseworker.get(
        reverse("document_impact_export", args=[resolution.pk, "xlsx"])
    )
    assert response.status_code == 200
    header, row = load_workbook(io.BytesIO(response.content))["Impact"].iter_rows(values_only=True)
    assert row[header.index("Person")] == "Aigul Utepova"
    assert row[header.index("Passage")] == "calls for her release"


def test_the_impact_export_logs_the_restricted_cases_it_contains(
    client_as_coordinator, coordinator, resolution, restricted_case, named_case
):
    from casework.models import RestrictedCaseView

    response = client_as_coordinator.get(
        reverse("document_impact_export", args=[resolution.pk, "csv"])
    )
    assert "Hidden Prisoner Restricted" in response.content.decode("utf-8-sig")
    assert "no-store" in response["Cache-Control"]
    assert list(
        RestrictedCaseView.objects.filter(user=coordinator).values_list("case_id", flat=True)
    ) == [restricted_case.pk]
