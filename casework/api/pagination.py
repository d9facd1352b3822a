"""Cursor pagination: a page's link holds where it stopped, so rows added meanwhile never
shift or repeat the next page."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination


class RecentFirstCursorPagination(CursorPagination):
    """Most recently changed first unless the view sets ``cursor_ordering`` (a total order:
    the id last)."""

    ordering = ("-updated_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_ordering(self, request, queryset, view):
        return getattr(view, "cursor_ordering", self.ordering)
