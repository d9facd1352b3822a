from functools import cache
from importlib import import_module
from typing import Any, cast

from django.http import HttpRequest, HttpResponse
from django.urls import URLResolver, include, path, re_path
from django.urls.resolvers import RoutePattern
from django.views.decorators.csrf import csrf_exempt

from casework.views import accounts
from casework.views.languages import language_set

# The admin and the API are named, not imported: Django imports their modules when it first
# resolves a path under them or reverses a name in their namespace (config/urls_admin.py).
ADMIN_URLCONF = "config.urls_admin"
API_URLCONF = "config.urls_api"


class NamespaceOnDemand(URLResolver):
    """A namespaced include of a module named, not imported: Django imports it when it first
    resolves a path under it, or reverses a name in its namespace (through url_patterns).

    Django's resolver populates every child as it populates itself, on the first reverse();
    of a namespaced child it keeps only the child, whose own tables it never reads for a name
    outside the namespace. So this child populates only once its module is loaded, and loads
    it first whenever its own tables are asked for."""

    def _populate(self) -> None:
        if "urlconf_module" in self.__dict__:  # django.utils.functional.cached_property
            super()._populate()

    def _loaded(self) -> None:
        self.urlconf_module  # noqa: B018 (imports the module)

    @property
    def reverse_dict(self) -> Any:
        self._loaded()
        return super().reverse_dict

    @property
    def namespace_dict(self) -> Any:
        self._loaded()
        return super().namespace_dict

    @property
    def app_dict(self) -> Any:
        self._loaded()
        return super().app_dict

    def _reverse_with_prefix(self, *args: Any, **kwargs: Any) -> str:
        self._loaded()
        # Not in django-stubs: the method reverse() calls (django/urls/base.py).
        return cast(str, super()._reverse_with_prefix(*args, **kwargs))  # type: ignore[misc]


def namespace_on_demand(route: str, module: str, namespace: str) -> NamespaceOnDemand:
    return NamespaceOnDemand(
        RoutePattern(route, is_endpoint=False), module, app_name=namespace, namespace=namespace
    )


@cache
def _api_path_unknown_view() -> Any:
    from casework.api.errors import UnknownApiPath  # Django REST framework, with the API

    return UnknownApiPath.as_view()


@csrf_exempt  # as every REST framework view is: the API's JSON 404 for any method
def api_path_unknown(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any path under /api/v1/ that no route of the API takes (casework.api.errors)."""
    return cast(HttpResponse, _api_path_unknown_view()(request, *args, **kwargs))


def urlconf_load_whole() -> None:
    """Import the admin's and the API's routes now (a web worker as it starts, the tests,
    the admin's checks) rather than on the first request that needs them."""
    import_module(ADMIN_URLCONF)
    import_module(API_URLCONF)


urlpatterns = [
    path("", include("advocacy.urls.dashboard")),
    path("", include("casework.urls.accounts")),
    path("cases/", include("casework.urls.cases")),
    path("people/", include("casework.urls.people")),
    path("tasks/", include("casework.urls.followups")),
    path("notifications/", include("casework.urls.notifications")),
    path("imports/", include("casework.urls.imports")),
    path("vocabularies/", include("casework.urls.vocabularies")),
    path("documents/", include("advocacy.urls.documents")),
    path("responsible/", include("accountability.urls")),
    path("", include("advocacy.urls.targets")),
    path("admin/login/", accounts.admin_login, name="admin_login_redirect"),
    namespace_on_demand("admin/", ADMIN_URLCONF, "admin"),
    path("i18n/setlang/", language_set, name="set_language"),
    namespace_on_demand("api/v1/", API_URLCONF, "api"),
    re_path(r"^api/v1/", api_path_unknown),
]

handler400 = "casework.views.errors.bad_request"
handler403 = "casework.views.errors.permission_denied"
handler404 = "casework.views.errors.page_not_found"
handler500 = "casework.views.errors.server_error"
