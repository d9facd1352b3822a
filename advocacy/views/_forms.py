"""What the actor, engagement and campaign pages share: a form's errors from a
ValidationError, the "nothing was saved" message, and the one-form page (a name, a
position, a stance, a file, a follow-up) that saves through one function."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model

from advocacy.visibility import campaigns_visible_to
from casework.visibility import user_membership
from common import forms as common_forms
from common.forms import form_errors_apply


def form_failed(request, form) -> None:
    common_forms.form_failed(request)


# One rule for every app's pages (common.forms); the name these pages' views import.
apply_errors = form_errors_apply


def form_page(
    request,
    form,
    *,
    save: Callable[[dict[str, Any]], object],
    back,
    heading: str,
    button: str,
    success: str,
    multipart: bool = False,
):
    """A page of one form about `back` (an actor or an engagement)."""
    return common_forms.form_page(
        request,
        form,
        save=save,
        back=back,
        success=success,
        template="advocacy/_small_form.html",
        context={"heading": heading, "button": button, "multipart": multipart},
    )


def own_campaigns(user):
    """The campaigns of the user's organisation that the user may see (to link to)."""
    membership = user_membership(user)
    if membership is None:
        return campaigns_visible_to(user).none()
    return (
        campaigns_visible_to(user)
        .filter(owning_organisation_id=membership.organisation_id)
        .order_by("name")
    )


def organisation_staff(user):
    """Active members of the user's organisation (a campaign's team, our staff)."""
    membership = user_membership(user)
    users = get_user_model().objects.filter(is_active=True).order_by("username")
    if membership is None:
        return users.none()
    return users.filter(membership__organisation_id=membership.organisation_id)
