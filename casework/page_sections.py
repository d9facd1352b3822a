"""Sections that other apps add to a page of this one (or of advocacy), without either
importing them: an app registers a renderer for a page name ("case", "document") in its
AppConfig.ready, and the page's template calls {% page_sections "case" case %}.

A renderer takes the request and the page's record and returns HTML (empty for a user
who may not see the section); it decides visibility itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString

SectionRenderer = Callable[[HttpRequest, Any], SafeString | str]

_SECTIONS: dict[str, list[SectionRenderer]] = {}


def page_section_register(*, page: str, renderer: SectionRenderer) -> None:
    """Add a section to every page named `page` (once, however often ready() runs)."""
    renderers = _SECTIONS.setdefault(page, [])
    if renderer not in renderers:
        renderers.append(renderer)


def page_sections_render(*, page: str, request: HttpRequest, record: Any) -> list[SafeString | str]:
    return [renderer(request, record) for renderer in _SECTIONS.get(page, ())]
