from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "accountability"
    verbose_name = _("Accountability")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The case and document pages show this app's sections through casework's page
        # sections registry: neither casework nor advocacy imports this app.
        from accountability import sections
        from accountability.synthetic import synthetic_responsible_persons_generate
        from advocacy.synthetic import synthetic_generator_register

        sections.sections_register()
        synthetic_generator_register(synthetic_responsible_persons_generate)
