"""Vocabularies: affiliations, charges and detention places, with import and export of
whole lists as CSV or XLSX (django-import-export, casework.resources: formula-safe)."""

from __future__ import annotations

from django.contrib import admin
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX

from casework.admin.base import HistoryAdmin
from casework.admin.provenance import ProvenanceInline
from casework.models import (
    Affiliation,
    Charge,
    DetentionPlace,
)
from casework.resources import AffiliationResource, ChargeResource, DetentionPlaceResource

SPREADSHEET_FORMATS = [CSV, XLSX]


@admin.register(Affiliation)
class AffiliationAdmin(ImportExportMixin, HistoryAdmin):
    resource_classes = [AffiliationResource]
    formats = SPREADSHEET_FORMATS
    inlines = [ProvenanceInline]
    list_display = ["name", "short_name", "kind", "banned_as_extremist"]
    list_filter = ["kind", "banned_as_extremist"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Charge)
class ChargeAdmin(ImportExportMixin, HistoryAdmin):
    resource_classes = [ChargeResource]
    formats = SPREADSHEET_FORMATS
    inlines = [ProvenanceInline]
    list_display = ["jurisdiction", "code", "article", "part", "title", "title_ru"]
    list_filter = ["jurisdiction", "code"]
    search_fields = ["article", "title", "title_ru"]


@admin.register(DetentionPlace)
class DetentionPlaceAdmin(ImportExportMixin, HistoryAdmin):
    resource_classes = [DetentionPlaceResource]
    formats = SPREADSHEET_FORMATS
    list_display = ["name", "region", "kind"]
    list_filter = ["region"]
    search_fields = ["name", "region"]
