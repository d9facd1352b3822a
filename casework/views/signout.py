"""Signing out, with a message on the sign-in page it leads to."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.utils.translation import gettext


class SignOutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        was_signed_in = request.user.is_authenticated
        # LogoutView flushes the session first; the message goes into the new one.
        response = super().post(request, *args, **kwargs)
        if was_signed_in:
            messages.success(
                request,
                gettext("You have signed out. On a shared computer, close the browser too."),
            )
        return response
