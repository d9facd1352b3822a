from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "accountability"
    verbose_name = "Accountability"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The case and document pages show this app's sections through casework's page
        # sections registry: neither casework nor advocacy imports this app.
        from accountability import sections

        sections.sections_register()
