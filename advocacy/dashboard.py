"""What the dashboard shows a user, read through the visibility rule so that a case the
user may not see is never listed, counted or drawn. Figures about people count each
person once, by the case that speaks for them (casework.people_status); figures about
cases say "cases"."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from advocacy.charts import (
    HorizontalBarChart,
    PairedColumnChart,
    horizontal_bar_chart,
    paired_column_chart,
)
from advocacy.impact import (
    DocumentImpactSummary,
    document_impact_summary,
    documents_read_impact,
    visible_confirmed_mentions,
)
from advocacy.models import Document
from advocacy.visibility import documents_visible_to
from casework.models import (
    DEAD_STATUSES,
    DETAINED_STATUSES,
    FREED_STATUSES,
    Case,
    FollowUp,
    Status,
    liberty_deprived,
)
from casework.partial_dates import Precision, partial_date_of
from casework.people_status import people_status_cases
from casework.visibility import cases_visible_to

RECENT_STATUS_DAYS = 30


@dataclass(frozen=True)
class OpenFollowUp:
    follow_up: FollowUp
    days_overdue: int


@dataclass(frozen=True)
class LatestDocument:
    document: Document
    summary: DocumentImpactSummary


def status_css_class(status: str) -> str:
    if status in DETAINED_STATUSES:
        return "detained"
    if status in FREED_STATUSES:
        return "freed"
    if status in DEAD_STATUSES:
        return "dead"
    return "other"


def dashboard_open_follow_ups(*, user, today: date, limit: int = 20) -> list[OpenFollowUp]:
    """The user's open tasks, oldest due date (most overdue) first."""
    follow_ups = (
        FollowUp.objects.filter(
            assignee=user,
            status=FollowUp.State.OPEN,
        )
        # A task about no case (a promise made at a meeting) is the assignee's own.
        .filter(Q(case__isnull=True) | Q(case__in=cases_visible_to(user).values("pk")))
        .select_related("case__person")
        .order_by("due_on", "-priority", "pk")[:limit]
    )
    return [
        OpenFollowUp(follow_up=follow_up, days_overdue=max((today - follow_up.due_on).days, 0))
        for follow_up in follow_ups
    ]


def dashboard_recent_status_changes(*, user, today: date, limit: int = 15) -> QuerySet[Case]:
    since = today - timedelta(days=RECENT_STATUS_DAYS)
    return (
        cases_visible_to(user)
        .filter(status_since__gte=since)
        .select_related("person")
        .order_by("-status_since", "-pk")[:limit]
    )


@dataclass(frozen=True)
class PeopleFigures:
    chart: HorizontalBarChart
    people: int
    cases: int
    still_detained: int


def dashboard_people_by_status(*, user) -> PeopleFigures:
    """People by the status of the case that speaks for them, each once; how many cases
    stand behind them; how many are deprived of liberty in any form."""
    visible = cases_visible_to(user)
    counts: dict[str, int] = defaultdict(int)
    still_detained = 0
    for status, on_trial_in_custody, count in (
        people_status_cases(visible)
        .order_by()
        .values_list("status", "on_trial_in_custody")
        .annotate(count=Count("pk"))
    ):
        counts[status] += count
        if liberty_deprived(status=status, on_trial_in_custody=on_trial_in_custody):
            still_detained += count
    items = [
        (str(status.label), counts[status.value], status_css_class(status.value))
        for status in Status
        if counts.get(status.value)
    ]
    return PeopleFigures(
        chart=horizontal_bar_chart(items=items),
        people=sum(counts.values()),
        cases=visible.order_by().count(),
        still_detained=still_detained,
    )


def dashboard_documents(
    *, user, latest: int = 5, charted: int = 12
) -> tuple[list[Document], list[Document]]:
    """The latest documents the user sees, and the latest that name someone the user sees
    (for the chart), with their impact figures, read once for both (in two queries:
    advocacy.impact.documents_read_impact)."""
    visible = documents_visible_to(user).order_by("-issued_on", "-pk")
    naming = visible.filter(pk__in=visible_confirmed_mentions(user=user).values("document_id"))
    documents = documents_read_impact(
        documents=visible.filter(
            Q(pk__in=visible.values("pk")[:latest]) | Q(pk__in=naming.values("pk")[:charted])
        ).select_related("issuing_body"),
        user=user,
    )
    # In the same order as both lists, so each is a prefix of its kind: a document that
    # names someone the user sees has at least one visible confirmed mention.
    return documents[:latest], [doc for doc in documents if doc.impact_cases_named][:charted]


def dashboard_latest_documents(
    *, user, documents: list[Document] | None = None
) -> list[LatestDocument]:
    """`documents`: the first list of dashboard_documents, when already read."""
    if documents is None:
        documents = dashboard_documents(user=user)[0]
    return [
        LatestDocument(document=document, summary=document_impact_summary(document))
        for document in documents
    ]


def _axis_date(document: Document) -> str:
    """The document's date as far as it is known: "2016", not an invented "1 Jan 2016"."""
    issued = partial_date_of(document, "issued_on")
    if issued is None:
        return ""
    if issued.precision == Precision.YEAR:
        return str(issued.start.year)
    return str(issued)


def dashboard_named_released_chart(
    *, user, documents: list[Document] | None = None
) -> PairedColumnChart:
    """Named versus released since, for the latest documents that name someone the user
    sees (`documents`: the second list of dashboard_documents, when already read)."""
    if documents is None:
        documents = dashboard_documents(user=user)[1]
    documents = list(documents)
    documents.reverse()
    items = [
        (
            _axis_date(document),
            document.reference or str(document.issuing_body),
            _("%(title)s: %(named)d named, %(released)d released since")
            % {
                "title": document.title,
                "named": document.impact_named,
                "released": document.impact_released_since,
            },
            reverse("document_detail", args=[document.pk]),
            document.impact_named,
            document.impact_released_since,
        )
        for document in documents
    ]
    return paired_column_chart(items=items)


def dashboard_context(*, user, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    latest, charted = dashboard_documents(user=user)
    return {
        "today": today,
        "open_follow_ups": dashboard_open_follow_ups(user=user, today=today),
        "recent_status_changes": dashboard_recent_status_changes(user=user, today=today),
        "recent_status_days": RECENT_STATUS_DAYS,
        "people_figures": dashboard_people_by_status(user=user),
        "latest_documents": dashboard_latest_documents(user=user, documents=latest),
        "named_released_chart": dashboard_named_released_chart(user=user, documents=charted),
    }
