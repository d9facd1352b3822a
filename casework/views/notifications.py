"""The bell's pages: a user's own notifications, and marking them read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from casework.notifications import notification_mark_read as mark_read
from casework.notifications import notifications_for, notifications_mark_all_read
from casework.permissions import notification_for_user
from common.pagination import request_page


@login_required
def notification_list(request):
    page = request_page(notifications_for(request.user).select_related("case"), request.GET)
    return render(request, "casework/notifications/list.html", {"page": page})


@require_POST
@login_required
def notification_mark_read(request, pk):
    # Only the user's own notifications are reachable: anyone else's is a 404.
    notification = notification_for_user(request.user, pk)
    mark_read(notification=notification)
    target = request.POST.get("next") or notification.url
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        # Opening what the notification is about: the page itself is the answer.
        return redirect(target)
    messages.success(request, _("Notification marked as read."))
    return redirect("notification_list")


@require_POST
@login_required
def notification_mark_all_read(request):
    marked = notifications_mark_all_read(user=request.user)
    if marked:
        messages.success(
            request,
            ngettext(
                "%(count)d notification marked as read.",
                "%(count)d notifications marked as read.",
                marked,
            )
            % {"count": marked},
        )
    else:
        messages.info(request, _("There was nothing unread."))
    return redirect("notification_list")
