"""One pagination for every list (common.pagination): pages never counted, links that
keep the rest of the query."""

from __future__ import annotations

import pytest
from django.http import QueryDict

from casework.models import Organisation
from common.pagination import MAX_PAGE, page_number_from, request_page
from tests.factories import OrganisationFactory


@pytest.mark.parametrize(
    ("raw", "number"),
    [("", 1), ("2", 2), ("0", 1), ("-3", 1), ("x", 1), ("²", 1), ("99999999", MAX_PAGE)],
)
def test_it_reads_the_page_asked_for_and_falls_back_to_the_first(raw, number):
    assert page_number_from(QueryDict(f"page={raw}")) == number


def test_it_tells_a_next_page_by_one_row_more_without_counting(db, django_assert_num_queries):
    OrganisationFactory.create_batch(5)
    organisations = Organisation.objects.order_by("pk")
    with django_assert_num_queries(1):
        first = request_page(organisations, QueryDict(""), size=2)
    assert (first.has_previous, first.has_next, first.first_index, first.last_index) == (
        False,
        True,
        1,
        2,
    )
    last = request_page(organisations, QueryDict("page=3"), size=2)
    assert (last.has_previous, last.has_next, len(last.rows), last.first_index) == (
        True,
        False,
        1,
        5,
    )


def test_its_links_keep_the_filters_and_the_sort_and_change_only_their_own_parameter(db):
    query = QueryDict("q=%D0%96%D1%83%D0%BC&sort=-name&late_page=2&mine_page=3")
    page = request_page(Organisation.objects.order_by("pk"), query, parameter="late_page")
    assert page.number == 2
    assert page.previous_query == "q=%D0%96%D1%83%D0%BC&sort=-name&mine_page=3&late_page=1"
    assert page.next_query == "q=%D0%96%D1%83%D0%BC&sort=-name&mine_page=3&late_page=3"
    assert request_page(Organisation.objects.none(), QueryDict("")).next_query == "page=2"
