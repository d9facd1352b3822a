"""The schema (OpenAPI 3.1, JSON or YAML) and the interactive docs page, served from the
app's own static files (drf-spectacular-sidecar's Swagger UI) with the set-up script as a
file of its own, so the page works under the CSP's script-src 'self'."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView


class ApiDocs(SpectacularSwaggerSplitView):
    template_name = "api/docs.html"
    url_name = "api:schema"


schema_view = SpectacularAPIView.as_view()
# The page is for people: someone not signed in goes to the sign-in page, not a 401.
docs_view = login_required(ApiDocs.as_view())
