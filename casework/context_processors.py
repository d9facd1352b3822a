from django.utils.functional import SimpleLazyObject

from casework.notifications import notifications_unread_count
from casework.visibility import user_membership


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    membership = user_membership(user) if user is not None else None
    context = {"membership": membership}
    if membership is not None:
        # The bell's count: one query per page, whatever the number of notifications, and
        # only when the page shows it (an htmx fragment such as the case list's results
        # has no bell, and is asked for on every keystroke in the name box).
        context["unread_notifications_count"] = SimpleLazyObject(
            lambda: notifications_unread_count(user)
        )
    return context
