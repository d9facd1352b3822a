"""The document page's "Create follow-ups for the named people still detained"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from advocacy.followups import DOCUMENT_FOLLOW_UP_DAYS, document_plan_follow_ups
from advocacy.permissions import document_for_user


@require_POST
@login_required
def document_create_follow_ups(request, pk: int):
    document = document_for_user(request.user, pk)
    try:
        days = int(request.POST.get("due_in_days") or DOCUMENT_FOLLOW_UP_DAYS)
    except ValueError:
        days = 0
    if not 1 <= days <= 3650:
        messages.error(request, _("Due in (days): enter a whole number from 1 to 3650."))
        return redirect(document)
    result = document_plan_follow_ups(document=document, by=request.user, due_in_days=days)
    text = ngettext(
        "%(count)d follow-up task created", "%(count)d follow-up tasks created", result.created
    ) % {"count": result.created}
    text += ngettext(", due in %(days)d day.", ", due in %(days)d days.", days) % {"days": days}
    if result.already_there:
        # "already existed" reads right for one and for many.
        text += " " + _("%(count)d already existed.") % {"count": result.already_there}
    messages.success(request, text)
    if result.without_caseworker:
        messages.warning(
            request,
            ngettext(
                "No task for this case, which has no assigned caseworker: %(cases)s",
                "No task for these cases, which have no assigned caseworker: %(cases)s",
                len(result.without_caseworker),
            )
            % {"cases": ", ".join(result.without_caseworker)},
        )
    if result.not_assignable:
        messages.warning(
            request,
            ngettext(
                "No task for this case, whose caseworker you cannot assign: %(cases)s",
                "No task for these cases, whose caseworker you cannot assign: %(cases)s",
                len(result.not_assignable),
            )
            % {"cases": "; ".join(result.not_assignable)},
        )
    return redirect(document)
