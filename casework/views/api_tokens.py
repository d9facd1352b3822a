"""The account page's API tokens: make one (its secret shown once), revoke one. The rules
are casework.api_tokens'."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from casework.api_tokens import (
    EXPIRY_DAYS_CHOICES,
    api_token_create,
    api_token_revoke,
    api_tokens_of,
    user_may_create_api_token,
)
from casework.permissions import record_fetch, refuse_unless

SECOND_FACTOR_FIRST = _("Confirm your second factor in this session before making an API token.")


def _expiry_choices() -> list[tuple[int, str]]:
    # Made when the form is shown, in the reader's language: a plural formatted at import
    # time (ngettext_lazy(…) % values) is already English.
    return [
        (days, ngettext("%(days)d day", "%(days)d days", days) % {"days": days})
        for days in EXPIRY_DAYS_CHOICES
    ]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “Our case database sync”."),
    )
    expires_in_days = forms.TypedChoiceField(
        label=_("Expires after"),
        coerce=int,
        initial=90,
        choices=_expiry_choices,
    )
    can_write = forms.TypedChoiceField(
        label=_("Access"),
        coerce=lambda value: value == "write",
        initial="read",
        choices=[
            ("read", _("Read only")),
            (
                "write",
                _(
                    "Read and write (new cases and people, status changes, timeline entries, tasks, imports)"
                ),
            ),
        ],
        widget=forms.RadioSelect,
    )


def _may_create(request: HttpRequest) -> bool:
    verified = getattr(request.user, "is_verified", lambda: False)()
    return user_may_create_api_token(user=request.user, second_factor_verified=verified)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    may_create = _may_create(request)
    form = ApiTokenForm(request.POST or None)
    secret = None
    if request.method == "POST":
        refuse_unless(may_create, SECOND_FACTOR_FIRST)
        if form.is_valid():
            _token, secret = api_token_create(user=request.user, **form.cleaned_data)
            form = ApiTokenForm()
    return render(
        request,
        "casework/accounts/api_tokens.html",
        {
            "form": form,
            "secret": secret,
            "may_create": may_create,
            "tokens": api_tokens_of(request.user),
        },
    )


@never_cache
@login_required
@require_POST
def api_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    # Only the user's own tokens: anyone else's answers as a missing id.
    token = record_fetch(api_tokens_of(request.user), pk)
    api_token_revoke(token=token)
    messages.success(request, gettext("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("api_tokens")
