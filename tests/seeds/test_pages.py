"""The seed data on its pages: each fact leads to the sentence it comes from, for those who
may see sources; the resolution and the statement quoting it point at each other."""

from __future__ import annotations

import html
import re
from urllib.parse import quote

import pytest
from django.urls import reverse

from advocacy.models import Document
from casework.models import Case, Organisation, Person, Role
from tests.conftest import verify_second_factor
from tests.factories import member
from tests.seeds.seeded import case_of

ODF_TITLE = "Kazakhstan: the EP’s new resolution urges for sanctions against human rights violators"


@pytest.fixture
def staff(seeded, client):
    user = member(organisation=Organisation.objects.get(slug="demo-ngo"), role=Role.CASEWORKER)
    client.force_login(user)
    verify_second_factor(client, user)
    return client


@pytest.fixture
def partner(seeded, client):
    user = member(organisation=Organisation.objects.get(slug="kibhr"), role=Role.PARTNER)
    client.force_login(user)
    return client


def links_to_sentences(page: str) -> list[str]:
    return [
        html.unescape(link) for link in re.findall(r'href="(/documents/\d+/\?quote=[^"]+)"', page)
    ]


def test_a_case_page_leads_from_each_fact_to_its_sentence(staff):
    case = case_of("Almat Zhumagulov")

    page = staff.get(case.get_absolute_url()).text

    assert "Where these facts come from" in page
    assert re.search(r'<dd>long prison term<sup class="source-refs"><a href="#source-\d+"', page)
    links = links_to_sentences(page)
    assert links
    for link in links:
        target = staff.get(link).text
        assert '<mark id="quote" tabindex="-1">' in target, link
        assert '<details class="full-text" open>' in target


def test_a_case_page_shows_no_sources_to_a_partner(partner):
    page = partner.get(case_of("Almat Zhumagulov").get_absolute_url()).text

    assert "Where these facts come from" not in page
    assert 'class="source-refs"' not in page
    assert "?quote=" not in page


def test_an_inferred_fact_says_so_and_why_on_its_page(staff):
    person = case_of("Zhanbolat Agadil").person

    page = staff.get(person.get_absolute_url()).text

    assert "Inferred: The statement names" in html.unescape(page)
    assert 'class="badge badge--inferred"' in page


def test_the_resolution_page_says_where_each_passage_is_quoted_and_the_statement_says_what_it_reports(
    staff,
):
    resolution = Document.objects.get(reference="P9_TA(2021)0056")
    statement = Document.objects.get(title=ODF_TITLE)

    resolution_page = html.unescape(staff.get(resolution.get_absolute_url()).text)
    statement_page = html.unescape(staff.get(statement.get_absolute_url()).text)

    assert (
        f'Quoted in: <a href="{statement.get_absolute_url()}">ODF, “{ODF_TITLE}”</a>, in 2021'
        in (resolution_page)
    )
    assert "What it reports of other documents" in statement_page
    assert f'On <a href="{resolution.get_absolute_url()}">EP,' in statement_page
    assert "Kaisha Akankyzy" in statement_page


def test_a_partner_sees_where_a_passage_is_quoted_but_no_sources(partner):
    resolution = Document.objects.get(reference="P9_TA(2021)0056")

    page = html.unescape(partner.get(resolution.get_absolute_url()).text)

    assert "Quoted in:" in page
    assert "Where these facts come from" not in page
    assert "Seed text" not in page  # the document's own source field is a source too


def test_a_document_of_unknown_day_shows_the_year_and_why_it_is_inferred(staff):
    letter = Document.objects.get(kind=Document.Kind.LETTER)

    page = html.unescape(staff.get(letter.get_absolute_url()).text)

    assert "<dd>in 2016<sup" in page
    assert "30 March fell on a Wednesday in 2016" in page


def test_the_marked_quote_matches_across_line_breaks(staff):
    statement = Document.objects.get(title=ODF_TITLE)
    passage = "Bota Jardemalie, a political refugee in Belgium"

    page = staff.get(f"{reverse('document_detail', args=[statement.pk])}?quote={quote(passage)}")

    assert f'<mark id="quote" tabindex="-1">{passage}</mark>' in page.text


def test_every_link_from_every_seeded_page_lands_on_its_sentence(staff):
    pages = [
        *(case.get_absolute_url() for case in Case.objects.all()),
        *(person.get_absolute_url() for person in Person.objects.all()),
        *(document.get_absolute_url() for document in Document.objects.all()),
    ]
    links = set()
    for page in pages:
        text = staff.get(page).text
        assert "Where these facts come from" in text, page
        # Every footnote mark leads to a note on the same page.
        for number in re.findall(r'href="#source-(\d+)"', text):
            assert f'id="source-{number}"' in text, page
        links.update(links_to_sentences(text))

    assert len(links) >= 60
    for link in sorted(links):
        assert '<mark id="quote" tabindex="-1">' in staff.get(link).text, link
