"""The case list's filters. They live in the query string, so a filtered list is a URL
that can be bookmarked and shared; the export reads the same FilterSet, so it contains
exactly what the list shows."""

from __future__ import annotations

import copy
import functools
from typing import Any

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet, Value
from django.http import HttpRequest, QueryDict
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from casework.followups import follow_ups_of_own_organisation, user_today
from casework.models import Affiliation, Case, FollowUp, Person, Role, Status
from casework.search import cases_matching_name, people_matching_name, person_ids_matching_name
from casework.visibility import AnyUser, organisations_visible_to, user_membership
from common.lookups import ID_MAX

_CASE_FIELDS = {field.name: field for field in Case._meta.concrete_fields}
CONCERN_CHOICES = [
    (name, capfirst(_CASE_FIELDS[name].verbose_name)) for name in Case.CONCERN_FIELDS
]

# Only these columns may be sorted on; the URL names them, the database sorts by them.
CASE_SORT_FIELDS = (
    ("reference", "reference"),
    ("person__full_name", "name"),
    ("status", "status"),
    ("status_since", "status_since"),
    ("detained_on", "detained"),
    ("person__region", "region"),
    ("updated_at", "updated"),
)


def _request_user(request: HttpRequest | None) -> AnyUser:
    """The request's user; a filter built without a request (a test, a shell) sees nothing."""
    return request.user if request is not None else AnonymousUser()


class _DateInput(forms.DateInput):
    input_type = "date"


def _caseworker_choices(request) -> QuerySet:
    membership = user_membership(_request_user(request))
    users = get_user_model().objects.order_by("first_name", "last_name", "username")
    if membership is None:
        return users.none()
    # Only colleagues: another organisation's staff list is not the user's to browse.
    return users.filter(
        membership__organisation_id=membership.organisation_id,
        membership__role__in=[Role.CASEWORKER, Role.COORDINATOR, Role.ADMIN],
        is_active=True,
    )


def _select_choices(request) -> dict[str, list[tuple[int, str]]]:
    """The options of the form's three lists that come from the database (affiliations, the
    organisations the user may name, their colleagues), each in its own order, in one
    query: a UNION of the three rather than three round trips on every page."""

    def text(value: str) -> Value:
        return Value(value, output_field=CharField())

    # Each row: the list it belongs to, the id, then the three values the list's label
    # is made of, which are also what the list is sorted by.
    columns = ("list", "pk", "first", "second", "third")
    affiliations = Affiliation.objects.annotate(
        list=text("affiliation"), first=F("name"), second=F("short_name"), third=text("")
    ).values_list(*columns)
    organisations = (
        # A partner learns no other partner's name from the form: the visibility rule's list.
        organisations_visible_to(_request_user(request))
        .annotate(list=text("organisation"), first=F("name"), second=text(""), third=text(""))
        .values_list(*columns)
    )
    caseworkers = (
        _caseworker_choices(request)
        .annotate(
            list=text("caseworker"),
            first=F("first_name"),
            second=F("last_name"),
            third=F("username"),
        )
        .values_list(*columns)
    )
    choices: dict[str, list[tuple[int, str]]] = {
        "affiliation": [],
        "organisation": [],
        "caseworker": [],
    }
    for kind, pk, first, second, third in (
        affiliations.order_by()
        .union(organisations.order_by(), caseworkers.order_by(), all=True)
        .order_by("list", "first", "second", "third")
    ):
        if kind == "affiliation":
            label = second or first  # the short name where there is one
        elif kind == "caseworker":
            label = f"{first} {second}".strip() or third
        else:
            label = first
        choices[kind].append((pk, label))
    return choices


def _filter_for_one_filterset(filter_: django_filters.Filter) -> django_filters.Filter:
    """A copy of a declared filter for one FilterSet. What a FilterSet changes on its
    filters is their parent, model and extra (the choices of the user's organisations and
    colleagues), and the form field built from extra: a shallow copy with an extra of its
    own and no field yet keeps all of that to itself, without deep-copying the widgets and
    choice lists every filter holds."""
    copied = copy.copy(filter_)
    copied.extra = dict(filter_.extra)
    copied.__dict__.pop("_field", None)
    if filter_.method is not None:
        # A filter with a method filters through a FilterMethod bound to the filter it was
        # made for; setting the method again binds a new one to the copy, so the copy finds
        # the method on its own FilterSet and never on another request's.
        copied.method = filter_.method
    return copied


