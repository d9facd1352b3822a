"""Zip archives a person uploads (XLSX, ODS, DOCX), opened only after their members' sizes
are checked: a small file that expands to gigabytes (a zip bomb) is refused before any
reader decompresses it. The callers word the refusal for their own kind of file."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

# A member smaller than this is never refused for its ratio: small XML parts compress well.
_RATIO_CHECKED_FROM = 1_000_000


@dataclass
class ZipExpansionRefused(Exception):
    """Either one member expands `ratio` times (`part` names it), or all of them together
    to `total` bytes."""

    part: str | None = None
    ratio: float = 0.0
    total: int = 0


def zip_expansion_check(archive: zipfile.ZipFile, *, max_ratio: int, max_total: int) -> None:
    """Raise ZipExpansionRefused for an archive a member of which expands more than
    `max_ratio` times, or whose members expand to more than `max_total` bytes together (as
    the archive declares them: zipfile stops reading a member at its declared size)."""
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_CHECKED_FROM and ratio > max_ratio:
            raise ZipExpansionRefused(part=info.filename, ratio=ratio)
    if total > max_total:
        raise ZipExpansionRefused(total=total)
