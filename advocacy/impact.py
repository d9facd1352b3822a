"""What became of the people a document names: the figure advocates report to donors and MEPs.

Only cases the user may see count: a restricted case outside the user's team must not
leak through a row, a total or a chart, so every query starts from cases_visible_to.

The table has a row per named case; the figures count people, each once, by the case
that speaks for them among all the cases the user may see (casework.people_status): a
partner's later record of a release counts, even if the document named the host's case.
"Released since" has one definition, release_date (the case's release date, or the day
a freed status began) on or after the document's date; "still detained" is
casework.models.choices.liberty_deprived. The document page, its export, the document
list and the dashboard count through the same functions, so they agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    BooleanField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models import Case as SqlCase
from django.db.models.functions import Coalesce

from advocacy.models import Document, Mention
from casework.models import (
    DEAD_STATUSES,
    FREED_STATUSES,
    Case,
    Person,
    Status,
    liberty_deprived,
    liberty_deprived_condition,
)
from casework.partial_dates import (
    Precision,
    partial_date_from,
    partial_date_of,
    partial_duration_wording,
)
from casework.people_status import (
    cases_annotate_person_rank,
    people_status_cases,
    person_speaking_case,
)
from casework.status import cases_status_on
from casework.visibility import cases_visible_to, rule_built_once


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
    # "about 3 years" where the document's or the release's date is known only to the
    # month or year (then days_to_release is None: a count of days would claim more).
    time_to_release: str = ""
    # The person's figures, from the case that speaks for them (perhaps another than
    # `case`: casework.people_status).
    person_released_since: bool = False
    person_still_detained: bool = False
    person_died: bool = False

    @property
    def status_on_document_date_label(self) -> str:
        return str(Status(self.status_on_document_date).label)

    @property
    def status_today_label(self) -> str:
        return str(Status(self.status_today).label)

    @property
    def still_detained(self) -> bool:
        """This row's case (its badge); the figures read person_case."""
        return self.case.is_detained

    @property
    def died(self) -> bool:
        return self.status_today in DEAD_STATUSES


@dataclass(frozen=True)
class DocumentImpactSummary:
    """People, each once; the impact table has a row per case, and one person may have
    several named cases (a host case and a partner's record of the same person), so
    cases_named says how many rows stand behind `named`."""

    named: int = 0
    cases_named: int = 0
    released_since: int = 0
    still_detained: int = 0
    died: int = 0


@dataclass(frozen=True)
class DocumentImpact:
    document: Document
    rows: list[ImpactRow] = field(default_factory=list)

    @property
    def summary(self) -> DocumentImpactSummary:
        return document_impact_figures(impact=self)

    @property
    def named(self) -> int:
        return self.summary.named

    @property
    def cases_named(self) -> int:
        return self.summary.cases_named

    @property
    def released_since(self) -> int:
        return self.summary.released_since

    @property
    def still_detained(self) -> int:
        return self.summary.still_detained

    @property
    def died(self) -> int:
        return self.summary.died


def document_impact_figures(*, impact: DocumentImpact) -> DocumentImpactSummary:
    """The summary figures of a document's impact table: people named, released since the
    document, still detained, died. The document page and its export both show these;
    each person counts once, by the case that speaks for them."""
    people: dict[str, set[int]] = {"named": set(), "released": set(), "detained": set()}
    people["died"] = set()
    for row in impact.rows:
        people["named"].add(row.person.pk)
        if row.person_released_since:
            people["released"].add(row.person.pk)
        if row.person_still_detained:
            people["detained"].add(row.person.pk)
        if row.person_died:
            people["died"].add(row.person.pk)
    return DocumentImpactSummary(
        named=len(people["named"]),
        cases_named=len(impact.rows),
        released_since=len(people["released"]),
        still_detained=len(people["detained"]),
        died=len(people["died"]),
    )


def visible_confirmed_mentions(*, user) -> QuerySet[Mention]:
    """Confirmed mentions of cases the user may see; proposed and rejected ones name nobody yet."""

    def build() -> QuerySet[Mention]:
        return Mention.objects.filter(
            state=Mention.State.CONFIRMED, case__in=cases_visible_to(user).values("pk")
        )

    return rule_built_once("confirmed-mentions", user, build)