class IdFilter(django_filters.NumberFilter):
    """A row's id in the URL: a whole number in the range a database holds. A bare
    NumberFilter took "-4.2e+67" and crashed the query with the driver's overflow (found
    by the API's Schemathesis run) instead of refusing it with the form's message."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)


class _OwnFieldsForm(forms.Form):
    """The form of a FilterSet below. FilterSet.get_form_class makes a class for each
    FilterSet from form fields built for that FilterSet alone, so the deep copy of them
    that Form.__init__ makes for every form is work for nothing."""

    def __init__(self, *args, **kwargs):
        own_fields, self.base_fields = self.base_fields, {}
        super().__init__(*args, **kwargs)
        self.fields = self.base_fields = own_fields


class _PerRequestFilterSet(django_filters.FilterSet):
    """A FilterSet made for every request for less: the case list builds one on every
    request, and deep-copying its filters, and then its form's fields, was a tenth of the
    list's Python time (bench_case_list)."""

    class Meta:
        form = _OwnFieldsForm

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # django-filter's FilterSet.__init__, with each filter copied for this FilterSet by
        # _filter_for_one_filterset rather than by copy.deepcopy.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {
            name: _filter_for_one_filterset(filter_) for name, filter_ in self.base_filters.items()
        }
        for filter_ in self.filters.values():
            filter_.model = queryset.model
            filter_.parent = self


