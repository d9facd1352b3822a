"""Who may change documents and mentions, and the one way a view fetches them, on top of
casework.permissions (the same habits: Http404 for what the user may not see, exactly as
for a missing id; PermissionDenied with the reason for what they see but may not change).

Every member reads every document that is not archived (advocacy.visibility); staff of
an organisation (not partner users) record and edit documents and curate their
mentions; coordinators and admins archive and restore them, and only they reach an
archived document at all.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from advocacy.models import Document, Mention
from advocacy.visibility import documents_visible_to, mentions_visible_to
from casework.permissions import (
    ARCHIVING_REFUSED,
    record_fetch,
    refuse_unless,
    user_is_staff_member,
    user_may_archive,
)
from casework.visibility import AnyUser

DOCUMENT_CHANGE_REFUSED = _("Only staff of an organisation may change documents.")
MENTION_CHANGE_REFUSED = _("Only staff of an organisation may change a document's mentions.")


def user_may_edit_documents(user: AnyUser) -> bool:
    """Staff of an organisation record documents and curate their mentions; partner users
    read them."""
    return user_is_staff_member(user)


def require_document_editor(user: AnyUser) -> None:
    refuse_unless(user_may_edit_documents(user), DOCUMENT_CHANGE_REFUSED)


def document_for_user(
    user: AnyUser,
    pk: object,
    *,
    for_change: bool = False,
    for_archiving: bool = False,
    select_related: Iterable[str] = (),
) -> Document:
    """The document, if the user may see it (else Http404); with for_change,
    PermissionDenied unless they may edit documents; with for_archiving, archived ones too
    for those who may archive (missing for anyone else), PermissionDenied unless they may."""
    may_archive = for_archiving and user_may_archive(user)
    documents = documents_visible_to(user, include_archived=may_archive)
    if select_related:
        documents = documents.select_related(*select_related)
    document = record_fetch(documents, pk)
    if for_change:
        require_document_editor(user)
    if for_archiving:
        refuse_unless(may_archive, ARCHIVING_REFUSED)
    return document


def mention_for_user(user: AnyUser, pk: object, *, for_change: bool = False) -> Mention:
    """A mention of a case the user may see, in a document that is not archived; with
    for_change, PermissionDenied unless they may curate mentions."""
    mention = record_fetch(mentions_visible_to(user).select_related("document"), pk)
    if for_change:
        refuse_unless(user_may_edit_documents(user), MENTION_CHANGE_REFUSED)
    return mention
