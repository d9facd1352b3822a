"""Timeline pages: a status change, another event, correcting and removing an entry; the
status-conflict banners of the case and person pages and their two actions. Every write
goes through casework.status (the timeline rule) or casework.conflicts."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from casework.audit import restricted_case_views_record
from casework.conflicts import status_conflict_actions, status_conflict_dismiss
from casework.followups import user_today
from casework.models import CaseEvent, StatusConflict
from casework.permissions import (
    case_event_for_user,
    status_conflict_for_user,
    user_sees_sensitive_fields,
)
from casework.status import (
    CORRECTABLE_FIELDS,
    case_change_status,
    case_event_add,
    case_event_correct,
    case_event_remove,
    status_conflict_record,
)
from casework.timeline_forms import (
    EventCorrectionForm,
    ReasonForm,
    StatusChangeForm,
    TimelineEventForm,
)
from casework.views.cases import _case_to_change
from common.edit_stamps import EditedMeanwhile, edit_stamp, edited_meanwhile_message


def _when(on: date | None) -> str:
    return date_format(on, "SHORT_DATE_FORMAT") if on else gettext("an unknown date")


@login_required
@require_http_methods(["GET", "POST"])
def case_status_change(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_to_change(request, pk)
    form = StatusChangeForm(
        request.POST or None, initial={"status": case.status}, today=user_today(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = case_change_status(
                case=case,
                status=data["status"],
                on=data["on"],
                source=data["source"],
                note=data["note"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            case.refresh_from_db()
            said = {
                "status": event.get_status_display(),
                "when": _when(event.happened_on),
                "current": case.get_status_display(),
            }
            if case.status_event_id == event.pk and event.happened_on is None:
                message = (
                    gettext("Status changed to “%(status)s”; the date of the change is not known.")
                    % said
                )
            elif case.status_event_id == event.pk:
                message = gettext("Status changed to “%(status)s” from %(when)s.") % said
            else:
                # A back-dated change: it takes its place in the chain, today stays.
                message = (
                    gettext(
                        "Status change to “%(status)s” of %(when)s added to the timeline; "
                        "the current status stays “%(current)s”."
                    )
                    % said
                )
            messages.success(request, message)
            return redirect(case)
    return render(request, "casework/cases/status_form.html", {"case": case, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def case_event_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_to_change(request, pk)
    form = TimelineEventForm(request.POST or None, today=user_today(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = case_event_add(
                case=case,
                kind=data["kind"],
                happened_on=data["happened_on"],
                source=data["source"],
                description=data["description"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                gettext("%(kind)s added to the timeline.") % {"kind": event.get_kind_display()},
            )
            return redirect(case)
    return render(request, "casework/cases/event_form.html", {"case": case, "form": form})


def _changeable_event(request: HttpRequest, pk: int, *, removing: bool = False) -> CaseEvent:
    """The event, fetched and checked (casework.permissions), its case's look logged."""
    event = case_event_for_user(request.user, pk, for_change=True, for_removal=removing)
    restricted_case_views_record(user=request.user, cases=[event.case], via=request.path)
    return event


@login_required
@require_http_methods(["GET", "POST"])
def case_event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _changeable_event(request, pk)
    form = EventCorrectionForm(
        request.POST or None,
        event=event,
        show_sensitive=user_sees_sensitive_fields(request.user),
        today=user_today(request.user),
    )
    # What the fields held when the form was opened (common.edit_stamps): a correction
    # over a colleague's since is refused rather than silently undoing theirs.
    stamp = (
        request.POST.get("edit_stamp", "")
        if request.method == "POST"
        else edit_stamp(instance=event, names=CORRECTABLE_FIELDS.intersection(form.fields))
    )
    if request.method == "POST" and form.is_valid():
        try:
            case_event_correct(event=event, by=request.user, stamp=stamp, **form.changes())
        except EditedMeanwhile as meanwhile:
            stamp = meanwhile.stamp
            form.add_error(None, edited_meanwhile_message(form=form, fields=meanwhile.fields))
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, gettext("The timeline entry was corrected."))
            return redirect(event.case)
    return render(
        request,
        "casework/cases/event_edit.html",
        {"case": event.case, "event": event, "form": form, "edit_stamp": stamp},
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_event_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    event = _changeable_event(request, pk, removing=True)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case_event_remove(event=event, reason=form.cleaned_data["reason"], by=request.user)
        messages.success(
            request, gettext("The entry was removed from the timeline; it is kept with the reason.")
        )
        return redirect(event.case)
    return render(
        request,
        "casework/cases/event_remove.html",
        {"case": event.case, "event": event, "form": form},
    )


# --- Status conflicts ---------------------------------------------------------------------


def _conflict_already_resolved(request: HttpRequest, conflict: StatusConflict) -> HttpResponse:
    """A resolved conflict's action asked again (a double click, a page left open while a
    colleague resolved it): said so, on the person's page, where the resolution is listed."""
    messages.info(request, gettext("This conflict was already resolved."))
    return redirect(conflict.first_case.person)


@login_required
@require_POST
def status_conflict_record_view(request: HttpRequest, pk: int) -> HttpResponse:
    conflict = status_conflict_for_user(request.user, pk)
    if conflict.closed_at is not None:
        return _conflict_already_resolved(request, conflict)
    actions = status_conflict_actions(conflict=conflict, user=request.user)
    chosen = request.POST.get("case", "")
    targets = {str(case.pk): case for case in actions.record_on}
    if chosen not in targets:
        raise PermissionDenied(gettext("You may not record the other status on this case."))
    case = targets[chosen]
    try:
        status_conflict_record(conflict=conflict, case=case, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            gettext("The other organisation's status is recorded on case %(reference)s.")
            % {"reference": case.reference},
        )
    return redirect(case)


@login_required
@require_http_methods(["GET", "POST"])
def status_conflict_dismiss_view(request: HttpRequest, pk: int) -> HttpResponse:
    conflict = status_conflict_for_user(request.user, pk)
    if conflict.closed_at is not None:
        return _conflict_already_resolved(request, conflict)
    if not status_conflict_actions(conflict=conflict, user=request.user).may_dismiss:
        raise PermissionDenied(
            gettext("Only coordinators of an organisation holding one of the cases dismiss it.")
        )
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            status_conflict_dismiss(
                conflict=conflict, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, gettext("The status conflict is dismissed."))
            return redirect(conflict.first_case.person)
    restricted_case_views_record(
        user=request.user, cases=[conflict.first_case, conflict.second_case], via=request.path
    )
    return render(
        request,
        "casework/people/conflict_dismiss.html",
        {"conflict": conflict, "person": conflict.first_case.person, "form": form},
    )
