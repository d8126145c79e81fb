from django.apps import AppConfig


class Config(AppConfig):
    name = "saohei.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from saohei.core import signals  # noqa: F401
