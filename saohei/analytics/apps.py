from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "saohei.analytics"
    label = "analytics"
    verbose_name = _("analytics")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from saohei.analytics import receivers  # noqa: F401 - connects the report, clue and case hooks
