"""Who a request comes from, read with their membership and organisation in the query that
reads the account.

Every page asks for the membership (the language, the visibility rule, the layout), so
Django's get_user, which reads the account alone, left a second query for it on every
request. This is Django's get_user (django.contrib.auth.get_user, 5.2) with that one
difference: the session, the backend recorded in it and the session hash are checked
exactly as there, and a backend that reads accounts its own way is asked as before. The
backend paths in AUTHENTICATION_BACKENDS stay as they are, so no session is signed out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
    load_backend,
)
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare
from django.utils.functional import LazyObject, SimpleLazyObject, empty
from django_otp.middleware import OTPMiddleware
from django_otp.models import Device

from common.compiled_queries import instances_compiled_once


def _account_with_membership(backend: Any, user_id: Any) -> Any:
    """backend.get_user(user_id), with the membership and its organisation read in the
        same query when the backend reads accounts as ModelBackend does. An account without a
        membership is cached as having none (casework.visibility.user_membership). The query is
    compiled once per connection (common.compiled_queries): building it was a tenth of a
    signed-in request's processor time."""
    if type(backend).get_user is not ModelBackend.get_user:
        return backend.get_user(user_id)
    model = get_user_model()
    found = instances_compiled_once(
        name="account-with-membership",
        model=model,
        queryset_for=lambda pk: model._default_manager.select_related(
            "membership__organisation"
        ).filter(pk=pk),
        value=user_id,
    )
    if not found:
        return None
    return found[0] if backend.user_can_authenticate(found[0]) else None


def request_user(request: HttpRequest) -> Any:
    """The signed-in account of the request's session, or AnonymousUser (as Django's
    get_user: a session whose hash no longer matches the account's is flushed)."""
    user = None
    try:
        user_id = get_user_model()._meta.pk.to_python(request.session[SESSION_KEY])
        backend_path = request.session[BACKEND_SESSION_KEY]
    except KeyError:
        pass
    else:
        if backend_path in settings.AUTHENTICATION_BACKENDS:
            user = _account_with_membership(load_backend(backend_path), user_id)
            if hasattr(user, "get_session_auth_hash") and not _session_hash_verified(request, user):
                user = None
    return user or AnonymousUser()


def _session_hash_verified(request: HttpRequest, user: Any) -> bool:
    """Django's check of the session against the account's password hash, fallback
    secrets included (the session then moves to the current secret)."""
    session_hash = request.session.get(HASH_SESSION_KEY)
    session_auth_hash = user.get_session_auth_hash()
    if session_hash and constant_time_compare(session_hash, session_auth_hash):
        return True
    if session_hash and any(
        constant_time_compare(session_hash, fallback_auth_hash)
        for fallback_auth_hash in user.get_session_auth_fallback_hash()
    ):
        request.session.cycle_key()
        request.session[HASH_SESSION_KEY] = session_auth_hash
        return True
    request.session.flush()
    return False


class MembershipAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's AuthenticationMiddleware, reading the account through request_user; the
    asynchronous request.auser is Django's own."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: request_user(request))  # type: ignore[assignment]


class CompiledOTPMiddleware(OTPMiddleware):
    """django-otp's OTPMiddleware, reading the session's verified device by a query
    compiled once per connection (every signed-in request of a coordinator or admin
    reads it). The device is the same: the row of the persistent id's model and id, or
    None for an id that names no device model or no row; the binding to the account and
    the confirmation are then checked by django-otp as before."""

    def _device_from_persistent_id(self, persistent_id: str) -> Device | None:
        model_label, _, device_id = self._normalize_persistent_id(persistent_id).rpartition("/")
        try:
            device_model = apps.get_model(model_label)
            device_pk = int(device_id)
        except (ValueError, LookupError):
            return None
        if not issubclass(device_model, Device):
            return None
        found = instances_compiled_once(
            name=f"second-factor-device:{model_label}",
            model=device_model,
            queryset_for=lambda pk: device_model._default_manager.filter(pk=pk),
            value=device_pk,
        )
        return found[0] if found else None


class EvaluatedUserMiddleware:
    """request.user as the account (or AnonymousUser) itself from here on, rather than
    behind the two lazy wrappers that the authentication and second-factor middleware put
    it in: every attribute read went through both, some 5% of a request's processor time.

    Listed right after CompiledOTPMiddleware, where the next middleware
    (casework.languages, which reads every account's language) read it anyway: the same
    queries, in the same order, and the same object with its otp_device."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = getattr(request, "user", None)
        if user is not None:
            while isinstance(user, LazyObject):
                if user._wrapped is empty:
                    user._setup()
                user = user._wrapped
            request.user = user
        return self.get_response(request)
