"""The public reporting portal: served at /portal/ beside the workbench, or at / on its own host."""

from django.urls import include, path

from saohei.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("submit/", views.submit, name="submit"),
    path("done/", views.done, name="done"),
    path("follow/", views.follow, name="follow"),
    path("reward/", include("saohei.portal.reward_urls")),
]
