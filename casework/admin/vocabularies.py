"""Vocabularies: affiliations, charges and detention places."""

from __future__ import annotations

from django.contrib import admin

from casework.admin.base import HistoryAdmin
from casework.models import (
    Affiliation,
    Charge,
    DetentionPlace,
)

# --- Vocabularies ----------------------------------------------------------------------


@admin.register(Affiliation)
class AffiliationAdmin(HistoryAdmin):
    list_display = ["name", "short_name", "kind", "banned_as_extremist"]
    list_filter = ["kind", "banned_as_extremist"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Charge)
class ChargeAdmin(HistoryAdmin):
    list_display = ["jurisdiction", "code", "article", "part", "title"]
    list_filter = ["jurisdiction", "code"]
    search_fields = ["article", "title"]


@admin.register(DetentionPlace)
class DetentionPlaceAdmin(HistoryAdmin):
    list_display = ["name", "region", "kind"]
    list_filter = ["region"]
    search_fields = ["name", "region"]
