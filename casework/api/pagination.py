"""Cursor pagination: a page's link holds where it stopped, so rows added meanwhile never
shift or repeat the next page."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Field
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

from common.lookups import ID_MAX

# A cursor is only ever copied from a page's "next" or "previous" link.
INVALID_CURSOR = _("This cursor is not one of a page's links.")


class RecentFirstCursorPagination(CursorPagination):
    """Most recently changed first unless the view sets ``cursor_ordering`` (a total order:
    the id last)."""

    ordering = ("-updated_at", "-id")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    # The field the cursor's position is a value of (set for each request's queryset).
    position_field: Field | None = None

    def get_ordering(self, request, queryset, view):
        return getattr(view, "cursor_ordering", self.ordering)

    def paginate_queryset(self, queryset, request, view=None):
        name = self.get_ordering(request, queryset, view)[0].lstrip("-")
        self.position_field = queryset.model._meta.get_field(name)
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        # DRF answers a malformed cursor with a 404, which would read as a missing list;
        # and it puts the position into the query as it comes, so a hand-made cursor whose
        # position is no value of the field (a word for an id or a date, NUL in a name)
        # failed in the database with a 500.
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise self._invalid() from None
        if cursor is not None and cursor.position is not None:
            self._position_check(cursor.position)
        return cursor

    def _position_check(self, position: str) -> None:
        if "\x00" in position or self.position_field is None:
            raise self._invalid()
        try:
            value = self.position_field.to_python(position)
        except DjangoValidationError:
            raise self._invalid() from None
        if isinstance(value, int) and abs(value) > ID_MAX:
            raise self._invalid()

    def _invalid(self) -> ValidationError:
        return ValidationError({self.cursor_query_param: [INVALID_CURSOR]})
