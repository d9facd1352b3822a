"""One way to page a list, for every list of the app: pages are never counted.

Fetching one row more than a page holds tells whether there is a next page, so no list
runs COUNT(*) over a table that may hold a hundred thousand cases. A Page knows the
parameter it is paged by and the rest of the request's query, so its links keep every
filter and the sort, and a page holding several lists pages each by its own parameter.
templates/_pagination.html draws the links.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import QueryDict

PAGE_SIZE = 50
MAX_PAGE = 10_000


@dataclass
class Page:
    rows: list[Any]
    number: int
    has_next: bool
    has_previous: bool
    first_index: int
    parameter: str = "page"
    other_query: str = ""  # the request's query without the page, kept by the links

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.rows) - 1

    def query_for(self, number: int) -> str:
        """The query string of page ``number`` of this list."""
        page = f"{self.parameter}={number}"
        return f"{self.other_query}&{page}" if self.other_query else page

    @property
    def previous_query(self) -> str:
        return self.query_for(self.number - 1)

    @property
    def next_query(self) -> str:
        return self.query_for(self.number + 1)


def page_number_from(query: QueryDict, parameter: str = "page") -> int:
    """The page asked for in ``parameter``; 1 for anything but a whole number."""
    raw = query.get(parameter, "1")
    number = int(raw) if raw.isascii() and raw.isdigit() else 1
    return min(max(number, 1), MAX_PAGE)


def query_without(query: QueryDict, *names: str) -> str:
    copy = query.copy()
    for name in names:
        copy.pop(name, None)
    return copy.urlencode()


def queryset_page(queryset: QuerySet[Any], *, number: int, size: int = PAGE_SIZE) -> Page:
    """One page of rows, in one query."""
    offset = (number - 1) * size
    rows = list(queryset[offset : offset + size + 1])
    return Page(
        rows=rows[:size],
        number=number,
        has_next=len(rows) > size,
        has_previous=number > 1,
        first_index=offset + 1,
    )


def request_page(
    queryset: QuerySet[Any], query: QueryDict, *, parameter: str = "page", size: int = PAGE_SIZE
) -> Page:
    """The page of ``queryset`` that the request's query asks for in ``parameter``, with
    links that keep the rest of the query."""
    page = queryset_page(queryset, number=page_number_from(query, parameter), size=size)
    page.parameter = parameter
    page.other_query = query_without(query, parameter)
    return page
