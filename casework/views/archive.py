"""Archive and restore people and cases (POST only, coordinators and admins only).

The object is fetched through casework.visibility, archived ones included, so an object
out of the user's scope is a 404 like everywhere else; a visible one the user may not
archive is a 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from casework.archive import case_archive, case_restore, person_archive, person_restore
from casework.visibility import cases_visible_to, people_visible_to, user_may_archive


def _require_archivist(user) -> None:
    if not user_may_archive(user):
        raise PermissionDenied("Only coordinators and admins archive or restore records.")


@login_required
@require_POST
def case_archive_view(request, pk: int):
    case = get_object_or_404(cases_visible_to(request.user, include_archived=True), pk=pk)
    _require_archivist(request.user)
    case_archive(case=case, by=request.user)
    messages.success(request, f"Case {case.reference} archived. It can be restored.")
    return redirect(case)


@login_required
@require_POST
def case_restore_view(request, pk: int):
    case = get_object_or_404(cases_visible_to(request.user, include_archived=True), pk=pk)
    _require_archivist(request.user)
    case_restore(case=case, by=request.user)
    messages.success(request, f"Case {case.reference} restored.")
    return redirect(case)


@login_required
@require_POST
def person_archive_view(request, pk: int):
    person = get_object_or_404(people_visible_to(request.user, include_archived=True), pk=pk)
    _require_archivist(request.user)
    person_archive(person=person, by=request.user)
    messages.success(request, f"{person.full_name} archived. The record can be restored.")
    return redirect(person)


@login_required
@require_POST
def person_restore_view(request, pk: int):
    person = get_object_or_404(people_visible_to(request.user, include_archived=True), pk=pk)
    _require_archivist(request.user)
    person_restore(person=person, by=request.user)
    messages.success(request, f"{person.full_name} restored.")
    return redirect(person)
