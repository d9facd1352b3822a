"""Case pages: list (filters, sort, export), page, create, edit. The timeline's pages (status
change, events) are casework.views.timeline."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from casework import cases as case_writes
from casework.audit import case_record_view, restricted_case_views_record
from casework.cases import (
    case_create_for_new_person,
    case_edit_stamp,
    case_update,
    people_possible_duplicates,
)
from casework.exports import cases_export_rows, csv_stream, xlsx_bytes
from casework.filters import CASE_SORT_FIELDS, CaseFilter
from casework.followups import case_follow_ups_for, user_today
from casework.forms import (
    CaseForm,
    InitialStatusForm,
    NewPersonForm,
    PersonChoiceForm,
)
from casework.history import case_change_history
from casework.models import Case, CaseEvent, Charge, Confidentiality, FollowUp, Person, Status
from casework.partial_dates import Precision, partial_date_format
from casework.people import person_typed_names_new
from casework.permissions import (
    case_for_user,
    case_is_editable_by,
    membership_for_user,
    person_for_user,
    person_is_editable_by,
    user_may_archive,
    user_sees_sensitive_fields,
)
from casework.status import case_timeline_and_removed
from casework.views._conflicts import status_conflict_banners
from casework.views._listing import sort_links, wants_results_fragment
from casework.views._typed_names import NAMES_NOT_KEPT, typed_names, typed_names_new
from casework.visibility import case_is_visible_to, cases_visible_to, people_visible_to
from common.edit_stamps import EditedMeanwhile, edited_meanwhile_message
from common.lookups import id_from
from common.pagination import Page, query_without, request_page
from common.text import quoted


def _filtered_cases(request: HttpRequest) -> tuple[CaseFilter, QuerySet[Case]]:
    filterset = CaseFilter(
        request.GET or None, queryset=cases_visible_to(request.user), request=request
    )
    cases = filterset.qs if filterset.is_bound else filterset.queryset
    if filterset.is_bound and not filterset.is_valid():
        cases = cases.none()
    # Always a total order, so pages never repeat or skip a row; the primary key runs the
    # same way as the first column, so one index (case_recent_first_idx) serves both
    # directions of the default sort.
    ordering = [term for term in cases.query.order_by] or ["-updated_at"]
    tiebreak = "-pk" if str(ordering[0]).startswith("-") else "pk"
    return filterset, cases.order_by(*ordering, tiebreak)


@dataclass(frozen=True)
class CaseListRow:
    """One line of the case list with every value already formatted: the list draws 50 of
    these on every request, and resolving model attributes, choice labels, URLs and date
    filters in the template was most of its cost (measured in bench_case_list)."""

    url: str
    reference: str
    status: str
    status_label: str
    restricted: bool
    status_since: str
    charges: str
    detained_on: str
    person_url: str
    person_name: str
    native_name: str
    region: str
    organisation: str


_URL_ID_PLACEHOLDER = 2_147_483_647


def _url_maker(name: str):
    """A function from id to URL that reverses the pattern once rather than once a row."""
    before, after = reverse(name, args=[_URL_ID_PLACEHOLDER]).split(str(_URL_ID_PLACEHOLDER))
    return lambda pk: f"{before}{pk}{after}"


@functools.lru_cache(maxsize=8)
def _list_labels(language: str | None) -> tuple[dict[int, str], dict[str, str]]:
    """Month abbreviations and status labels in the given language. Translating them was
    two dozen gettext calls on every request to the list; they change only with the
    language (nothing here comes from a case or a user)."""
    # The month as the language's short date writes it: Jan, янв., қаң.
    short = get_format("SHORT_DATE_FORMAT", lang=language)
    letter = next((character for character in short if character in "bMNEF"), "M")
    months = {
        number: dateformat.format(datetime.date(2000, number, 1), letter) for number in range(1, 13)
    }
    return months, {value: str(label) for value, label in Status.choices}


def _date_maker(months: dict[int, str]):
    """Dates as the "j M Y" date filter writes them. Day and month are joined by a no-break
    space, so a narrow column wraps "10 Jan / 2024" rather than putting each word on a line
    of its own."""
    return lambda value: f"{value.day}\u00a0{months[value.month]} {value.year}" if value else "—"


_CASE_LIST_COLUMNS = (
    "pk",
    "reference",
    "status",
    "confidentiality",
    "status_since",
    "detained_on",
    "detained_on_precision",
    "person_id",
    "person__full_name",
    "person__native_name",
    "person__region",
    "owning_organisation__name",
)


def _case_list_page(cases: QuerySet[Case], *, query: QueryDict) -> Page:
    """A page of CaseListRow, in two queries (the cases, then their charges)."""
    page = request_page(cases.values_list(*_CASE_LIST_COLUMNS), query)
    through = Case.charges.through
    charges: dict[int, list[str]] = {}
    # Translated once per page, not once per charge.
    with_part, without_part = gettext("art. %(article)s(%(part)s)"), gettext("art. %(article)s")
    for case_id, article, part in (
        through.objects.filter(case_id__in=[row[0] for row in page.rows])
        .order_by("charge__article", "charge__part")
        .values_list("case_id", "charge__article", "charge__part")
    ):
        charges.setdefault(case_id, []).append(
            (with_part if part else without_part) % {"article": article, "part": part}
        )
    months, status_labels = _list_labels(get_language())
    case_url, person_url, date = (
        _url_maker("case_detail"),
        _url_maker("person_detail"),
        _date_maker(months),
    )
    page.rows = [
        CaseListRow(
            url=case_url(pk),
            reference=reference,
            status=status,
            status_label=status_labels.get(status, status),
            restricted=confidentiality == Confidentiality.RESTRICTED,
            status_since=date(status_since),
            charges=", ".join(charges.get(pk, ())) or "—",
            # A partial date reads "in 2018" or "March 2019", never an invented first day.
            detained_on=date(detained_on)
            if detained_precision == Precision.DAY
            else partial_date_format(detained_on, detained_precision),
            person_url=person_url(person_id),
            person_name=full_name,
            native_name=native_name,
            region=region or "—",
            organisation=organisation,
        )
        for (
            pk,
            reference,
            status,
            confidentiality,
            status_since,
            detained_on,
            detained_precision,
            person_id,
            full_name,
            native_name,
            region,
            organisation,
        ) in page.rows
    ]
    return page


@dataclass(frozen=True)
class DocumentFilterChip:
    """The "named in this document" filter, shown in the filter form as a ticked box with
    the document's title: people arrive at it from a document's page, not from the form."""

    id: int
    url: str
    title: str


def _document_filter(filterset: CaseFilter) -> DocumentFilterChip | None:
    chosen = filterset.chosen_document()
    if chosen is None:
        return None
    document_id, title = chosen
    return DocumentFilterChip(
        id=document_id,
        url=reverse("document_detail", args=[document_id]),
        title=title or f"document #{document_id}",
    )


# The filters folded under "More filters" in the case list (a phone shows how many are on).
MORE_FILTERS = (
    "status",
    "article",
    "region",
    "affiliation",
    "organisation",
    "concern",
    "detained_from",
    "detained_to",
    "mentioned",
    "overdue",
    "caseworker",
)


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    filterset, cases = _filtered_cases(request)
    page = _case_list_page(cases, query=request.GET)
    context = {
        "filter": filterset,
        "page": page,
        "sort": sort_links(request.GET, names=[name for _key, name in CASE_SORT_FIELDS]),
        # The export keeps the sort, so the file lists the cases in the order on screen.
        "export_query": query_without(request.GET, "page"),
        "is_filtered": any(
            value for key, value in request.GET.items() if key not in ("page", "sort")
        ),
        "document_filter": _document_filter(filterset),
        "more_filters_in_use": sum(1 for name in MORE_FILTERS if any(request.GET.getlist(name))),
    }
    template = (
        "casework/cases/_results.html"
        if wants_results_fragment(request)
        else "casework/cases/list.html"
    )
    response = render(request, template, context)
    response.headers["Vary"] = "HX-Request, HX-History-Restore-Request"
    return response


def _export_filename(extension: str) -> str:
    return f"cases-{timezone.localtime():%Y%m%d-%H%M}.{extension}"


def _exported_cases(request: HttpRequest) -> QuerySet[Case]:
    _filter, cases = _filtered_cases(request)
    # Every restricted case in the file is logged, in one statement, before it is written.
    restricted_case_views_record(user=request.user, cases=cases, via=request.get_full_path())
    return cases


@login_required
def case_export_csv(request: HttpRequest) -> StreamingHttpResponse:
    cases = _exported_cases(request)
    rows = cases_export_rows(
        cases=cases, include_sensitive=user_sees_sensitive_fields(request.user)
    )
    response = StreamingHttpResponse(csv_stream(rows), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{_export_filename("csv")}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@login_required
def case_export_xlsx(request: HttpRequest) -> HttpResponse:
    cases = _exported_cases(request)
    rows = cases_export_rows(
        cases=cases, include_sensitive=user_sees_sensitive_fields(request.user)
    )
    response = HttpResponse(
        xlsx_bytes(rows, sheet_title=gettext("Cases")),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{_export_filename("xlsx")}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    show_sensitive = user_sees_sensitive_fields(request.user)
    case = case_for_user(
        request.user,
        pk,
        select_related=(
            "person",
            "owning_organisation",
            "assigned_caseworker",
            "detention_place",
            "created_by",
        ),
        prefetch_related=(
            "person__aliases",
            "person__affiliations",
            Prefetch("charges", queryset=Charge.objects.order_by("article", "part")),
        ),
    )
    case_record_view(case=case, user=request.user, path=request.path)
    # The timeline and the removed entries in one query, split here.
    rows = CaseEvent.all_objects.filter(case=case).select_related("created_by", "removed_by")
    if not show_sensitive:
        # An event's source names who told us (a relative, a lawyer, a cellmate): as
        # sensitive as the case's own sources, so it is not even read for partner users.
        rows = rows.defer("source")
    events, removed = case_timeline_and_removed(case=case, events=rows)
    conflicts, _closed = status_conflict_banners(
        user=request.user, person_id=case.person_id, case_id=case.pk
    )
    # A conflict's banner shows the other case too: a restricted one is logged.
    restricted_case_views_record(
        user=request.user,
        cases=[side.case for banner in conflicts for side in banner.sides if side.case != case],
        via=request.path,
    )
    mentions = (
        case.mentions.select_related("document")
        .exclude(state="rejected")
        .filter(document__archived_at__isnull=True)
        .order_by("-document__issued_on")
    )
    # Open tasks first, soonest due first; done and cancelled ones after them.
    closed = ExpressionWrapper(~Q(status=FollowUp.State.OPEN), output_field=BooleanField())
    follow_ups = (
        case_follow_ups_for(case=case, user=request.user)
        .select_related("assignee")
        .order_by(closed, "due_on")
    )
    return render(
        request,
        "casework/cases/detail.html",
        {
            "case": case,
            "person": case.person,
            "events": events,
            "removed_events": removed,
            "conflicts": conflicts,
            "may_remove_events": user_may_archive(request.user),
            "mentions": mentions,
            "follow_ups": follow_ups,
            "today": user_today(request.user),
            "open_state": FollowUp.State.OPEN,
            "cancelled_state": FollowUp.State.CANCELLED,
            "history": case_change_history(case=case, show_sensitive=show_sensitive),
            "show_sensitive": show_sensitive,
            "can_edit": case_is_editable_by(case=case, user=request.user),
        },
    )


def _case_to_change(request: HttpRequest, pk: int) -> Case:
    """The case, fetched for change (casework.permissions); the edit, status and event
    pages show it too, so a restricted one is logged."""
    case = case_for_user(request.user, pk, for_change=True, select_related=("person",))
    restricted_case_views_record(user=request.user, cases=[case], via=request.path)
    return case


POSSIBLE_DUPLICATE = _(
    "This person may already be on file. Choose them, or confirm that this is a new person."
)


def _person_chosen(
    *, person_form: NewPersonForm, choice_form: PersonChoiceForm, people: QuerySet[Person]
) -> tuple[bool, Person | None, list]:
    """Whether the person part of New case is complete, the person picked (None for a new
    one) and, for a new name that matches people on file, those people: the user must
    then pick one of them or confirm a new person."""
    choice = choice_form.cleaned_data["person_choice"]
    if choice == PersonChoiceForm.NEW:
        return person_form.is_valid(), None, []
    if choice:
        return True, choice, []
    if not person_form.is_valid():
        return False, None, []
    names = [person_form.cleaned_data["full_name"], person_form.cleaned_data.get("native_name", "")]
    duplicates = people_possible_duplicates(people=people, names=names)
    return not duplicates, None, duplicates


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    membership = membership_for_user(request.user)
    show_sensitive = user_sees_sensitive_fields(request.user)
    people = people_visible_to(request.user)
    chosen_id = id_from(request.GET.get("person"))
    fixed_person = person_for_user(request.user, chosen_id) if chosen_id else None
    data = request.POST if request.method == "POST" else None
    case_form = CaseForm(data, user=request.user, show_sensitive=show_sensitive)
    status_form = InitialStatusForm(data, today=user_today(request.user))
    person_form = (
        None
        if fixed_person
        else NewPersonForm(
            data, initial=NewPersonForm.initial_for_name(request.GET.get("name", ""))
        )
    )
    # New case for someone found by a name typed first (casework/people/_similar.html):
    # the names typed come along, to be kept as their other names.
    typed_form = NewPersonForm(data or request.GET) if fixed_person else None
    choice_form = PersonChoiceForm(data, people=people)
    duplicates = []

    if request.method == "POST":
        forms_valid = case_form.is_valid() & status_form.is_valid() & choice_form.is_valid()
        person = fixed_person
        if fixed_person is None and forms_valid:
            forms_valid, person, duplicates = _person_chosen(
                person_form=person_form, choice_form=choice_form, people=people
            )
            if duplicates:
                messages.warning(request, POSSIBLE_DUPLICATE)
        if forms_valid:
            case_fields = {
                "organisation": membership.organisation,
                "by": request.user,
                "status": status_form.cleaned_data["status"],
                "status_since": status_form.cleaned_data["status_since"],
                "status_source": status_form.cleaned_data["status_source"],
                "charges": case_form.cleaned_data["charges"],
                **{
                    name: value
                    for name, value in case_form.cleaned_data.items()
                    if name != "charges"
                },
            }
            return _case_recorded(
                request,
                person=person,
                person_form=person_form or typed_form,
                case_fields=case_fields,
            )
        if not duplicates and any(
            form is not None and form.errors
            for form in (case_form, status_form, person_form, choice_form)
        ):
            messages.error(
                request, gettext("The case was not saved. Please correct the fields marked below.")
            )

    return render(
        request,
        "casework/cases/form.html",
        {
            "case_form": case_form,
            "status_form": status_form,
            "person_form": person_form,
            "choice_form": choice_form,
            "fixed_person": fixed_person,
            "typed_form": typed_form,
            "typed_names": typed_names_new(request, typed_form, fixed_person),
            "duplicates": duplicates,
            "is_new": True,
            "organisation": membership.organisation,
        },
    )


def _case_recorded(request: HttpRequest, *, person, person_form, case_fields: dict) -> HttpResponse:
    """The case written (for the person chosen, or a new one), said, and shown: on its page,
    or on the list when the user may not open it."""
    added: list[str] = []
    not_kept: list[tuple[str, str]] = []
    if person is None:
        case = case_create_for_new_person(person_fields=person_form.cleaned_data, **case_fields)
    else:
        typed = typed_names(person_form)
        editable = person_is_editable_by(person=person, user=request.user)
        case, added = case_writes.case_create_for_person_on_file(
            person=person, typed_names=typed if editable else None, **case_fields
        )
        if typed and not editable:
            not_kept = person_typed_names_new(person=person, **typed)
    messages.success(
        request,
        _("Case %(reference)s for %(name)s created.")
        % {"reference": case.reference, "name": case.person.full_name},
    )
    if not_kept:
        messages.info(
            request,
            NAMES_NOT_KEPT
            % {
                "names": ", ".join(quoted(name) for name, _kind in not_kept),
                "name": case.person.full_name,
                "organisation": case.person.owning_organisation.name,
            },
        )
    if added:
        messages.info(
            request,
            _("Kept among the other names of %(name)s: %(names)s.")
            % {"name": case.person.full_name, "names": ", ".join(quoted(name) for name in added)},
        )
    if not case_is_visible_to(case=case, user=request.user):
        # Restricted to a team without its writer: its page would answer 404, and the
        # writer would take the case for unsaved and record it again.
        messages.info(
            request,
            _(
                "It is restricted to its team, which does not include you, so you "
                "cannot open it; its team and your coordinators can."
            ),
        )
        return redirect("case_list")
    return redirect(case)


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_to_change(request, pk)
    form = CaseForm(
        request.POST or None,
        instance=case,
        user=request.user,
        show_sensitive=user_sees_sensitive_fields(request.user),
    )
    # What the fields held when the form was opened, carried by the page: a save over
    # someone else's change since is refused rather than silently undoing it.
    stamp = (
        request.POST.get("edit_stamp", "")
        if request.method == "POST"
        else case_edit_stamp(case=case, names=form.fields)
    )
    if request.method == "POST":
        if form.is_valid():
            fields = dict(form.cleaned_data)
            try:
                case_update(
                    case=case, by=request.user, charges=fields.pop("charges"), stamp=stamp, **fields
                )
            except EditedMeanwhile as meanwhile:
                stamp = meanwhile.stamp
                form.add_error(None, edited_meanwhile_message(form=form, fields=meanwhile.fields))
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(
                    request, _("Case %(reference)s saved.") % {"reference": case.reference}
                )
                return redirect(case)
        messages.error(
            request, _("The case was not saved. Please correct the fields marked below.")
        )
    return render(
        request,
        "casework/cases/form.html",
        {
            "case_form": form,
            "case": case,
            "fixed_person": case.person,
            "is_new": False,
            "edit_stamp": stamp,
        },
    )
