"""The 403, 404 and 500 pages."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def permission_denied(request, exception=None):
    # The views' PermissionDenied messages are written for the user ("Only coordinators
    # and admins archive or restore records."); a bare one shows the general text only.
    context = {"reason": str(exception or "")}
    return render(request, "errors/403.html", context, status=403)


def page_not_found(request, exception=None):
    # The bell's count comes from casework.context_processors, which asks the visibility
    # rule only when something is unread: a scanner asking for a thousand missing pages
    # keeps them cheap.
    return render(request, "errors/404.html", status=404)


def server_error(request):
    """Rendered without the request, so no context processor runs: the error may be the
    database itself, and the page must not fail in turn (as Django's own handler does)."""
    return HttpResponseServerError(loader.get_template("errors/500.html").render())
