"""The project's URLs plus the staff message URLs, mounted where the lead mounts them."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("clues/messages/", include("saohei.portal.staff_urls")),
    *project_urlpatterns,
]
