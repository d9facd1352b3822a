"""Geometry for the small server-rendered SVG charts.

The content security policy forbids inline scripts and styles, so charts are plain SVG
drawn by templates from these numbers, coloured by CSS classes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HorizontalBar:
    label: str
    value: int
    css_class: str
    y: int
    width: float
    text_y: int


@dataclass(frozen=True)
class HorizontalBarChart:
    bars: list[HorizontalBar]
    width: int
    height: int
    label_width: int
    bar_height: int
    total: int


def horizontal_bar_chart(
    *,
    items: list[tuple[str, int, str]],
    width: int = 480,
    label_width: int = 170,
    bar_height: int = 22,
    gap: int = 8,
) -> HorizontalBarChart:
    """items: (label, value, css class) in display order."""
    largest = max((value for _, value, _ in items), default=0)
    # Leave room for the count written after each bar.
    room = width - label_width - 50
    bars = []
    for index, (label, value, css_class) in enumerate(items):
        y = index * (bar_height + gap)
        bar_width = round(room * value / largest, 1) if largest else 0
        bars.append(
            HorizontalBar(
                label=label,
                value=value,
                css_class=css_class,
                y=y,
                width=max(bar_width, 2 if value else 0),
                text_y=y + bar_height // 2 + 5,
            )
        )
    height = max(len(items) * (bar_height + gap) - gap, bar_height)
    return HorizontalBarChart(
        bars=bars,
        width=width,
        height=height,
        label_width=label_width,
        bar_height=bar_height,
        total=sum(value for _, value, _ in items),
    )


@dataclass(frozen=True)
class PairedColumn:
    label: str
    sublabel: str
    title: str
    url: str
    first: int
    second: int
    x: float
    first_height: float
    second_height: float
    first_y: float
    second_y: float
    second_x: float
    first_center: float
    second_center: float
    label_x: float


@dataclass(frozen=True)
class PairedColumnChart:
    columns: list[PairedColumn]
    width: int
    height: int
    plot_top: int
    baseline: int
    column_width: int
    ticks: list[tuple[int, float]]


def paired_column_chart(
    *,
    items: list[tuple[str, str, str, str, int, int]],
    column_width: int = 20,
    group_gap: int = 60,
    plot_height: int = 180,
    left: int = 36,
    min_width: int = 960,
) -> PairedColumnChart:
    """items: (label, sublabel, title, url, first value, second value), oldest first.

    Two columns per item side by side (e.g. people named, people released since). A few
    items are spread over min_width, so that a chart drawn the width of its card is not
    a cluster of columns at its left edge with letters half again too large."""
    # Room above the tallest column for its value.
    plot_top = 22
    baseline = plot_top + plot_height
    largest = max((max(first, second) for *_, first, second in items), default=0)
    scale_top = max(largest, 1)
    group = max(2 * column_width + group_gap, (min_width - left - 24) / max(len(items), 1))
    # Each pair sits in the middle of its share of the width.
    offset = (group - 2 * column_width) / 2
    columns = []
    for index, (label, sublabel, title, url, first, second) in enumerate(items):
        x = round(left + 12 + offset + index * group, 1)
        first_height = round(plot_height * first / scale_top, 1)
        second_height = round(plot_height * second / scale_top, 1)
        columns.append(
            PairedColumn(
                label=label,
                sublabel=sublabel,
                title=title,
                url=url,
                first=first,
                second=second,
                x=x,
                first_height=first_height,
                second_height=second_height,
                first_y=baseline - first_height,
                second_y=baseline - second_height,
                second_x=x + column_width,
                first_center=x + column_width / 2,
                second_center=x + column_width * 1.5,
                label_x=x + column_width,
            )
        )
    steps = sorted({0, scale_top // 2, scale_top}) if scale_top > 1 else [0, 1]
    ticks = [(step, baseline - plot_height * step / scale_top) for step in steps]
    width = left + 24 + max(len(items), 1) * group
    return PairedColumnChart(
        columns=columns,
        width=int(width),
        height=baseline + 40,
        plot_top=plot_top,
        baseline=baseline,
        column_width=column_width,
        ticks=ticks,
    )
