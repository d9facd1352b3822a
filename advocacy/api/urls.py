"""The API's advocacy routes, under /api/v1/ beside casework.api.urls (config/urls_api.py)."""

from __future__ import annotations

from django.urls import path

from advocacy.api import documents

urlpatterns = [
    path("documents/", documents.DocumentList.as_view(), name="document_list"),
    path("documents/<int:pk>/", documents.DocumentDetail.as_view(), name="document_detail"),
]
