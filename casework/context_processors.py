"""What every page's template is given: the user's membership, the bell's count, and
``perms``, which answers the app's own questions (casework.permissions) besides Django's.

Django's auth context processor puts a PermWrapper in ``perms`` (``perms.casework.add_case``);
this one, listed after it in the settings, replaces it with AppPermissions, which answers
``perms.manages_followups`` and the other names in APP_PERMISSIONS from
casework.permissions, and hands every other name to Django's wrapper as before. So a
template asks ``{% if perms.may_archive %}`` rather than spelling out roles.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.context_processors import PermWrapper
from django.utils.functional import SimpleLazyObject

from casework.notifications import notifications_unread_count
from casework.permissions import (
    user_creates_follow_ups,
    user_manages_accounts,
    user_manages_follow_ups,
    user_manages_vocabularies,
    user_may_archive,
    user_sees_sensitive_fields,
)
from casework.visibility import user_membership

# perms.<name> -> the rule that answers it. None of them is an app label, which Django's
# wrapper would answer.
APP_PERMISSIONS: dict[str, Callable[[object], bool]] = {
    "manages_followups": user_manages_follow_ups,
    "creates_followups": user_creates_follow_ups,
    "may_archive": user_may_archive,
    "sees_sensitive_fields": user_sees_sensitive_fields,
    "manages_accounts": user_manages_accounts,
    "manages_vocabularies": user_manages_vocabularies,
}


class AppPermissions(PermWrapper):
    """Django's PermWrapper, answering the names in APP_PERMISSIONS too (each asked once
    per page)."""

    def __init__(self, user):
        super().__init__(user)
        self._answers: dict[str, bool] = {}

    def __getitem__(self, name):
        rule = APP_PERMISSIONS.get(name)
        if rule is None:
            return super().__getitem__(name)
        if name not in self._answers:
            self._answers[name] = bool(rule(self.user))
        return self._answers[name]


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    membership = user_membership(user) if user is not None else None
    context = {"membership": membership}
    if user is not None:
        context["perms"] = AppPermissions(user)
    if membership is not None:
        # The bell's count: one query per page, whatever the number of notifications, and
        # only when the page shows it (an htmx fragment such as the case list's results
        # has no bell, and is asked for on every keystroke in the name box).
        context["unread_notifications_count"] = SimpleLazyObject(
            lambda: notifications_unread_count(user)
        )
    return context
