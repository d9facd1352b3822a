"""People pages: list with name search, a person's page, changing a person, adding an
alias, and the possible-duplicates hint the case form asks for while a name is typed."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from casework.audit import restricted_case_views_record
from casework.cases import people_possible_duplicates
from casework.filters import PersonFilter
from casework.forms import PersonAliasForm, PersonForm
from casework.models import Charge
from casework.people import person_add_alias, person_update
from casework.people_status import cases_annotate_person_rank
from casework.permissions import person_for_user, person_is_editable_by, user_sees_sensitive_fields
from casework.record_history import person_change_history
from casework.search import people_closest_first
from casework.views._conflicts import status_conflict_banners
from casework.views._listing import wants_results_fragment
from casework.visibility import cases_visible_to, people_visible_to
from common.edit_stamps import EditedMeanwhile, edit_stamp, edited_meanwhile_message
from common.pagination import request_page


def _visible_cases(user):
    return Prefetch(
        "cases",
        queryset=cases_visible_to(user).order_by("-updated_at", "-pk"),
        to_attr="visible_cases",
    )


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    filterset = PersonFilter(request.GET or None, queryset=people_visible_to(request.user))
    people = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    query = request.GET.get("q", "").strip()
    if query and filterset.is_bound and filterset.is_valid():
        people = people_closest_first(people=people, query=query)
    else:
        people = people.order_by("full_name", "pk")
    people = people.prefetch_related(_visible_cases(request.user))
    context = {
        "filter": filterset,
        "page": request_page(people, request.GET),
        "is_filtered": bool(request.GET.get("q") or request.GET.get("region")),
    }
    template = (
        "casework/people/_results.html"
        if wants_results_fragment(request)
        else "casework/people/list.html"
    )
    response = render(request, template, context)
    response.headers["Vary"] = "HX-Request, HX-History-Restore-Request"
    return response


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_for_user(request.user, pk, prefetch_related=("aliases", "affiliations"))
    # person_rank 1: the case whose status counts for the person in figures about people.
    cases = list(
        cases_annotate_person_rank(cases_visible_to(request.user).filter(person=person))
        .select_related(
            "owning_organisation", "detention_place", "assigned_caseworker", "status_event"
        )
        .prefetch_related(
            Prefetch("charges", queryset=Charge.objects.order_by("article", "part")),
            "mentions__document",
        )
        .order_by("-updated_at", "-pk")
    )
    restricted_case_views_record(user=request.user, cases=cases, via=request.path)
    mentions = [
        mention
        for case in cases
        for mention in case.mentions.all()
        if mention.state != "rejected" and mention.document.archived_at is None
    ]
    mentions.sort(key=lambda mention: mention.document.issued_on, reverse=True)
    show_sensitive = user_sees_sensitive_fields(request.user)
    conflicts, closed_conflicts = status_conflict_banners(user=request.user, person_id=person.pk)
    return render(
        request,
        "casework/people/detail.html",
        {
            "person": person,
            "cases": cases,
            "conflicts": conflicts,
            "closed_conflicts": closed_conflicts,
            "mentions": mentions,
            "alias_form": PersonAliasForm(person=person),
            "show_sensitive": show_sensitive,
            "history": person_change_history(person=person, show_sensitive=show_sensitive),
            "can_edit": person_is_editable_by(person=person, user=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_for_user(request.user, pk, for_change=True, prefetch_related=("affiliations",))
    # The form writes what was typed onto the instance while it validates; the page's
    # heading keeps the name on file until the change is saved.
    name_on_file = person.full_name
    show_sensitive = user_sees_sensitive_fields(request.user)
    form = PersonForm(request.POST or None, instance=person, show_sensitive=show_sensitive)
    # What the fields held when the form was opened (common.edit_stamps).
    stamp = (
        request.POST.get("edit_stamp", "")
        if request.method == "POST"
        else edit_stamp(instance=person, names=form.fields)
    )
    if request.method == "POST":
        if form.is_valid():
            fields = dict(form.cleaned_data)
            try:
                person_update(
                    person=person,
                    by=request.user,
                    affiliations=fields.pop("affiliations"),
                    stamp=stamp,
                    **fields,
                )
            except EditedMeanwhile as meanwhile:
                stamp = meanwhile.stamp
                form.add_error(None, edited_meanwhile_message(form=form, fields=meanwhile.fields))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("%(name)s saved.") % {"name": person.full_name})
                return redirect(person)
        messages.error(
            request, _("The person was not saved. Please correct the fields marked below.")
        )
    return render(
        request,
        "casework/people/form.html",
        {"person": person, "name_on_file": name_on_file, "form": form, "edit_stamp": stamp},
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_alias_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_for_user(request.user, pk, for_change=True)
    form = PersonAliasForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        alias = person_add_alias(
            person=person,
            name=form.cleaned_data["name"],
            kind=form.cleaned_data["kind"],
            by=request.user,
        )
        messages.success(
            request,
            _("“%(alias)s” added as another name of %(name)s.")
            % {"alias": alias.name, "name": person.full_name},
        )
        return redirect(person)
    return render(request, "casework/people/alias_form.html", {"person": person, "form": form})


@login_required
def person_similar(request: HttpRequest) -> HttpResponse:
    """A fragment for the case form: people on file whose names match what is being typed."""
    names = [request.GET.get("person-full_name", ""), request.GET.get("person-native_name", "")]
    duplicates = people_possible_duplicates(people=people_visible_to(request.user), names=names)
    # New case for one of them carries the names typed, to be kept as their other names.
    typed = {
        f"person-{name}": " ".join(value.split())[:200]
        for name, value in zip(("full_name", "native_name"), names, strict=True)
        if value.strip()
    }
    return render(
        request,
        "casework/people/_similar.html",
        {"duplicates": duplicates, "typed_query": urlencode(typed)},
    )
