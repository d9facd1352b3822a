"""Archive and restore documents (POST only, coordinators and admins only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from advocacy.archive import document_archive, document_restore
from advocacy.models import Document
from casework.visibility import user_may_archive, user_membership


def _document_for(request, pk: int) -> Document:
    # Documents are public statements, seen by every member; a user with no organisation
    # sees nothing, as everywhere else.
    if user_membership(request.user) is None:
        raise Http404("No such document.")
    document = get_object_or_404(Document.objects.all(), pk=pk)
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
