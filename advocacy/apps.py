from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvocacyConfig(AppConfig):
    name = "advocacy"
    verbose_name = _("Advocacy")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Issuing bodies join casework's vocabulary pages (casework never imports advocacy).
        from advocacy.issuing_bodies import issuing_bodies_register

        issuing_bodies_register()
        from django.db.backends.signals import connection_created

        from advocacy.filters import sqlite_casefold_register

        connection_created.connect(sqlite_casefold_register, dispatch_uid="advocacy-casefold")
