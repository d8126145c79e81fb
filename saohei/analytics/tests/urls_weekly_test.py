"""The project's URLs plus the weekly analysis, until config/urls.py mounts it."""

from django.urls import URLPattern, URLResolver, include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns: list[URLPattern | URLResolver] = [
    *project_urlpatterns,
    path("analytics/weekly/", include("saohei.analytics.urls_weekly")),
]
