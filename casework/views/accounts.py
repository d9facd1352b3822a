"""Sign-in, the second factor (set-up, verification, backup codes) and sign-out.

Sign-in is two steps: the password (Django's LoginView, throttled by django-axes), then,
for coordinators and admins, a code from an authenticator app or a backup code. Until the
second step succeeds casework.security.SecondFactorRequiredMiddleware lets them reach
only these pages.
"""

from __future__ import annotations

import base64
import io
import logging
from urllib.parse import urlencode

import django_otp
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

from casework.permissions import require_admin_site_user
from casework.security import (
    safe_next_url,
    user_confirm_totp_device,
    user_has_confirmed_totp_device,
    user_replace_backup_codes,
    user_start_totp_setup,
    user_verify_second_factor,
)

logger = logging.getLogger(__name__)


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
        help_text=_("Six digits from your authenticator app, or one of your backup codes."),
    )


class SetupCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class LoginView(auth_views.LoginView):
    """Django's sign-in view. Its form gives one message for an unknown user and a wrong
    password, and django-axes counts each failure against username + address."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Sent here from a page (its address in `next`): most often a session that ended
        # while its user was away or typing; the page says so, and after how long.
        context["idle_minutes"] = settings.SESSION_COOKIE_AGE // 60
        context["absolute_hours"] = settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS // 3600
        return context


@never_cache
def admin_login(request: HttpRequest) -> HttpResponse:
    """Where the admin site sends whoever it does not admit. The app's sign-in is the one
    way in; but a signed-in user who is not staff would be sent straight back to the admin
    by it and round again, so they are told the admin is not for them instead; a staff
    user without a second factor in this session goes to that step."""
    user = request.user
    if not user.is_authenticated:
        query = request.META.get("QUERY_STRING", "")
        return redirect(reverse("login") + (f"?{query}" if query else ""))
    require_admin_site_user(user)
    next_url = safe_next_url(request, request.GET.get("next") or reverse("admin:index"))
    return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': next_url})}")


def _qr_code_data_uri(text: str) -> str:
    # A data: URI in an <img>, not inline <svg>: the CSP allows img data: but no inline style.
    # qrcode (and PIL) imported here, for the one page that shows a code, not with the URLconf.
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=12)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def backup_code_used_warn(request: HttpRequest, *, device: StaticDevice) -> None:
    """Whoever signs in with a backup code has most likely lost their phone: say how many
    codes are left and where a new phone is set up, before the last one is spent."""
    left = device.token_set.count()
    messages.warning(
        request,
        ngettext(
            "You signed in with a backup code; %(count)d is left. If you lost your phone, "
            "set up a new one under Two-factor sign-in.",
            "You signed in with a backup code; %(count)d are left. If you lost your phone, "
            "set up a new one under Two-factor sign-in.",
            left,
        )
        % {"count": left},
    )


@sensitive_post_parameters("code")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    next_url = safe_next_url(request, request.POST.get("next") or request.GET.get("next"))
    if request.user.is_verified():
        return redirect(next_url)
    if not user_has_confirmed_totp_device(request.user):
        return redirect("two_factor_setup")
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = user_verify_second_factor(user=request.user, code=form.cleaned_data["code"])
        if device is not None:
            # A new session key once fully signed in, so a key seen before the second
            # factor is worth nothing afterwards.
            request.session.cycle_key()
            django_otp.login(request, device)
            logger.info("Second factor accepted for user id %s", request.user.pk)
            if isinstance(device, StaticDevice):
                backup_code_used_warn(request, device=device)
            return redirect(next_url)
        logger.warning("Second factor refused for user id %s", request.user.pk)
        form.add_error(
            "code", _("That code was not accepted. Codes work once; wait for a new one.")
        )
    return render(
        request, "casework/accounts/two_factor_verify.html", {"form": form, "next": next_url}
    )


@sensitive_post_parameters("code")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    # Someone holding only the password must not be able to enrol their own phone for an
    # account that already has one: replacing a device needs a verified session.
    if user_has_confirmed_totp_device(request.user) and not request.user.is_verified():
        return redirect("two_factor_verify")
    device = user_start_totp_setup(user=request.user)
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if user_confirm_totp_device(
            user=request.user, device=device, token=form.cleaned_data["code"]
        ):
            request.session.cycle_key()
            django_otp.login(request, device)
            codes = user_replace_backup_codes(user=request.user)
            logger.info("Authenticator app set up for user id %s", request.user.pk)
            return render(
                request,
                "casework/accounts/backup_codes.html",
                {"codes": codes, "next": safe_next_url(request, request.GET.get("next"))},
            )
        form.add_error(
            "code",
            _("That code did not match. Check the app shows Advocase and try the newest code."),
        )
    secret = base64.b32encode(device.bin_key).decode("ascii")
    return render(
        request,
        "casework/accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_code": _qr_code_data_uri(device.config_url),
            "secret_groups": [secret[index : index + 4] for index in range(0, len(secret), 4)],
        },
    )


@never_cache
@login_required
@require_POST
def backup_codes_replace(request: HttpRequest) -> HttpResponse:
    if not request.user.is_verified():
        return redirect("two_factor_verify")
    codes = user_replace_backup_codes(user=request.user)
    messages.success(request, _("New backup codes made; the old ones no longer work."))
    return render(
        request,
        "casework/accounts/backup_codes.html",
        {"codes": codes, "next": safe_next_url(request, None)},
    )


@never_cache
@login_required
def two_factor_settings(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "casework/accounts/two_factor_settings.html",
        {
            "has_device": user_has_confirmed_totp_device(request.user),
            "backup_codes_left": StaticToken.objects.filter(
                device__user=request.user, device__confirmed=True
            ).count(),
        },
    )
