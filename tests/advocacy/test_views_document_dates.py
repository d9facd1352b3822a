"""Documents dated only to the month or the year: the form, the page and the list."""

from __future__ import annotations

import datetime

from django.urls import reverse

from advocacy.models import Document
from casework.partial_dates import Precision
from tests.factories import DocumentFactory, IssuingBodyFactory


def test_it_records_a_report_known_only_by_its_month(client_as_caseworker):
    response = client_as_caseworker.post(
        reverse("document_create"),
        {
            "kind": "report",
            "issuing_body": IssuingBodyFactory().pk,
            "title": "Report on torture",
            "issued_on": "March 2016",
            "language": "en",
        },
    )

    document = Document.objects.get()
    assert response.status_code == 302
    assert (document.issued_on, document.issued_on_precision) == (
        datetime.date(2016, 3, 1),
        Precision.MONTH,
    )


def test_the_page_and_the_list_show_the_date_as_known(client_as_caseworker):
    document = DocumentFactory(
        title="Letter to Donald Tusk",
        issued_on=datetime.date(2016, 1, 1),
        issued_on_precision=Precision.YEAR,
    )

    page = client_as_caseworker.get(document.get_absolute_url()).text
    listing = client_as_caseworker.get(reverse("document_list")).text

    assert "<dd>in 2016</dd>" in page
    assert "1 January 2016" not in page
    assert '<time datetime="2016">in 2016</time>' in listing


def test_editing_a_partial_date_without_changing_it_changes_nothing(client_as_caseworker):
    document = DocumentFactory(issued_on=datetime.date(2016, 1, 1), issued_on_precision="year")
    form = client_as_caseworker.get(reverse("document_edit", args=[document.pk])).text

    assert 'name="issued_on" value="2016"' in form
