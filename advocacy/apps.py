from django.apps import AppConfig


class AdvocacyConfig(AppConfig):
    name = "advocacy"
    verbose_name = "Advocacy"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Issuing bodies join casework's vocabulary pages (casework never imports advocacy).
        from advocacy.issuing_bodies import issuing_bodies_register

        issuing_bodies_register()
