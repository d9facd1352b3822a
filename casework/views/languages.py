"""The language switch in the header: Django's set_language, kept on the account too."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from casework.languages import account_language_set, language_codes


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    response = set_language(request)  # the cookie and a safe redirect to `next`
    language = request.POST.get("language", "")
    if language in language_codes() and request.user.is_authenticated:
        account_language_set(user=request.user, language=language)
    return response
