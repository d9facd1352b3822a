from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = _("Casework")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from casework import signals  # noqa: F401
        from casework.languages import translation_fallbacks_install
        from common.history import (
            history_creation_copies_no_related_rows,
            history_managers_built_once,
        )
        from common.lookups import integer_in_within_range_install

        translation_fallbacks_install()
        integer_in_within_range_install()
        history_managers_built_once()
        history_creation_copies_no_related_rows()
