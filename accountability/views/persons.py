"""Responsible-person pages: the list with search, the person's page (every case they
touched), recording and editing them, their other names, identifiers and positions.

Every record is fetched through accountability.permissions (404 when not the user's to
see); every page that shows a person logs it (accountability.audit).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accountability import persons as person_writes
from accountability.audit import dossier_access_log, dossier_access_record
from accountability.detection import person_named_in_documents
from accountability.forms import (
    AliasForm,
    DossierForm,
    IdentifierForm,
    PositionForm,
    ResponsiblePersonForm,
)
from accountability.models import DossierAccess, ResponsiblePerson
from accountability.permissions import (
    position_for_user,
    require_responsible_person_recorder,
    responsible_person_for_user,
    user_may_record_responsible_persons,
)
from accountability.roles import person_case_roles
from accountability.submissions import person_submission_follow_ups, person_submissions
from accountability.views._forms import apply_errors, form_page
from accountability.visibility import responsible_persons_visible_to
from casework.permissions import membership_for_user
from casework.visibility import cases_visible_to
from common.forms import NotADuplicateForm
from common.pagination import request_page

PAGE_SIZE = 25
POSSIBLE_DUPLICATE_PERSON = gettext_lazy(
    "This person may already be on file. Check the responsible persons listed below; if "
    "this is someone else, confirm it and save again."
)
ACCESS_LOG_LIMIT = 20


@login_required
def responsible_person_list(request):
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    persons = responsible_persons_visible_to(request.user)
    if query:
        persons = person_writes.responsible_persons_matching_name(persons=persons, query=query)
    if kind in ResponsiblePerson.Kind.values:
        persons = persons.filter(kind=kind)
    # Roles on cases the reader may see, as the person's page counts them: a role on a
    # restricted case outside their reach is neither shown nor counted.
    visible_roles = Q(case_roles__case__in=cases_visible_to(request.user).values("pk"))
    persons = persons.annotate(
        role_count=Count("case_roles", filter=visible_roles, distinct=True)
    ).order_by("name", "pk")
    page = request_page(persons, request.GET, size=PAGE_SIZE)
    return render(
        request,
        "accountability/person_list.html",
        {
            "page": page,
            "query": query,
            "kind": kind,
            "kinds": ResponsiblePerson.Kind.choices,
            "may_record": user_may_record_responsible_persons(request.user),
        },
    )


@login_required
def responsible_person_detail(request, pk: int):
    person = responsible_person_for_user(request.user, pk)
    roles = list(person_case_roles(person=person, user=request.user))
    dossier_access_record(
        person=person,
        user=request.user,
        action=DossierAccess.Action.VIEW,
        path=request.path,
        cases=[role.case for role in roles],
    )
    cases = list({role.case_id: role.case for role in roles}.values())
    return render(
        request,
        "accountability/person_detail.html",
        {
            "person": person,
            "roles": roles,
            "cases": cases,
            "aliases": person.aliases.all(),
            "identifiers": person.identifiers.all(),
            "positions": person.positions.all(),
            "team": person.team.order_by("username"),
            "named": person_named_in_documents(person=person, user=request.user),
            "submissions": person_submissions(person=person),
            "follow_ups": person_submission_follow_ups(person=person, user=request.user),
            "access_log": dossier_access_log(person=person, lines=ACCESS_LOG_LIMIT),
            "dossier_form": DossierForm(),
            "may_record": user_may_record_responsible_persons(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def responsible_person_create(request):
    require_responsible_person_recorder(request.user)
    organisation_id = membership_for_user(request.user).organisation_id
    form = ResponsiblePersonForm(
        request.POST or None, organisation_id=organisation_id, may_choose_team=True
    )
    confirm_form = NotADuplicateForm(request.POST or None)
    duplicates: list[ResponsiblePerson] = []
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "aliases"}
        if not confirm_form.confirmed():
            duplicates = person_writes.responsible_persons_possible_duplicates(
                persons=responsible_persons_visible_to(request.user),
                names=[data["name"], data.get("native_name", ""), *form.alias_list()],
            )
        if duplicates:
            messages.warning(request, POSSIBLE_DUPLICATE_PERSON)
        else:
            try:
                person = person_writes.responsible_person_create(
                    by=request.user, aliases=form.alias_list(), **data
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Responsible person recorded."))
                return redirect(person)
    return render(
        request,
        "accountability/person_form.html",
        {
            "form": form,
            "heading": _("Record a responsible person"),
            "duplicates": duplicates,
            "confirm_form": confirm_form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def responsible_person_edit(request, pk: int):
    person = responsible_person_for_user(request.user, pk)
    form = ResponsiblePersonForm(
        request.POST or None,
        instance=person,
        organisation_id=person.owning_organisation_id,
        may_choose_team=user_may_record_responsible_persons(request.user),
    )
    if request.method == "POST" and form.is_valid():
        # The form has validated a copy of the instance; the write function saves it.
        person.refresh_from_db()
        try:
            person_writes.responsible_person_update(
                person=person, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(person)
    return render(
        request,
        "accountability/person_form.html",
        {"form": form, "person": person, "heading": _("Edit %(name)s") % {"name": person.name}},
    )


@login_required
@require_http_methods(["GET", "POST"])
def alias_add(request, pk: int):
    person = responsible_person_for_user(request.user, pk)
    return form_page(
        request,
        AliasForm(request.POST or None),
        save=lambda data: person_writes.responsible_person_add_alias(person=person, **data),
        back=person,
        heading=_("Add another name"),
        success=_("Name added."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def identifier_add(request, pk: int):
    person = responsible_person_for_user(request.user, pk)
    return form_page(
        request,
        IdentifierForm(request.POST or None),
        save=lambda data: person_writes.responsible_person_add_identifier(person=person, **data),
        back=person,
        heading=_("Add an identifier"),
        success=_("Identifier added."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def position_add(request, pk: int):
    person = responsible_person_for_user(request.user, pk)
    return form_page(
        request,
        PositionForm(request.POST or None),
        save=lambda data: person_writes.position_create(person=person, by=request.user, **data),
        back=person,
        heading=_("Add a position"),
        success=_("Position added."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def position_edit(request, pk: int):
    """Change a position: above all, give the old post its end date when the person moves
    to another court or office, or the dossier keeps both as held "to the present"."""
    position = position_for_user(request.user, pk)
    return form_page(
        request,
        PositionForm(request.POST or None, instance=position),
        save=lambda data: person_writes.position_update(position=position, by=request.user, **data),
        back=position.person,
        heading=_("Edit a position"),
        success=_("Position saved."),
    )
