"""Which documents and mentions a user may reach, built on casework.visibility.

Documents are public statements (resolutions, appeals, letters): every member of an
organisation reads every document that is not archived; a user with no organisation (or
a deactivated one) reads none, as with cases. What a document says about cases is a
different matter: its mentions are reached only through the cases the user may see.
Every document page, the admin and the tasks fetch documents through this module.
"""

from __future__ import annotations

from django.db.models import QuerySet

from advocacy.models import Document, Mention
from casework.visibility import AnyUser, case_visibility_condition, user_membership


def documents_visible_to(user: AnyUser, *, include_archived: bool = False) -> QuerySet[Document]:
    """Archived documents are left out unless asked for (restoring one, the admin)."""
    if user_membership(user) is None:
        return Document.objects.none()
    documents = Document.objects.all()
    if not include_archived:
        documents = documents.filter(archived_at__isnull=True)
    return documents


def mentions_visible_to(user: AnyUser, *, include_archived: bool = False) -> QuerySet[Mention]:
    """Mentions of a case the user may see, in a document the user may see."""
    if user_membership(user) is None:
        return Mention.objects.none()
    mentions = Mention.objects.filter(case_visibility_condition(user, prefix="case__"))
    if not include_archived:
        mentions = mentions.filter(
            document__archived_at__isnull=True, case__archived_at__isnull=True
        )
    return mentions
