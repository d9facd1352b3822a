from casework.notifications import notifications_unread_count
from casework.visibility import user_membership


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    membership = user_membership(user) if user is not None else None
    context = {"membership": membership}
    if membership is not None:
        # The bell's count: one query per page, whatever the number of notifications.
        context["unread_notifications_count"] = notifications_unread_count(user)
    return context
