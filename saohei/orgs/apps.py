from django.apps import AppConfig


class Config(AppConfig):
    name = "saohei.orgs"
    label = "orgs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from saohei.orgs import language  # noqa: F401  (connects the login signal)
