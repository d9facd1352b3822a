import datetime
from itertools import pairwise

from advocacy.charts import paired_column_chart
from advocacy.dashboard import _axis_date
from tests.factories import DocumentFactory


def _items(count: int) -> list[tuple[str, str, str, str, int, int]]:
    return [(f"2021-0{n}", "EP", f"Document {n}", f"/documents/{n}/", 3, 1) for n in range(count)]


def test_it_spreads_a_few_documents_over_the_whole_width():
    chart = paired_column_chart(items=_items(3), min_width=960)
    assert chart.width == 960
    # The last pair ends in the last third of the chart, not at its left.
    assert chart.columns[-1].second_x > 960 * 2 / 3


def test_it_gives_many_documents_the_room_they_need_beyond_the_minimum():
    chart = paired_column_chart(items=_items(12), min_width=960, column_width=20, group_gap=60)
    assert chart.width == 36 + 24 + 12 * 100
    steps = {round(right.x - left.x, 1) for left, right in pairwise(chart.columns)}
    assert steps == {100}


def test_it_centres_each_pair_in_its_share_of_the_width():
    chart = paired_column_chart(items=_items(2), min_width=960, left=36)
    share = (960 - 36 - 24) / 2
    first = chart.columns[0]
    assert first.label_x == 36 + 12 + share / 2


def test_the_chart_writes_a_document_known_to_the_year_as_the_year(db):
    letter = DocumentFactory(issued_on=datetime.date(2016, 1, 1), issued_on_precision="year")
    resolution = DocumentFactory(issued_on=datetime.date(2021, 2, 11))

    assert _axis_date(letter) == "2016"
    assert _axis_date(resolution) == "11 Feb 2021"
