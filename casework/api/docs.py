"""The schema (OpenAPI 3.1, JSON or YAML) and the interactive docs page, served from the
app's own static files (drf-spectacular-sidecar's Swagger UI) with the set-up script as a
file of its own, so the page works under the CSP's script-src 'self'."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.utils import translation
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.request import Request
from rest_framework.response import Response

from casework.permissions import user_sees_sensitive_fields

# The schema, once built, by what it can differ in: its language, the API version, the
# URLs, and its audience (casework.api.serializers leaves the sensitive fields out for
# whoever may not see them). The rest is the code's, the same in every process until the
# next deploy; building it costs a quarter of a second of CPU a request.
_schemas: dict[tuple[object, ...], Any] = {}


class ApiSchema(SpectacularAPIView):
    """drf-spectacular's schema view, building the schema once per process for each
    language, version and audience."""

    def _get_schema_response(self, request: Request) -> Response:
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (
            translation.get_language(),
            version,
            getattr(request, "urlconf", None) or settings.ROOT_URLCONF,
            user_sees_sensitive_fields(request.user),
        )
        if key not in _schemas:
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            _schemas[key] = generator.get_schema(request=request, public=self.serve_public)
        return Response(
            data=_schemas[key],
            headers={
                "Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'
            },
        )


class ApiDocs(SpectacularSwaggerSplitView):
    template_name = "api/docs.html"
    url_name = "api:schema"


schema_view = ApiSchema.as_view()
# The page is for people: someone not signed in goes to the sign-in page, not a 401.
docs_view = login_required(ApiDocs.as_view())
