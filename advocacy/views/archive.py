"""Archiving and restoring documents: casework's one archive view, told about documents."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from advocacy.permissions import document_for_user
from casework.views.archive import Archiving

DOCUMENTS = Archiving(
    fetch=document_for_user,
    name=lambda document: document.title,
    archived_message=_("“%(name)s” archived. It can be restored."),
    restored_message=_("“%(name)s” restored."),
    # An archived document's page is hidden: back to the list.
    after_archiving=lambda document: "document_list",
)
