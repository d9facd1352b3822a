"""Archive and restore documents (POST only, coordinators and admins only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from advocacy.archive import document_archive, document_restore
from advocacy.models import Document
from advocacy.visibility import documents_visible_to
from casework.visibility import user_may_archive


def _document_for(request, pk: int) -> Document:
    # Archived documents too: restoring one is what this is for.
    document = get_object_or_404(documents_visible_to(request.user, include_archived=True), pk=pk)
    if not user_may_archive(request.user):
        raise PermissionDenied("Only coordinators and admins archive or restore documents.")
    return document


@login_required
@require_POST
def document_archive_view(request, pk: int):
    document = _document_for(request, pk)
    document_archive(document=document, by=request.user)
    messages.success(request, f"“{document.title}” archived. It can be restored.")
    return redirect("document_list")


@login_required
@require_POST
def document_restore_view(request, pk: int):
    document = _document_for(request, pk)
    document_restore(document=document, by=request.user)
    messages.success(request, f"“{document.title}” restored.")
    return redirect(document)
