from django.apps import AppConfig


class Config(AppConfig):
    name = "saohei.signoff"
    label = "signoff"
    default_auto_field = "django.db.models.BigAutoField"
