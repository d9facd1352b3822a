"""The 400, 403, 404 and 500 pages, and the page for a form whose security token expired."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import formats
from django.utils.translation import gettext as _


def bad_request(request, exception=None):
    """What was sent could not be read. A form larger than DATA_UPLOAD_MAX_MEMORY_SIZE (a
    document's text pasted whole) is told so, with the way round it, not a bare 400."""
    too_big = isinstance(exception, RequestDataTooBig)
    limit_megabytes = round(settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024), 1)
    if request.path.startswith("/api/"):
        # The API's one shape of error (casework.api.errors), not a page.
        message = (
            _(
                "The request is larger than %(limit)s MB, the most one request takes; nothing was saved."
            )
            % {"limit": formats.number_format(limit_megabytes)}
            if too_big
            else _("The request could not be read; nothing was saved.")
        )
        return JsonResponse({"errors": [{"field": None, "message": message}]}, status=400)
    context = {"too_big": too_big, "limit_megabytes": limit_megabytes}
    return render(request, "errors/400.html", context, status=400)


def permission_denied(request, exception=None):
    # The views' PermissionDenied messages are written for the user ("Only coordinators
    # and admins archive or restore records."); a bare one shows the general text only.
    context = {"reason": str(exception or "")}
    return render(request, "errors/403.html", context, status=403)


def csrf_failure(request, reason: str = ""):
    """A form Django refused because its security token no longer matches the session (the
    page was open long, or its reader signed in again since, in another tab too): said in
    the reader's language, with the way back to a fresh form. Django has logged the reason
    (django.security.csrf); the reader is told what to do, not the mechanism."""
    # The API's views are exempt here: DRF checks a session's token itself and answers in
    # the API's own shape (casework.api.authentication).
    context = {"again": request.get_full_path() if request.method == "POST" else "/"}
    return render(request, "errors/403_csrf.html", context, status=403)


def page_not_found(request, exception=None):
    # The bell's count comes from casework.context_processors, which asks the visibility
    # rule only when something is unread: a scanner asking for a thousand missing pages
    # keeps them cheap.
    return render(request, "errors/404.html", status=404)


def server_error(request):
    """Rendered without the request, so no context processor runs: the error may be the
    database itself, and the page must not fail in turn (as Django's own handler does).
    Under /api/, the API's one shape of error: a partner's script reads JSON, not a page."""
    if request.path.startswith("/api/"):
        message = _("The server failed to answer this request; the error has been logged.")
        return JsonResponse({"errors": [{"field": None, "message": message}]}, status=500)
    return HttpResponseServerError(loader.get_template("errors/500.html").render())
