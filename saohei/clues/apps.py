from django.apps import AppConfig


class Config(AppConfig):
    name = "saohei.clues"
    label = "clues"
    default_auto_field = "django.db.models.BigAutoField"