def release_date(*, prefix: str = "") -> Coalesce:
    """The one rule for a case's release date (prefix "case__" from a mention): its
    recorded release date, or, for a record that carries a freed status (released,
    acquitted) without one, the day that status began. Released since a document means a
    release date on or after the document's date; a release before it is what the
    document already knew, not its outcome."""
    return Coalesce(
        F(f"{prefix}released_on"),
        SqlCase(
            When(**{f"{prefix}status__in": FREED_STATUSES}, then=F(f"{prefix}status_since")),
            default=None,
            output_field=DateField(),
        ),
        output_field=DateField(),
    )


def _time_to_release(*, document: Document, case: Case, released_on: date) -> dict[str, object]:
    """Days from the document to the release, or their wording when a date is partial."""
    released = partial_date_from(
        released_on,
        case.released_on_precision if released_on == case.released_on else Precision.DAY,
    )
    issued = partial_date_of(document, "issued_on")
    if released is None or issued is None or not (issued.is_partial or released.is_partial):
        return {"days_to_release": (released_on - document.issued_on).days}
    return {
        "days_to_release": None,
        "time_to_release": partial_duration_wording(start=issued, end=released),
    }


def _released_on_or_after(case: Case, issued_on: date) -> bool:
    """release_date, on a case already read, for the person figures."""
    if case.status not in FREED_STATUSES:
        return False
    released = case.released_on or case.status_since
    return released is not None and released >= issued_on


def _person_figures(case: Case | None, *, issued_on: date) -> dict[str, bool]:
    """ImpactRow's person_* figures from the case that speaks for the person."""
    if case is None:
        return {}
    return {
        "person_released_since": _released_on_or_after(case, issued_on),
        "person_still_detained": liberty_deprived(
            status=case.status, on_trial_in_custody=case.on_trial_in_custody
        ),
        "person_died": case.status in DEAD_STATUSES,
    }


def mentions_annotate_release(mentions: QuerySet[Mention], *, issued_on) -> QuerySet[Mention]:
    """release_date of each mention's case as `release_date`, and `released_since` the
    document (`issued_on`: its date, or OuterRef("issued_on") inside a query over
    documents)."""
    return mentions.annotate(release_date=release_date(prefix="case__")).annotate(
        released_since=ExpressionWrapper(
            Q(release_date__isnull=False, release_date__gte=issued_on),
            output_field=BooleanField(),
        )
    )


def document_impact(*, document: Document, user) -> DocumentImpact:
    """One row per visible named case, in four queries whatever the number of cases."""
    mentions = list(
        mentions_annotate_release(
            visible_confirmed_mentions(user=user).filter(document=document),
            issued_on=document.issued_on,
        )
        .select_related("case__person", "confirmed_by")
        .order_by("case__person__full_name", "case__reference")
    )
    from_events = cases_status_on(
        case_ids=[mention.case_id for mention in mentions], on=document.issued_on
    )
    person_cases = {
        case.person_id: case
        for case in people_status_cases(
            cases_visible_to(user).filter(person_id__in={m.case.person_id for m in mentions})
        ).only("pk", "person_id", "status", "status_since", "released_on", "on_trial_in_custody")
    }
    rows = []
    for mention in mentions:
        case = mention.case
        # The current status was already in force on the document's date when it started
        # on or before it; only otherwise does the timeline need to be read.
        if case.status_since is not None and case.status_since <= document.issued_on:
            status_then = case.status
        else:
            status_then = from_events[case.pk]
        released_since = bool(mention.released_since)
        rows.append(
            ImpactRow(
                person=case.person,
                case=case,
                mention=mention,
                status_on_document_date=status_then,
                status_today=case.status,
                released_on=mention.release_date,
                released_since=released_since,
                **_time_to_release(document=document, case=case, released_on=mention.release_date)
                if released_since
                else {"days_to_release": None},
                **_person_figures(person_cases.get(case.person_id), issued_on=document.issued_on),
            )
        )
    return DocumentImpact(document=document, rows=rows)


def _people_count(mentions: QuerySet[Mention]) -> Coalesce:
    """People named by the outer document among these mentions."""
    return _per_document(mentions, Count("case__person_id", distinct=True))


def _cases_count(mentions: QuerySet[Mention]) -> Coalesce:
    """Cases named by the outer document among these mentions (a mention per case)."""
    return _per_document(mentions, Count("pk"))


