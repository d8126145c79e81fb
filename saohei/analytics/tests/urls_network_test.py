"""The project's URLs with the network pages mounted where config/urls.py will mount them."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [*project_urlpatterns, path("analytics/network/", include("saohei.analytics.urls_network"))]
