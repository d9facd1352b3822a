from casework.visibility import user_membership


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    membership = user_membership(user) if user is not None else None
    return {"membership": membership}