def _per_document(mentions: QuerySet[Mention], count: Count) -> Coalesce:
    counted = (
        mentions.filter(document_id=OuterRef("pk"))
        .order_by()
        .values("document_id")
        .annotate(counted=count)
        .values("counted")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def documents_annotate_impact(*, documents: QuerySet[Document], user) -> QuerySet[Document]:
    """Add impact_named, impact_cases_named, impact_released_since, impact_still_detained
    and impact_died to each document, so a list reads its documents and their figures in
    one query. The figures are those of document_impact_figures for the same user."""
    visible = visible_confirmed_mentions(user=user)
    # Each mention's person's speaking case, looked up person by person: ranking every
    # visible case instead would be repeated for each document and figure.
    speaking = visible.annotate(
        speaking_case=person_speaking_case(
            cases_visible_to(user), person=OuterRef("case__person_id")
        )
    )

    def people_whose_case(cases: QuerySet[Case]):
        """Mentions of people whose speaking case is among `cases`."""
        return speaking.filter(Exists(cases.filter(pk=OuterRef("speaking_case"))))

    # Two levels out: the speaking case's query, then the mentions' per-document query.
    issued_on = OuterRef(OuterRef("issued_on"))
    released = people_whose_case(
        Case.objects.filter(status__in=FREED_STATUSES)
        .annotate(released=release_date())
        .filter(released__gte=issued_on)
    )
    return documents.annotate(
        impact_named=_people_count(visible),
        impact_cases_named=_cases_count(visible),
        impact_released_since=_people_count(released),
        impact_still_detained=_people_count(
            people_whose_case(Case.objects.filter(liberty_deprived_condition()))
        ),
        impact_died=_people_count(people_whose_case(Case.objects.filter(status__in=DEAD_STATUSES))),
    )


def documents_read_impact(*, documents: QuerySet[Document], user) -> list[Document]:
    """The documents, read with documents_annotate_impact's figures, counted here from
    two queries rather than five correlated subqueries per document (which cost the
    dashboard more to build than all its other queries): the documents with the case and
    person of each of their confirmed mentions, a row per mention; then every case the
    user may see of the people named, ranked for their person (casework.people_status).
    A mention counts if its case is among those; each person counts by their first. For
    a few documents: every mention of them is read."""
    rows = documents.annotate(
        confirmed=FilteredRelation(
            "mentions", condition=Q(mentions__state=Mention.State.CONFIRMED)
        ),
        named_case_id=F("confirmed__case_id"),
        named_person_id=F("confirmed__case__person_id"),
    )
    read: dict[int, Document] = {}
    named: dict[int, list[tuple[int, int]]] = {}
    for row in rows:
        read.setdefault(row.pk, row)
        named.setdefault(row.pk, [])
        if row.named_case_id is not None:
            named[row.pk].append((row.named_case_id, row.named_person_id))
    person_ids = {person_id for pairs in named.values() for _case_id, person_id in pairs}
    visible: dict[int, Case] = {}
    if person_ids:
        ranked = cases_annotate_person_rank(cases_visible_to(user).filter(person_id__in=person_ids))
        visible = {
            case.pk: case
            for case in ranked.only(
                "pk", "person_id", "status", "status_since", "released_on", "on_trial_in_custody"
            )
        }
    speaking = {case.person_id: case for case in visible.values() if case.person_rank == 1}
    for document in read.values():
        pairs = [pair for pair in named[document.pk] if pair[0] in visible]
        people = {person_id for _case_id, person_id in pairs}
        _set_impact(document, mentions=len(pairs), cases=[speaking[pk] for pk in people])
    return list(read.values())


def _set_impact(document: Document, *, mentions: int, cases: list[Case]) -> None:
    """documents_annotate_impact's figures, from the speaking cases of the people named."""
    document.impact_named = len(cases)  # type: ignore[attr-defined]
    document.impact_cases_named = mentions  # type: ignore[attr-defined]
    document.impact_released_since = sum(  # type: ignore[attr-defined]
        _released_on_or_after(case, document.issued_on) for case in cases
    )
    document.impact_still_detained = sum(  # type: ignore[attr-defined]
        liberty_deprived(status=case.status, on_trial_in_custody=case.on_trial_in_custody)
        for case in cases
    )
    document.impact_died = sum(  # type: ignore[attr-defined]
        case.status in DEAD_STATUSES for case in cases
    )


def document_impact_summary(document: Document) -> DocumentImpactSummary:
    """The figures of a document read through documents_annotate_impact."""
    return DocumentImpactSummary(
        named=document.impact_named,
        cases_named=document.impact_cases_named,
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
