"""Responsible persons named in a document: detection and staff review. The section on
the document page is rendered by accountability.sections."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accountability.detection import (
    document_responsible_detection_start,
    document_responsible_named,
    named_in_document_review,
)
from accountability.permissions import named_in_document_for_user
from accountability.visibility import user_may_see_any_responsible_person
from advocacy.mentions import DecidedSince
from advocacy.permissions import document_for_user


@login_required
@require_POST
def document_detect(request, pk: int):
    document = document_for_user(request.user, pk)
    if not user_may_see_any_responsible_person(request.user):
        raise Http404
    back = f"{document.get_absolute_url()}#responsible-named"
    if not document.full_text.strip():
        messages.info(request, _("This document has no text yet: paste it or upload a file first."))
        return redirect(back)
    created = document_responsible_detection_start(document=document, by=request.user)
    if created is None:
        messages.info(
            request,
            _(
                "The text is long, so the search for responsible persons runs in the "
                "background: reload this page in a minute to see whom it proposes."
            ),
        )
        return redirect(back)
    if (
        created == 0
        and not document_responsible_named(document=document, user=request.user).exists()
    ):
        messages.info(request, _("The text names no responsible person you can see."))
        return redirect(back)
    if created == 0:
        messages.info(
            request,
            _(
                "No new responsible person found in the text: those listed below were "
                "proposed before, and their decisions stay as they are."
            ),
        )
        return redirect(back)
    messages.success(
        request,
        ngettext(
            "%(count)d responsible person proposed.",
            "%(count)d responsible persons proposed.",
            created,
        )
        % {"count": created},
    )
    return redirect(back)


@login_required
@require_POST
def named_review(request, pk: int, decision: str):
    if decision not in ("confirm", "reject"):
        raise Http404
    named = named_in_document_for_user(request.user, pk)
    document = document_for_user(request.user, named.document_id)
    try:
        named_in_document_review(
            named=named,
            by=request.user,
            confirmed=decision == "confirm",
            shown_state=request.POST.get("shown_state"),
        )
    except DecidedSince as refused:
        messages.error(request, refused.message)
    return redirect(f"{document.get_absolute_url()}#responsible-named")
