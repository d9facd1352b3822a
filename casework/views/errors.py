"""The 403, 404 and 500 pages."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from casework.models import Notification


def _bell_context(request) -> dict:
    """The layout's dearest query is the bell's count, which asks the visibility rule. With
    nothing unread at all (most people, most of the time) the count is 0 without asking,
    and a refused or missing page, asked for by the thousand by a scanner, stays cheap."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if Notification.objects.filter(user_id=user.pk, read_at__isnull=True).exists():
        return {}  # the context processor counts what the user may see
    return {"unread_notifications_count": 0}


def permission_denied(request, exception=None):
    # The views' PermissionDenied messages are written for the user ("Only coordinators
    # and admins archive or restore records."); a bare one shows the general text only.
    context = {**_bell_context(request), "reason": str(exception or "")}
    return render(request, "errors/403.html", context, status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", _bell_context(request), status=404)


def server_error(request):
    """Rendered without the request, so no context processor runs: the error may be the
    database itself, and the page must not fail in turn (as Django's own handler does)."""
    return HttpResponseServerError(loader.get_template("errors/500.html").render())
