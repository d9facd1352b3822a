"""What every endpoint asks first: a signed-in user, and a read-write token (or the
session) for anything but reading. Which records they reach is casework.permissions'."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from casework.models import ApiToken

READ_ONLY_TOKEN = _("This token is read-only: make a read-write token to change records.")


class TokenScopePermission(BasePermission):
    message = READ_ONLY_TOKEN

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            return True
        token = request.auth
        return not isinstance(token, ApiToken) or token.can_write
