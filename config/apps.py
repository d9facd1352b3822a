"""Django's admin app, registering the ModelAdmins when the URLconf loads rather than when
Django starts.

Django's AdminConfig imports every app's admin module in django.setup(), and with them
import_export's formats, which load openpyxl, odfpy and PyYAML: about 0.3 s of CPU in every
process, though only the web process serves admin pages. Celery workers and beat,
management commands and the suite's subprocesses never load the URLconf, so they skip it;
config/urls_admin.py registers every app's admin (autodiscover, in INSTALLED_APPS order)
before it routes to the site; Django loads it with the first admin path or "admin:" name
(not with every reverse()), and config/wsgi.py loads it when a web worker starts.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import import_module
from typing import Any

from django.apps import AppConfig
from django.contrib.admin.apps import SimpleAdminConfig
from django.contrib.admin.checks import check_admin_app, check_dependencies
from django.core import checks


class AdminConfig(SimpleAdminConfig):
    def ready(self) -> None:
        checks.register(check_dependencies, checks.Tags.admin)
        checks.register(check_admin_app_registered, checks.Tags.admin)


def check_admin_app_registered(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Django's checks of the admin sites, after config/urls_admin.py has registered the ModelAdmins
    (`manage.py check` runs its checks in no set order): without them it checks nothing."""
    import_module("config.urls_admin")
    return check_admin_app(app_configs, **kwargs)
