"""The admin site's routes, under /admin/ (config/urls.py). A module of its own, which the
URLconf names rather than imports: Django loads it when it first resolves a path under
/admin/ or reverses an "admin:" name, not when it reverses any other name, so a Celery
worker or a command that builds a link to a page never loads the admin, import_export and
the file-format libraries they bring (openpyxl, odfpy, PyYAML). config/wsgi.py loads it
as a web worker starts."""

from django.contrib import admin


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

urlpatterns, app_name, _ = admin.site.urls
