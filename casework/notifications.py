"""In-app notifications: what a user sees under the bell. Always on, whatever the email
preference. The reminder sender (casework.reminders) writes them, in bulk."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from casework.models import Notification
from casework.visibility import cases_visible_to, rule_built_once
from common.compiled_queries import instances_compiled_once


def notifications_for(user) -> QuerySet[Notification]:
    """A user's own notifications, newest first; nobody reads another user's. One about a
    case the user may no longer see (restricted since, or they changed organisation) is
    hidden, in the same query: the visibility rule decides, as on every other page."""
    visible_cases = cases_visible_to(user, include_archived=True).values("pk")
    return (
        Notification.objects.filter(user_id=user.pk)
        .filter(Q(case__isnull=True) | Q(case__in=visible_cases))
        .order_by("-created_at", "-pk")
    )


def notifications_unread_count(user) -> int:
    """The bell's count: what the list would show unread.

    Every page shows the bell, and most people have nothing unread most of the time: a
    look at their own unread rows answers 0 without the visibility rule, whose query
    costs some four times as much to build. Only when something is unread does the count
    ask which of it the user may still see. The look is compiled once per connection
    (common.compiled_queries): building it cost more than running it."""
    own_unread = instances_compiled_once(
        name="own-unread-notification",
        model=Notification,
        queryset_for=lambda user_id: (
            Notification.objects.filter(user_id=user_id, read_at__isnull=True)
            .order_by()
            .only("pk")[:1]
        ),
        value=user.pk,
    )
    if not own_unread:
        return 0
    # Built once for the user's rule key (casework.visibility.rule_built_once): building
    # it cost as much as counting.
    unread = rule_built_once(
        "unread-notifications",
        user,
        lambda: notifications_for(user).filter(read_at__isnull=True).order_by(),
    )
    return unread.count()


def notification_mark_read(*, notification: Notification) -> bool:
    """True when this call marked it; reading twice keeps the first moment."""
    return bool(
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    )


def notifications_mark_all_read(*, user) -> int:
    return (
        notifications_for(user)
        .filter(read_at__isnull=True)
        .order_by()
        .update(read_at=timezone.now())
    )
