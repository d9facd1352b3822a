"""Who an API request comes from: a personal token (``Authorization: Bearer …``), or the
signed-in session (the docs page), which for coordinators and admins counts only once the
second factor verified it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from casework.api_tokens import api_token_authenticate
from casework.models import ApiToken
from casework.security import user_requires_second_factor

TOKEN_REFUSED = _("This token is unknown, expired or revoked.")
KEYWORD = b"bearer"


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[object, ApiToken] | None:
        parts = request.META.get("HTTP_AUTHORIZATION", "").encode("latin-1", "replace").split()
        if not parts or parts[0].lower() != KEYWORD:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(TOKEN_REFUSED)
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(TOKEN_REFUSED) from None
        token = api_token_authenticate(secret=secret)
        if token is None:
            raise AuthenticationFailed(TOKEN_REFUSED)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class VerifiedSessionAuthentication(SessionAuthentication):
    """The session, with its CSRF check; a coordinator's session that the second factor
    has not verified signs nobody in."""

    def authenticate(self, request: Request):
        user = getattr(request._request, "user", None)
        if (
            user is not None
            and user_requires_second_factor(user)
            and not getattr(user, "is_verified", lambda: False)()
        ):
            return None
        return super().authenticate(request)


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "casework.api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A personal API token."}


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    target_class = "casework.api.authentication.VerifiedSessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
