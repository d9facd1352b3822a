"""Personal API tokens: made and revoked on the account page, checked on every API request.

- A token is shown once, when made (api_token_create returns it beside the row); only its
  SHA-256 is kept, so a copy of the database signs nobody in.
- Coordinators and admins (everyone the second factor is required of) make tokens only in
  a session that the second factor verified: a stolen password alone must not yield a
  token that outlives the session.
- A token is read-only unless made read-write; expired and revoked tokens sign nobody in.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.db.models import QuerySet
from django.utils import timezone

from casework.models import ApiToken
from casework.security import user_requires_second_factor

# The secret's visible start, so the owner can tell tokens apart on the account page.
TOKEN_PREFIX = "adv_"  # noqa: S105  (a marker, not a secret)
PREFIX_SHOWN = 12
# Writing last_used_at on every request would cost an UPDATE per call; once a minute is
# exact enough to tell a token in use from one forgotten.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)
EXPIRY_DAYS_CHOICES = (7, 30, 90, 365)


def api_token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def user_may_create_api_token(*, user, second_factor_verified: bool) -> bool:
    """Anyone signed in, but those who must use a second factor only once it verified
    this session."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return second_factor_verified or not user_requires_second_factor(user)


def api_token_create(
    *, user, name: str, expires_in_days: int, can_write: bool
) -> tuple[ApiToken, str]:
    """A new token and its secret (shown once, never stored)."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=secret[:PREFIX_SHOWN],
        key_hash=api_token_hash(secret),
        can_write=can_write,
        expires_at=timezone.now() + datetime.timedelta(days=expires_in_days),
    )
    return token, secret


def api_tokens_of(user) -> QuerySet[ApiToken]:
    """The user's tokens that still work or were revoked, newest first."""
    return ApiToken.objects.filter(user=user)


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
    return token


def api_token_authenticate(*, secret: str, now: datetime.datetime | None = None) -> ApiToken | None:
    """The live token this secret is, with its (active) user; None for anything else."""
    now = now or timezone.now()
    # get() on the unique hash: first() would order by the model's ordering (two columns
    # the ORM resolves on every API request) to pick among at most one row.
    try:
        token = ApiToken.objects.select_related("user").get(
            key_hash=api_token_hash(secret), revoked_at__isnull=True, expires_at__gt=now
        )
    except ApiToken.DoesNotExist:
        return None
    if not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
