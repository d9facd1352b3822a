"""Sign-in policy that holds on every request: who needs a second factor, the absolute
session timeout, no caching of signed-in pages, and where a client's address comes from.

The middleware here runs after django_otp's OTPMiddleware (which sets
``request.user.is_verified()``) and before the views, so no page — the admin included —
is reached by a coordinator or admin who has only typed a password.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import get_user_model, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.models import Role
from casework.visibility import user_membership

SESSION_STARTED_AT_KEY = "advocase_signed_in_at"
# When the session's expiry was last pushed forward (see SessionIdleRefreshMiddleware).
SESSION_REFRESHED_AT_KEY = "advocase_refreshed_at"
# Saving the session renews its idle timeout but costs an UPDATE and a COMMIT; doing it at
# most once a minute keeps the 30-minute idle timeout exact to within this many seconds.
SESSION_REFRESH_INTERVAL_SECONDS = 60
# Set at sign-in when the user has an authenticator app although their role does not
# require one: having set it up, they are asked for it too (one query per sign-in, not
# one per request).
SESSION_HAS_DEVICE_KEY = "advocase_has_second_factor"
SECOND_FACTOR_ROLES = frozenset({Role.COORDINATOR, Role.ADMIN})
BACKUP_DEVICE_NAME = "backup"
BACKUP_CODE_COUNT = 10

# Paths an unverified coordinator may still reach: finishing sign-in, leaving, and the
# files the pages themselves load.
_UNVERIFIED_URL_NAMES = ("two_factor_setup", "two_factor_verify", "logout", "set_language")


def user_requires_second_factor(user) -> bool:
    """Coordinators and admins (and any staff or superuser account) must use a second factor."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser:
        return True
    membership = user_membership(user)
    return membership is not None and membership.role in SECOND_FACTOR_ROLES


def user_has_confirmed_totp_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def user_ensure_totp_device(*, user, name: str = "default") -> tuple[TOTPDevice, str]:
    """The user's confirmed TOTP device (created if missing) and its otpauth:// URL, so a
    demo user can be printed with a secret an authenticator app accepts."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name=name, defaults={"confirmed": True}
    )
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return device, device.config_url


def user_start_totp_setup(*, user) -> TOTPDevice:
    """An unconfirmed device for the set-up page; it counts only once a code from it is typed."""
    device, _created = TOTPDevice.objects.get_or_create(user=user, name="pending", confirmed=False)
    return device


def user_confirm_totp_device(*, user, device: TOTPDevice, token: str) -> bool:
    """Confirm a pending device with a code from the app; the old confirmed device goes."""
    if device.user_id != user.pk or device.confirmed:
        return False
    if not device.verify_token(token):
        return False
    # The new device is confirmed before the old one goes, so the account never has no
    # device at all (removing the last one locks the account: user_lock_after_device_loss).
    device.confirmed = True
    device.name = "default"
    device.save(update_fields=["confirmed", "name"])
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    return True


def user_lock_after_device_loss(*, user_id: int) -> bool:
    """After a confirmed authenticator app is removed, if the user has none left: their
    password becomes unusable (which ends every session of theirs: each one carries a hash
    of the password), and their backup codes and any half-set-up app go. True if so.

    Without a device the next sign-in with the password sets one up, and the lost phone
    may hold the password (a password manager, a note) and its backup codes (a screenshot,
    a file): its finder would enrol their own app. Now only someone an admin gives a new
    password to can sign in, and they get new backup codes with their new app."""
    if TOTPDevice.objects.filter(user_id=user_id, confirmed=True).exists():
        return False
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return False
    user.set_unusable_password()
    user.save(update_fields=["password"])
    StaticToken.objects.filter(device__user_id=user_id).delete()
    TOTPDevice.objects.filter(user_id=user_id, confirmed=False).delete()
    return True


def user_replace_backup_codes(*, user) -> list[str]:
    """Fresh single-use backup codes; the previous ones stop working. Shown to the user once."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    device.token_set.all().delete()
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def user_verify_second_factor(*, user, code: str):
    """The device that accepts ``code`` (a TOTP code or a backup code), or None.

    A six-digit code is tried against the authenticator app only and anything else against
    the backup codes only, so a typo does not throttle the device the user did not use.
    Each accepted code is refused the second time: TOTP remembers the last time step,
    a backup code is deleted when used.
    """
    code = "".join(code.split())
    if not code:
        return None
    if code.isdigit() and len(code) == 6:
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    else:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
    for device in devices:
        if device.verify_is_allowed()[0] and device.verify_token(code):
            return device
    return None


