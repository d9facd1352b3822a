"""Counting people, not cases: which of a person's cases speaks for them in a figure.

A person may have cases held by several organisations (the host's, a partner's). A figure
about people (the dashboard's, a document's impact, an export that speaks of people)
counts each person once, by the case whose status is the most recent by its date among
the cases the viewer may see: a dated status before an undated one, a known status
before "unknown", then the case recorded last. "Still detained" is
casework.models.choices.liberty_deprived of that case. Figures about cases count cases
and say so. When the cases disagree, casework.conflicts shows it.
"""

from __future__ import annotations

from django.db.models import Case as SqlCase
from django.db.models import F, OuterRef, QuerySet, Subquery, Value, When, Window
from django.db.models.functions import RowNumber

from casework.models import Case, Status

# The order of a person's cases, the one that speaks for them first.
PERSON_STATUS_ORDER = (
    F("status_since").desc(nulls_last=True),
    SqlCase(When(status=Status.UNKNOWN, then=Value(1)), default=Value(0)).asc(),
    F("pk").desc(),
)


def cases_annotate_person_rank(cases: QuerySet[Case]) -> QuerySet[Case]:
    """`person_rank` on each case: 1 for the case that speaks for its person among
    `cases` (those the viewer may see)."""
    return cases.annotate(
        person_rank=Window(
            RowNumber(), partition_by=[F("person_id")], order_by=list(PERSON_STATUS_ORDER)
        )
    )


def people_status_cases(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Among `cases` (those the viewer may see, as cases_visible_to gives them), the one
    case per person that speaks for them. Filter and count the result as cases: each is
    one person."""
    # person_rank is the window annotation below (mypy's Django plugin cannot see it).
    ranked = cases_annotate_person_rank(cases).filter(**{"person_rank": 1})
    # Filtered again from outside: a condition added to `ranked` itself would be applied
    # before the ranking and pick another case.
    return Case.objects.filter(pk__in=ranked.values("pk"))


def person_speaking_case(cases: QuerySet[Case], *, person: OuterRef) -> Subquery:
    """The pk of the case that speaks for one person (`person`: an OuterRef to their id)
    among `cases`, for a query that asks person by person: an index lookup on the person's
    few cases rather than ranking every visible case (people_status_cases), which a
    correlated query would repeat for each of its rows."""
    return Subquery(cases.filter(person_id=person).order_by(*PERSON_STATUS_ORDER).values("pk")[:1])
