"""The archive and restore URLs of one kind of record, all served by the one view
(casework/views/archive.py)."""

from __future__ import annotations

from django.urls import URLPattern, path

from casework.views.archive import Archiving, record_archive_view


def archiving_paths(*, archiving: Archiving, name: str) -> list[URLPattern]:
    """``<id>/archive/`` and ``<id>/restore/``, named ``<name>_archive`` and ``<name>_restore``."""
    return [
        path(
            f"<int:pk>/{action}/",
            record_archive_view,
            {"archiving": archiving, "archive": action == "archive"},
            name=f"{name}_{action}",
        )
        for action in ("archive", "restore")
    ]
