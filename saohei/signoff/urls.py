from django.urls import path

from saohei.signoff import views

urlpatterns = [
    path("", views.policy_list, name="signoff-policy-list"),
    path("new/", views.policy_create_view, name="signoff-policy-create"),
    path("<int:pk>/", views.policy_detail, name="signoff-policy-detail"),
    path("<int:pk>/steps/new/", views.step_add_view, name="signoff-step-add"),
    path("<int:pk>/deactivate/", views.policy_deactivate_view, name="signoff-policy-deactivate"),
]
