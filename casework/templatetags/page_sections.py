from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from casework.page_sections import page_sections_render

register = template.Library()


@register.simple_tag(takes_context=True)
def page_sections(context: dict[str, Any], page: str, record: Any) -> SafeString:
    """The sections other apps registered for this page (casework.page_sections)."""
    request = context.get("request")
    if request is None:
        return SafeString("")
    rendered = page_sections_render(page=page, request=request, record=record)
    return format_html_join("\n", "{}", ((html,) for html in rendered if html))
