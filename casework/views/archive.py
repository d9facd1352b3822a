"""Archive and restore, one view for people, cases and documents (POST only).

Each kind is an Archiving: how to fetch the record for archiving (casework.permissions'
case_for_user and person_for_user, advocacy.permissions' document_for_user), the message
to show and where to go next. The fetch decides who may: a record the user may not see,
and an archived one a user who may not archive, is a 404 exactly like a missing id; a
visible one they may not archive is a 403 with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from casework.archive import record_archive, record_restore
from casework.permissions import case_for_user, person_for_user


@dataclass(frozen=True)
class Archiving:
    """What the archive and restore view needs to know about one kind of record."""

    fetch: Callable[..., Any]  # (user, pk, *, for_archiving=True) -> record
    name: Callable[[Any], str]  # how the messages name the record
    archived_message: str | Promise  # with %(name)s
    restored_message: str | Promise
    after_archiving: Callable[[Any], Any]  # a model or URL name for redirect()


CASES = Archiving(
    fetch=case_for_user,
    name=lambda case: case.reference,
    archived_message=_("Case %(name)s archived. It can be restored."),
    restored_message=_("Case %(name)s restored."),
    # An archived case's page is missing to everyone: the list, where it no longer is.
    after_archiving=lambda case: "case_list",
)
PEOPLE = Archiving(
    fetch=person_for_user,
    name=lambda person: person.full_name,
    archived_message=_("%(name)s archived. The record can be restored."),
    restored_message=_("%(name)s restored."),
    after_archiving=lambda person: "person_list",
)


@login_required
@require_POST
def record_archive_view(
    request: HttpRequest, pk: int, *, archiving: Archiving, archive: bool
) -> HttpResponse:
    """Archive (``archive=True``) or restore the record; the URL patterns say which kind
    and which way (casework.urls, advocacy.urls)."""
    record = archiving.fetch(request.user, pk, for_archiving=True)
    if archive:
        record_archive(record=record, by=request.user)
        message, target = archiving.archived_message, archiving.after_archiving(record)
    else:
        record_restore(record=record, by=request.user)
        message, target = archiving.restored_message, record
    messages.success(request, message % {"name": archiving.name(record)})
    return redirect(target)
