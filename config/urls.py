from django.contrib import admin
from django.urls import include, path, re_path

from advocacy.api.urls import urlpatterns as advocacy_api
from casework.api.errors import UnknownApiPath
from casework.api.urls import urlpatterns as casework_api
from casework.views import accounts
from casework.views.languages import language_set


def admin_site_install() -> None:
    # Every app's admin module registers here, not in django.setup() (config/apps.py): in
    # INSTALLED_APPS order, as Django's AdminConfig would, so casework.admin comes after
    # the django-otp and auth admins whose registrations it replaces.
    admin.autodiscover()
    from casework.admin import AdvocaseAdminSite  # registered just above

    # The admin site admits only users verified by a second factor in this session
    # (django-otp's site, without Django's "view on site" redirect, which answers for any id
    # of any model); its own sign-in form is replaced by the app's (password, then code), so
    # there is one way in.
    admin.site.__class__ = AdvocaseAdminSite


admin_site_install()

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
    path("admin/", admin.site.urls),
    path("i18n/setlang/", language_set, name="set_language"),
    # The REST API: one namespace for both apps' routes (advocacy may not be imported by casework).
    path("api/v1/", include((casework_api + advocacy_api, "api"))),
    re_path(r"^api/v1/", UnknownApiPath.as_view()),
]

handler403 = "casework.views.errors.permission_denied"
handler404 = "casework.views.errors.page_not_found"
handler500 = "casework.views.errors.server_error"
