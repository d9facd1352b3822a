"""Shared pieces of the list pages: pages without COUNT(*) and sortable column links."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import HttpRequest, QueryDict

PAGE_SIZE = 50
MAX_PAGE = 10_000


@dataclass
class Page:
    rows: list[Any]
    number: int
    has_next: bool
    has_previous: bool
    first_index: int

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.rows) - 1


def wants_results_fragment(request: HttpRequest) -> bool:
    """Whether to answer with the results fragment only, for htmx swapping it in place.

    htmx 2 sends HX-Request with its history-restore request too (the Back button after
    the page left htmx's cache): that one must get the whole page, or the browser shows a
    bare table with no layout. A boosted link also expects the whole page."""
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-History-Restore-Request") != "true"
        and not headers.get("HX-Boosted")
    )


def page_number_from(query: QueryDict) -> int:
    return page_number_from_parameter(query, "page")


def page_number_from_parameter(query: QueryDict, parameter: str) -> int:
    """The page asked for in `parameter`, where a page holds several lists paged apart."""
    raw = query.get(parameter, "1")
    number = int(raw) if raw.isdigit() else 1
    return min(max(number, 1), MAX_PAGE)


def queryset_page(queryset: QuerySet, *, number: int, size: int = PAGE_SIZE) -> Page:
    """One page of rows. Fetching one row more than the page holds tells whether there is
    a next page, so the table is never counted."""
    offset = (number - 1) * size
    rows = list(queryset[offset : offset + size + 1])
    return Page(
        rows=rows[:size],
        number=number,
        has_next=len(rows) > size,
        has_previous=number > 1,
        first_index=offset + 1,
    )


@dataclass
class SortLink:
    query: str
    direction: str  # "ascending", "descending" or "" when the list is not sorted by this column


def sort_links(
    query: QueryDict, *, names: list[str], parameter: str = "sort"
) -> dict[str, SortLink]:
    """For each sortable column, the query string that sorts by it (the opposite way if the
    list is sorted by it already), keeping every filter and going back to page one."""
    current = query.get(parameter, "")
    # The links differ only in the sort: the rest of the query is encoded once, in two
    # parts either side of where the sort goes (where it is now, else last), rather than
    # deep-copied and encoded again for every column.
    before, after = QueryDict(mutable=True), QueryDict(mutable=True)
    side = before
    for key, values in query.lists():
        if key == parameter:
            side = after
        elif key != "page":
            side.setlist(key, values)
    head, tail = before.urlencode(), after.urlencode()
    links = {}
    for name in names:
        if current == name:
            target, direction = f"-{name}", "ascending"
        elif current == f"-{name}":
            target, direction = name, "descending"
        else:
            target, direction = name, ""
        sort = urlencode({parameter: target})
        links[name] = SortLink(
            query="&".join(part for part in (head, sort, tail) if part), direction=direction
        )
    return links


def query_without(query: QueryDict, *names: str) -> str:
    copy = query.copy()
    for name in names:
        copy.pop(name, None)
    return copy.urlencode()
