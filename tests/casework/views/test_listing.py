import pytest
from django.http import QueryDict

from casework.views._listing import sort_links

NAMES = ["reference", "name", "status"]


def _copied_and_sorted(query: QueryDict, target: str) -> str:
    """What a link must be: the query as it is, without its page, sorted by target."""
    copy = query.copy()
    copy.pop("page", None)
    copy["sort"] = target
    return copy.urlencode()


@pytest.mark.parametrize(
    "query_string",
    [
        "",
        "page=3",
        "sort=name",
        "sort=-name&page=2",
        "q=Жумагулов&status=imprisoned&status=on_trial&sort=status&region=A+%26+B&page=4",
        "sort=reference&q=%3Cscript%3E",
        "status=released&detained_from=2010-01-01",
        "sort=name&sort=status&q=x",
    ],
)
def test_each_link_keeps_every_filter_in_place_and_drops_the_page(query_string):
    query = QueryDict(query_string)
    links = sort_links(query, names=NAMES)
    current = query.get("sort", "")
    for name in NAMES:
        target = f"-{name}" if current == name else name
        assert links[name].query == _copied_and_sorted(query, target)


def test_it_says_which_way_the_sorted_column_goes():
    links = sort_links(QueryDict("sort=-name&q=a"), names=NAMES)
    assert (links["name"].direction, links["name"].query) == ("descending", "sort=name&q=a")
    assert (links["status"].direction, links["status"].query) == ("", "sort=status&q=a")
    ascending = sort_links(QueryDict("q=a&sort=status"), names=NAMES)["status"]
    assert (ascending.direction, ascending.query) == ("ascending", "q=a&sort=-status")
