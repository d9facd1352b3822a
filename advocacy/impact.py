"""What became of the people a document names: the figure advocates report to donors and MEPs.

Only cases the user may see count: a restricted case outside the user's team must not
leak through a row, a total or a chart, so every query starts from cases_visible_to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from advocacy.models import Document, Mention
from casework.models import DEAD_STATUSES, DETAINED_STATUSES, FREED_STATUSES, Case, Person, Status
from casework.status import cases_status_on
from casework.visibility import cases_visible_to


@dataclass(frozen=True)
class ImpactRow:
    person: Person
    case: Case
    mention: Mention
    status_on_document_date: str
    status_today: str
    released_on: date | None
    days_to_release: int | None
    released_since: bool

    @property
    def status_on_document_date_label(self) -> str:
        return str(Status(self.status_on_document_date).label)

    @property
    def status_today_label(self) -> str:
        return str(Status(self.status_today).label)

    @property
    def still_detained(self) -> bool:
        return self.status_today in DETAINED_STATUSES

    @property
    def died(self) -> bool:
        return self.status_today in DEAD_STATUSES


@dataclass(frozen=True)
class DocumentImpact:
    document: Document
    rows: list[ImpactRow] = field(default_factory=list)

    @property
    def named(self) -> int:
        return len({row.person.pk for row in self.rows})

    @property
    def released_since(self) -> int:
        return len({row.person.pk for row in self.rows if row.released_since})

    @property
    def still_detained(self) -> int:
        return len({row.person.pk for row in self.rows if row.still_detained})

    @property
    def died(self) -> int:
        return len({row.person.pk for row in self.rows if row.died})


@dataclass(frozen=True)
class DocumentImpactSummary:
    named: int = 0
    released_since: int = 0
    still_detained: int = 0
    died: int = 0


def visible_confirmed_mentions(*, user) -> QuerySet[Mention]:
    """Confirmed mentions of cases the user may see; proposed and rejected ones name nobody yet."""
    return Mention.objects.filter(
        state=Mention.State.CONFIRMED, case__in=cases_visible_to(user).values("pk")
    )


def _was_released_since(
    *, released_on: date | None, issued_on: date, status_then: str, status_today: str
) -> bool:
    if released_on is not None:
        return released_on >= issued_on
    # Some records carry a freed status without a release date; count them when the
    # document found the person not yet free.
    return status_today in FREED_STATUSES and status_then not in FREED_STATUSES


def document_impact(*, document: Document, user, today: date | None = None) -> DocumentImpact:
    """One row per visible named case, in three queries whatever the number of cases."""
    today = today or timezone.localdate()
    mentions = list(
        visible_confirmed_mentions(user=user)
        .filter(document=document)
        .select_related("case__person", "confirmed_by")
        .order_by("case__person__full_name", "case__reference")
    )
    from_events = cases_status_on(
        case_ids=[mention.case_id for mention in mentions], on=document.issued_on
    )
    rows = []
    for mention in mentions:
        case = mention.case
        # The current status was already in force on the document's date when it started
        # on or before it; only otherwise does the timeline need to be read.
        if case.status_since is not None and case.status_since <= document.issued_on:
            status_then = case.status
        else:
            status_then = from_events[case.pk]
        released_on = case.released_on
        days = (
            (released_on - document.issued_on).days
            if released_on and released_on >= document.issued_on
            else None
        )
        rows.append(
            ImpactRow(
                person=case.person,
                case=case,
                mention=mention,
                status_on_document_date=status_then,
                status_today=case.status,
                released_on=released_on,
                days_to_release=days,
                released_since=_was_released_since(
                    released_on=released_on,
                    issued_on=document.issued_on,
                    status_then=status_then,
                    status_today=case.status,
                ),
            )
        )
    return DocumentImpact(document=document, rows=rows)


def _people_count(*, user, condition: Q) -> Coalesce:
    """People named by the outer document, among cases the user may see, meeting condition."""
    counted = (
        visible_confirmed_mentions(user=user)
        .filter(condition, document_id=OuterRef("pk"))
        .order_by()
        .values("document_id")
        .annotate(people=Count("case__person_id", distinct=True))
        .values("people")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def documents_annotate_impact(*, documents: QuerySet[Document], user) -> QuerySet[Document]:
    """Add impact_named, impact_released_since, impact_still_detained and impact_died to
    each document, so a list reads its documents and their figures in one query.

    "Released since" counts release dates on or after the document's date; the document
    page refines it with the timeline for records that lack a release date.
    """
    return documents.annotate(
        impact_named=_people_count(user=user, condition=Q()),
        impact_released_since=_people_count(
            user=user, condition=Q(case__released_on__gte=OuterRef("issued_on"))
        ),
        impact_still_detained=_people_count(
            user=user, condition=Q(case__status__in=DETAINED_STATUSES)
        ),
        impact_died=_people_count(user=user, condition=Q(case__status__in=DEAD_STATUSES)),
    )


def document_impact_summary(document: Document) -> DocumentImpactSummary:
    """The figures of a document read through documents_annotate_impact."""
    return DocumentImpactSummary(
        named=document.impact_named,
        released_since=document.impact_released_since,
        still_detained=document.impact_still_detained,
        died=document.impact_died,
    )


def documents_impact_summary(
    *, documents: Iterable[Document], user
) -> dict[int, DocumentImpactSummary]:
    """Figures for each given document, in one query whatever the number of documents."""
    document_ids = [document.pk for document in documents]
    summaries = {document_id: DocumentImpactSummary() for document_id in document_ids}
    if not document_ids:
        return summaries
    annotated = documents_annotate_impact(
        documents=Document.objects.filter(pk__in=document_ids).only("pk", "issued_on"), user=user
    )
    for document in annotated:
        summaries[document.pk] = document_impact_summary(document)
    return summaries
