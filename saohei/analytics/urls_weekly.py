"""The weekly analysis (周研判): mounted by config/urls.py at analytics/weekly/."""

from django.urls import URLPattern, path

from saohei.analytics import weekly_views

urlpatterns: list[URLPattern] = [
    path("", weekly_views.weekly_page, name="weekly-analysis"),
    path("export.<slug:fmt>", weekly_views.weekly_export, name="weekly-analysis-export"),
]
