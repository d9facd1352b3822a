"""Requests per token (or per signed-in user, for the session), counted in the cache every
worker shares (settings.API_CACHE_ALIAS)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle

from casework.models import ApiToken


class ApiTokenRateThrottle(SimpleRateThrottle):
    scope = "api"

    @property
    def cache(self):  # type: ignore[override]
        return caches[settings.API_CACHE_ALIAS]

    def get_rate(self) -> str:
        # Read on every request (not once at import), so a deployment or a test sets it.
        return settings.API_THROTTLE_RATE

    def get_cache_key(self, request, view) -> str:
        token = request.auth
        if isinstance(token, ApiToken):
            # The hash's start, not the id: ids come back after a database is rebuilt.
            ident = f"token-{token.key_hash[:20]}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
