"""What a password may not be, beyond Django's validators (settings.AUTH_PASSWORD_VALIDATORS):
it may not contain the account's own name. Django's similarity check compares the whole
password with each attribute, so "caseworkercaseworker1" (the username twice and a digit)
is only 65% like "caseworker" and passes it; an attacker who knows the username tries
exactly such passwords first."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Shorter names ("al", "kim") occur inside too many good passphrases to refuse them.
MIN_NAME_CHARS = 4


def _names_of(user: Any) -> list[str]:
    email = getattr(user, "email", "") or ""
    values = [
        getattr(user, "username", "") or "",
        getattr(user, "first_name", "") or "",
        getattr(user, "last_name", "") or "",
        email.split("@", 1)[0],
    ]
    return [value.casefold() for value in values if len(value) >= MIN_NAME_CHARS]


class PasswordContainsNameValidator:
    """Refuse a password that contains the username, the first or last name or the
    e-mail's local part, in any case."""

    def validate(self, password: str, user: Any = None) -> None:
        if user is None:
            return
        folded = password.casefold()
        if any(name in folded for name in _names_of(user)):
            raise ValidationError(
                _("The password contains your username or your name."),
                code="password_contains_name",
            )

    def get_help_text(self) -> str:
        return _("Your password can’t contain your username or your name.")