def safe_next_url(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def client_ip_address(request: HttpRequest) -> str | None:
    """The address axes locks on. REMOTE_ADDR unless TRUSTED_PROXY_COUNT proxies sit in
    front: then the address the outermost trusted proxy saw, counted from the right of
    X-Forwarded-For, so a client cannot choose its own address by sending the header."""
    proxy_count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    remote_address = request.META.get("REMOTE_ADDR")
    if not proxy_count:
        return remote_address
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < proxy_count:
        return remote_address
    return forwarded[-proxy_count]


def session_mark_signed_in(*, request: HttpRequest, user) -> None:
    request.session[SESSION_STARTED_AT_KEY] = int(time.time())
    if not user_requires_second_factor(user) and user_has_confirmed_totp_device(user):
        request.session[SESSION_HAS_DEVICE_KEY] = True


class SessionAbsoluteTimeoutMiddleware:
    """Sign out a session this many seconds after sign-in, however active it has been
    (the idle timeout is SESSION_COOKIE_AGE, renewed by SessionIdleRefreshMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started_at = request.session.get(SESSION_STARTED_AT_KEY)
            now = int(time.time())
            if started_at is None:
                # A session made without the sign-in view (force_login, an old session)
                # starts its clock now rather than living forever.
                request.session[SESSION_STARTED_AT_KEY] = now
            elif now - int(started_at) > settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS:
                logout(request)
                return HttpResponseRedirect(
                    f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}"
                )
        return self.get_response(request)


class SessionIdleRefreshMiddleware:
    """Renew a signed-in session's idle timeout (SESSION_COOKIE_AGE from its last save) when
    more than SESSION_REFRESH_INTERVAL_SECONDS have passed since the last renewal, rather than
    writing the session row on every request as SESSION_SAVE_EVERY_REQUEST would. A session
    therefore ends between SESSION_COOKIE_AGE minus that interval and SESSION_COOKIE_AGE after
    the last request, never later."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            refreshed_at = request.session.get(SESSION_REFRESHED_AT_KEY)
            if refreshed_at is None or now - int(refreshed_at) > SESSION_REFRESH_INTERVAL_SECONDS:
                # Changing a key marks the session modified: SessionMiddleware saves it,
                # and saving sets its expiry to now + SESSION_COOKIE_AGE.
                request.session[SESSION_REFRESHED_AT_KEY] = now
        return self.get_response(request)


class SecondFactorRequiredMiddleware:
    """Coordinators and admins reach nothing but the two-factor pages and sign-out until
    a second factor has verified them in this session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and (
                user_requires_second_factor(user)
                or (user.is_authenticated and request.session.get(SESSION_HAS_DEVICE_KEY))
            )
            and not user.is_verified()
            and not self._is_allowed_unverified(request)
        ):
            target = (
                "two_factor_verify" if user_has_confirmed_totp_device(user) else "two_factor_setup"
            )
            next_url = request.get_full_path() if request.method == "GET" else ""
            query = f"?{urlencode({'next': next_url})}" if next_url else ""
            return HttpResponseRedirect(f"{reverse(target)}{query}")
        return self.get_response(request)

    @staticmethod
    def _is_allowed_unverified(request: HttpRequest) -> bool:
        if request.path.startswith(settings.STATIC_URL):
            return True
        allowed = {reverse(name) for name in _UNVERIFIED_URL_NAMES}
        return request.path in allowed


class NoStoreForSignedInMiddleware:
    """Pages, JSON and exports shown to a signed-in user carry case data: no browser or
    proxy may keep a copy (a shared computer's back button, a disk cache)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response


class PermissionsPolicyMiddleware:
    """Every response, static files included, denies the browser features the app never
    uses (settings.PERMISSIONS_POLICY_DENIED): a script that got in could not turn on a
    camera, a microphone or location, nor ask for them."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY_DENIED)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response
