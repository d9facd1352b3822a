"""Tasks pages: My tasks, what a coordinator assigned and who is late, and the actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from casework.followup_forms import (
    FollowUpCancelForm,
    FollowUpCompleteForm,
    FollowUpCreateForm,
    FollowUpForm,
    FollowUpReassignForm,
    PreferencesForm,
)
from casework.followups import (
    follow_up_assignable_users,
    follow_up_cancel,
    follow_up_complete,
    follow_up_create,
    follow_up_reassign,
    follow_up_update,
    reminder_failures_visible_to,
    user_today,
)
from casework.models import FollowUp
from casework.permissions import (
    FOLLOW_UP_FOR_OTHERS_REFUSED,
    case_for_user,
    cases_editable_by,
    followup_for_user,
    membership_for_user,
    refuse_unless,
    require_follow_up_creator,
    require_follow_up_manager,
    user_manages_follow_ups,
)
from casework.reminders import reminders_retry, reminders_sync_for_user
from casework.visibility import (
    cases_visible_to,
    follow_ups_left_behind_in,
    follow_ups_visible_to,
    user_membership,
)
from common.edit_stamps import EditedMeanwhile, edit_stamp, edited_meanwhile_message
from common.forms import form_errors_apply
from common.lookups import id_from
from common.pagination import request_page


def _local_today(request):
    return user_today(request.user)


@login_required
def followup_list(request):
    today = _local_today(request)
    visible = follow_ups_visible_to(request.user).select_related(
        "case", "case__person", "assignee__membership", "assigned_by__membership"
    )
    open_tasks = visible.filter(status=FollowUp.State.OPEN)

    def section(queryset, parameter: str):
        # Each section pages on its own, without counting: a coordinator of a large
        # organisation may have thousands of open tasks.
        return request_page(queryset, request.GET, parameter=parameter)

    context = {
        "today": today,
        "manages": user_manages_follow_ups(request.user),
        "mine": section(
            open_tasks.filter(assignee=request.user).order_by("due_on", "pk"), "mine_page"
        ),
    }
    if context["manages"]:
        context["assigned"] = section(
            open_tasks.filter(assigned_by=request.user)
            .exclude(assignee=request.user)
            .order_by("due_on", "pk"),
            "assigned_page",
        )
        context["late"] = section(
            open_tasks.filter(due_on__lt=today).order_by("assignee__username", "due_on", "pk"),
            "late_page",
        )
        # A member who left (their account deactivated, or moved to another organisation)
        # gets no reminder any more: their open tasks wait here, whoever assigned them,
        # until someone reassigns them; so do those whose assigner moved (no escalation).
        context["left"] = section(
            open_tasks.filter(
                follow_ups_left_behind_in(
                    organisation_id=user_membership(request.user).organisation_id
                )
            ).order_by("due_on", "pk"),
            "left_page",
        )
        context["failures_count"] = reminder_failures_visible_to(request.user).count()
    return render(request, "casework/followups/list.html", context)


@login_required
def followup_create(request):
    """Coordinators and admins assign a task to anyone of their organisation; caseworkers
    record one for themselves, on a case they may change."""
    require_follow_up_creator(request.user)
    manages = user_manages_follow_ups(request.user)
    if manages:
        cases = cases_visible_to(request.user)
        memberships = list(follow_up_assignable_users(by=request.user))
    else:
        cases = cases_editable_by(request.user)
        memberships = [membership_for_user(request.user)]
        # A caseworker's form offers only themselves; asking for someone else is refused
        # with the reason, not a bare "not a valid choice".
        assignee = request.POST.get("assignee", "")
        refuse_unless(assignee in ("", str(request.user.pk)), FOLLOW_UP_FOR_OTHERS_REFUSED)
    initial = {"assignee": None if manages else request.user.pk}
    case_pk = id_from(request.GET.get("case"))
    if case_pk:
        case = case_for_user(request.user, case_pk)
        assignee = case.assigned_caseworker_id if manages else request.user.pk
        initial = {"case": case.reference, "assignee": assignee}
    form = FollowUpCreateForm(
        request.POST or None,
        initial=initial,
        cases=cases,
        memberships=memberships,
        today=_local_today(request),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            follow_up = follow_up_create(
                case=data["case"],
                title=data["title"],
                assignee=data["assignee"],
                by=request.user,
                due_on=data["due_on"],
                priority=data["priority"],
                note=data["note"],
                recurrence_days=data["recurrence_days"],
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            if follow_up.assignee_id == request.user.pk:
                messages.success(
                    request, _("Task “%(title)s” recorded for you.") % {"title": follow_up.title}
                )
            else:
                messages.success(
                    request,
                    _("Task “%(title)s” assigned to %(assignee)s.")
                    % {"title": follow_up.title, "assignee": follow_up.assignee},
                )
            return redirect("followup_list")
    return render(
        request,
        "casework/followups/form.html",
        {"form": form, "creating": True, "manages": manages},
    )


@login_required
def followup_edit(request, pk):
    follow_up = followup_for_user(request.user, pk, for_change=True)
    fields = ["title", "due_on", "priority", "recurrence_days", "note"]
    form = FollowUpForm(
        request.POST or None,
        initial={name: getattr(follow_up, name) for name in fields},
        today=_local_today(request),
    )
    # What the fields held when the form was opened (common.edit_stamps): an edit over a
    # colleague's since is refused rather than silently undoing theirs.
    stamp = (
        request.POST.get("edit_stamp", "")
        if request.method == "POST"
        else edit_stamp(instance=follow_up, names=fields)
    )
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in fields}
        try:
            follow_up_update(follow_up=follow_up, by=request.user, stamp=stamp, **changes)
        except EditedMeanwhile as meanwhile:
            stamp = meanwhile.stamp
            form.add_error(None, edited_meanwhile_message(form=form, fields=meanwhile.fields))
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Task updated; its reminders follow the new dates."))
            return redirect("followup_list")
    return render(
        request,
        "casework/followups/form.html",
        {"form": form, "follow_up": follow_up, "creating": False, "edit_stamp": stamp},
    )


@login_required
def followup_complete(request, pk):
    follow_up = followup_for_user(request.user, pk, for_completion=True, select_related=("case",))
    form = FollowUpCompleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            successor = follow_up_complete(
                follow_up=follow_up, by=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if successor is None:
                text = _("Done: “%(title)s”.") % {"title": follow_up.title}
            else:
                text = _("Done: “%(title)s”. The next one is due on %(due)s.") % {
                    "title": follow_up.title,
                    "due": date_format(successor.due_on, "SHORT_DATE_FORMAT"),
                }
            messages.success(request, text)
        return redirect("followup_list")
    return render(
        request,
        "casework/followups/action.html",
        {
            "form": form,
            "follow_up": follow_up,
            "action": _("Mark as done"),
            "button": _("Mark done"),
        },
    )


@login_required
def followup_cancel(request, pk):
    follow_up = followup_for_user(request.user, pk, for_change=True)
    form = FollowUpCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            follow_up_cancel(
                follow_up=follow_up, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Cancelled: “%(title)s”.") % {"title": follow_up.title})
        return redirect("followup_list")
    return render(
        request,
        "casework/followups/action.html",
        {
            "form": form,
            "follow_up": follow_up,
            "action": _("Cancel task"),
            "button": _("Cancel task"),
        },
    )


@login_required
def followup_reassign(request, pk):
    follow_up = followup_for_user(request.user, pk, for_change=True)
    memberships = list(follow_up_assignable_users(by=request.user))
    form = FollowUpReassignForm(request.POST or None, memberships=memberships)
    if request.method == "POST" and form.is_valid():
        try:
            follow_up = follow_up_reassign(
                follow_up=follow_up, assignee=form.cleaned_data["assignee"], by=request.user
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(
                request,
                _("Reassigned to %(assignee)s; they have been told.")
                % {"assignee": follow_up.assignee},
            )
            return redirect("followup_list")
    return render(
        request,
        "casework/followups/action.html",
        {
            "form": form,
            "follow_up": follow_up,
            "action": _("Reassign task"),
            "button": _("Reassign"),
        },
    )


@login_required
def reminder_failures(request):
    require_follow_up_manager(request.user)
    failed = reminder_failures_visible_to(request.user).select_related(
        "recipient", "follow_up", "follow_up__case"
    )
    if request.method == "POST":
        chosen = (id_from(value) for value in request.POST.getlist("reminder"))
        ids = [reminder_id for reminder_id in chosen if reminder_id is not None]
        retried = reminders_retry(
            reminder_ids=failed.filter(pk__in=ids).values_list("pk", flat=True)
        )
        messages.success(
            request,
            ngettext(
                "%(count)d reminder will be sent again within a minute.",
                "%(count)d reminders will be sent again within a minute.",
                retried,
            )
            % {"count": retried},
        )
        return redirect("reminder_failures")
    return render(
        request, "casework/followups/failures.html", {"failed": list(failed.order_by("-due_at"))}
    )


@login_required
def account_preferences(request):
    membership = membership_for_user(request.user)
    form = PreferencesForm(request.POST or None, instance=membership)
    if request.method == "POST" and form.is_valid():
        form.save()
        reminders_sync_for_user(user_id=request.user.pk)
        messages.success(request, _("Preferences saved."))
        return redirect("account_preferences")
    return render(request, "casework/followups/preferences.html", {"form": form})