class CaseFilter(_PerRequestFilterSet):
    # The placeholder is short enough for the narrow filter column; the help text explains.
    q = django_filters.CharFilter(
        label=_("Name or reference"),
        method="filter_name",
        help_text=_(
            "Any spelling or script: Zhumagulov, Jumagulov and Жумагулов find the same person."
        ),
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. Жумагулов")}),
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=Status.choices,
        distinct=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
    )
    # By id, for links from a charge's page; the form offers the article box instead, so
    # the list page does not load the whole charge vocabulary on every request.
    charge = IdFilter(field_name="charges", label=_("Charge"), widget=forms.HiddenInput)
    article = django_filters.CharFilter(
        label=_("Charge (article)"),
        method="filter_article",
        help_text=_("E.g. 174 or 405"),
    )
    region = django_filters.CharFilter(
        label=_("Region"), field_name="person__region", lookup_expr="iexact"
    )
    # Plain choice lists filled in __init__: one small query each, and no server-side
    # cursor per select as ModelChoiceField's iterator would open on PostgreSQL.
    affiliation = django_filters.ChoiceFilter(
        label=_("Affiliation"),
        field_name="person__affiliations",
        empty_label=_("Any affiliation"),
    )
    organisation = django_filters.ChoiceFilter(
        label=_("Owning organisation"),
        field_name="owning_organisation_id",
        empty_label=_("Any organisation"),
    )
    concern = django_filters.MultipleChoiceFilter(
        label=_("Concerns"),
        choices=CONCERN_CHOICES,
        method="filter_concerns",
        distinct=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-list"}),
    )
    detained_from = django_filters.DateFilter(
        label=_("Detained from"), field_name="detained_on", lookup_expr="gte", widget=_DateInput()
    )
    detained_to = django_filters.DateFilter(
        label=_("Detained until"), field_name="detained_on", lookup_expr="lte", widget=_DateInput()
    )
    document = IdFilter(
        label=_("Mentioned in document"), method="filter_document", widget=forms.HiddenInput
    )
    mentioned = django_filters.BooleanFilter(
        label=_("Named in a document"),
        method="filter_mentioned",
        widget=forms.Select(choices=[("", _("Either")), ("true", _("Yes")), ("false", _("No"))]),
    )
    overdue = django_filters.BooleanFilter(
        label=_("Has an overdue follow-up"),
        method="filter_overdue",
        widget=forms.Select(choices=[("", _("Either")), ("true", _("Yes")), ("false", _("No"))]),
    )
    caseworker = django_filters.ChoiceFilter(
        label=_("Assigned caseworker"),
        field_name="assigned_caseworker_id",
        empty_label=_("Anyone"),
    )
    sort = django_filters.OrderingFilter(fields=CASE_SORT_FIELDS, widget=forms.HiddenInput)

    class Meta(_PerRequestFilterSet.Meta):
        model = Case
        fields: list[str] = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # Functions rather than lists, and one query for the three: the choices are read
        # only to draw the form or to check a value given for one of these filters, and
        # the results fragment htmx asks for on every keystroke in the name box draws no form.
        choices = functools.cache(lambda: _select_choices(request))
        for name in ("affiliation", "organisation", "caseworker"):
            self.filters[name].extra["choices"] = functools.partial(
                lambda name: choices()[name], name
            )

    def filter_name(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        value = value.strip()
        if not value:
            return queryset
        if len(value.split()) > 1:
            # A reference is one word: several words are a name, matched on the name keys
            # alone, which lets the database drive the query from the name index
            # (measured in bench_case_list).
            return queryset.filter(person_id__in=person_ids_matching_name(query=value))
        return cases_matching_name(cases=queryset, query=value)

    def filter_article(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        value = value.strip().removeprefix("art.").strip()
        if not value:
            return queryset
        # A case may carry several parts of one article; Exists avoids duplicate rows.
        through = Case.charges.through
        return queryset.filter(
            Exists(through.objects.filter(case_id=OuterRef("pk"), charge__article__iexact=value))
        )

    def filter_concerns(
        self, queryset: QuerySet[Case], name: str, value: list[str]
    ) -> QuerySet[Case]:
        condition = Q()
        for concern in value:
            if concern in Case.CONCERN_FIELDS:
                condition &= Q(**{concern: True})
        return queryset.filter(condition)

    def filter_document(self, queryset: QuerySet[Case], name: str, value) -> QuerySet[Case]:
        if value is None:
            return queryset
        return queryset.filter(pk__in=_cases_named_in(document_id=int(value)))

    def filter_mentioned(self, queryset: QuerySet[Case], name: str, value) -> QuerySet[Case]:
        if value is None:
            return queryset
        named = _cases_named_in()
        return queryset.filter(pk__in=named) if value else queryset.exclude(pk__in=named)

    def chosen_document(self) -> tuple[int, str | None] | None:
        """The document the list is narrowed to, as (id, title), for the filter form to
        show it. The title is read through the cases the user may see, so it is never more
        than their case pages already show; None when none of its cases is visible."""
        if not self.is_bound or not self.is_valid():
            return None
        document_id = self.form.cleaned_data.get("document")
        if document_id is None:
            return None
        title = (
            self.queryset.filter(_named_in(document_id=int(document_id)))
            .values_list("mentions__document__title", flat=True)
            .first()
        )
        return int(document_id), title

    def filter_overdue(self, queryset: QuerySet[Case], name: str, value) -> QuerySet[Case]:
        if value is None:
            return queryset
        # The tasks the case page lists (the user's organisation's), so a case found here
        # shows its overdue task, and another organisation's tasks stay its own.
        overdue = Exists(
            follow_ups_of_own_organisation(user=_request_user(self.request)).filter(
                case_id=OuterRef("pk"),
                status=FollowUp.State.OPEN,
                due_on__lt=user_today(_request_user(self.request)),
            )
        )
        return queryset.filter(overdue if value else ~overdue)


def _cases_named_in(*, document_id: int | None = None) -> QuerySet[Case, Any]:
    """Ids of cases a document names, for both "Named in a document" and "Mentioned in
    document": confirmed mentions only, of documents not archived. A proposed mention is
    detection's guess that nobody has checked yet (relatives share surnames), and the
    impact table counts only confirmed ones; the list and the document page must agree.

    Mention is advocacy's model; casework reaches it only through Case.mentions. One
    filter() call, so every condition holds for the same mention."""
    return Case.objects.filter(_named_in(document_id=document_id)).values("pk")


def _named_in(*, document_id: int | None = None) -> Q:
    condition = Q(mentions__state="confirmed", mentions__document__archived_at__isnull=True)
    if document_id is not None:
        condition &= Q(mentions__document_id=document_id)
    return condition


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name"),
        method="filter_name",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Any spelling or script")}
        ),
    )
    region = django_filters.CharFilter(label=_("Region"), field_name="region", lookup_expr="iexact")

    class Meta:
        model = Person
        fields: list[str] = []

    def filter_name(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        if not value.strip():
            return queryset
        return people_matching_name(people=queryset, query=value)
