"""The language a user reads the app in, and the order languages stand in for each other.

Before sign-in the language cookie decides, then the browser's Accept-Language (Django's
LocaleMiddleware). A signed-in user's own choice, kept on their membership, wins over both
on every request, and the cookie follows it so the sign-in page speaks the same language
after they sign out. Kazakh falls back to Russian, then English, for any string it has no
translation of: a partner who reads Kazakh reads Russian far more easily than English.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import trans_real

from casework.models import Membership
from casework.visibility import user_membership

# A language, and the one to read when it has no translation of a string (then English).
LANGUAGE_FALLBACKS = {"kk": "ru"}


def language_codes() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def translation_fallbacks_install() -> None:
    """Put Russian between Kazakh and English in the fallback chain of the catalogues.

    Django chains every language to LANGUAGE_CODE only; its translation objects are cached
    per language for the process, so linking them once at start-up holds."""
    for language, fallback in LANGUAGE_FALLBACKS.items():
        catalogue: Any = trans_real.translation(language)
        default = catalogue._fallback  # Django's chain: English
        stand_in: Any = trans_real.translation(fallback)
        if default is not stand_in:
            catalogue._fallback = stand_in
            stand_in._fallback = default


def account_language(user: AbstractBaseUser | AnonymousUser) -> str:
    """The language the account chose, or "" for the browser's."""
    membership = user_membership(user)
    return membership.language if membership is not None else ""


def account_language_set(*, user: AbstractBaseUser | AnonymousUser, language: str) -> None:
    """Keep the user's choice on their account (nothing for a user with no membership)."""
    if language not in language_codes():
        raise ValueError(f"Unknown language {language!r}.")
    membership = user_membership(user)
    if membership is not None and membership.language != language:
        Membership.objects.filter(pk=membership.pk).update(language=language)
        membership.language = language


def account_language_at_sign_in(*, request: HttpRequest, user: AbstractBaseUser) -> None:
    """Keep on the account the language chosen with the switch on the sign-in page.

    Signed in, the middleware keeps the cookie equal to the account's choice, so a cookie
    that differs at sign-in was set by the switch while signed out: the latest choice."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    if chosen in language_codes():
        account_language_set(user=user, language=chosen)


class AccountLanguageMiddleware:
    """A signed-in user's chosen language over the cookie and the browser's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = account_language(request.user)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if language and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            language_cookie_set(response, language)
        return response


def language_cookie_set(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=cast(Any, settings.LANGUAGE_COOKIE_SAMESITE),
    )
