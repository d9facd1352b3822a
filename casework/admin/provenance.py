"""Where a record's facts come from (casework.models.Provenance), beside the record in the
admin: the passage, the inference and its reason, or the outside reference. Read only: the
seeds write it, with the text it cites, and a change here could not be checked against
that text. Sources are sensitive: only users who may see sources see these rows."""

from __future__ import annotations

from typing import Any

from django.contrib.admin.options import BaseModelAdmin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db.models import QuerySet
from django.http import HttpRequest

from casework.models import Provenance
from casework.permissions import user_sees_sensitive_fields


class ProvenanceInline(GenericTabularInline):
    model = Provenance
    ct_field = "record_type"
    ct_fk_field = "record_id"
    fields = [
        "facts",
        "basis",
        "source_type",
        "source_id",
        "reference",
        "quote",
        "note",
        "position",
    ]
    extra = 0

    def _sees_sources(self, request: HttpRequest) -> bool:
        return user_sees_sensitive_fields(request.user)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Provenance]:
        # Django's inline asks has_view_permission without a record here; the record's
        # own page is where this inline shows at all (see below).
        rows = BaseModelAdmin.get_queryset(self, request)
        return rows if self._sees_sources(request) else rows.none()

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Not on an add page: a new record has no sources yet (and its form stays as it was).
        return (
            obj is not None
            and self._sees_sources(request)
            and super().has_view_permission(request, obj)
        )

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
