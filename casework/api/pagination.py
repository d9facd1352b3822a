"""Cursor pagination: a page's link holds where it stopped, so rows added meanwhile never
shift or repeat the next page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

# A cursor is only ever copied from a page's "next" or "previous" link.
INVALID_CURSOR = _("This cursor is not one of a page's links.")


class RecentFirstCursorPagination(CursorPagination):
    """Most recently changed first unless the view sets ``cursor_ordering`` (a total order:
    the id last)."""

    ordering = ("-updated_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_ordering(self, request, queryset, view):
        return getattr(view, "cursor_ordering", self.ordering)

    def decode_cursor(self, request):
        # DRF answers a malformed cursor with a 404, which would read as a missing list.
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise ValidationError({self.cursor_query_param: [INVALID_CURSOR]}) from None
