"""Shared pieces of the list pages: htmx fragments and sortable column links. (Pages are
common.pagination's.)"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpRequest, QueryDict


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
