"""Archive and restore documents; they are never deleted (see casework.archive)."""

from __future__ import annotations

from advocacy.models import Document
from casework.archive import record_archive, record_restore


def document_archive(*, document: Document, by) -> None:
    record_archive(record=document, by=by)


def document_restore(*, document: Document, by) -> None:
    record_restore(record=document, by=by)
