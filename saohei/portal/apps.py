from django.apps import AppConfig


class Config(AppConfig):
    name = "saohei.portal"
    label = "portal"
    default_auto_field = "django.db.models.BigAutoField"
