"""Every route of the URL resolver, walked, for the sweeps that must reach every URL
(tests/test_idor*.py, tests/test_sensitive_fields.py, the API schema's test)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse


@dataclass
class Route:
    name: str | None
    route: str
    namespace: str | None
    kwargs: tuple[str, ...]
    positional: int = 0  # unnamed groups of a regex route (django-simple-history's)

    @property
    def label(self) -> str:
        return f"{self.namespace + ':' if self.namespace else ''}{self.name} ({self.route})"

    def url(self, kwargs: dict | None = None, args: list | None = None) -> str:
        name = f"{self.namespace}:{self.name}" if self.namespace else self.name
        return reverse(name, kwargs=kwargs or None, args=args or None)


def _walk(patterns, prefix: str = "", namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(
                pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace
            )
        elif isinstance(pattern, URLPattern):
            converters = getattr(pattern.pattern, "converters", {}) or {}
            regex = pattern.pattern.regex
            kwargs = tuple(converters) or tuple(regex.groupindex)
            positional = 0 if kwargs else regex.groups
            yield Route(pattern.name, prefix + str(pattern.pattern), namespace, kwargs, positional)


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))
