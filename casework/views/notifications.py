"""The bell's pages: a user's own notifications, and marking them read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from casework.notifications import (
    notification_mark_read as mark_read,
)
from casework.notifications import (
    notifications_for,
    notifications_mark_all_read,
)


@login_required
def notification_list(request):
    page = Paginator(notifications_for(request.user).select_related("case"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "casework/notifications/list.html", {"page": page})


@require_POST
@login_required
def notification_mark_read(request, pk):
    # Only the user's own notifications are reachable: anyone else's is a 404.
    notification = get_object_or_404(notifications_for(request.user), pk=pk)
    mark_read(notification=notification)
    target = request.POST.get("next") or notification.url
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        # Opening what the notification is about: the page itself is the answer.
        return redirect(target)
    messages.success(request, "Notification marked as read.")
    return redirect("notification_list")


@require_POST
@login_required
def notification_mark_all_read(request):
    marked = notifications_mark_all_read(user=request.user)
    if marked:
        messages.success(
            request, f"{marked} notification{'s' if marked != 1 else ''} marked as read."
        )
    else:
        messages.info(request, "There was nothing unread.")
    return redirect("notification_list")
