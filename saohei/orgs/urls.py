from django.urls import include, path

from saohei.orgs.views import groups, home, jurisdictions, offices, people, units

urlpatterns = [
    path("", home.orgs_home, name="orgs-home"),
    path("jurisdictions/", jurisdictions.jurisdiction_list, name="jurisdiction-list"),
    path("jurisdictions/<str:code>/", jurisdictions.jurisdiction_detail, name="jurisdiction-detail"),
    path("offices/", offices.office_list, name="office-list"),
    path("offices/<int:pk>/", offices.office_detail, name="office-detail"),
    path("offices/<int:pk>/edit/", offices.office_edit, name="office-edit"),
    path("jurisdictions/<str:code>/office/new/", offices.office_create_view, name="office-create"),
    path("units/", units.unit_list, name="unit-list"),
    path("units/export/", units.unit_export, name="unit-export"),
    path("units/new/", units.unit_create_view, name="unit-create"),
    path("units/<int:pk>/", units.unit_detail, name="unit-detail"),
    path("units/<int:pk>/edit/", units.unit_edit, name="unit-edit"),
    path("units/<int:pk>/deactivate/", units.unit_deactivate_view, name="unit-deactivate"),
    path("units/<int:pk>/reactivate/", units.unit_reactivate_view, name="unit-reactivate"),
    path("groups/", groups.working_group_list, name="working-group-list"),
    path("groups/new/", groups.working_group_create_view, name="working-group-create"),
    path("groups/<int:pk>/", groups.working_group_detail, name="working-group-detail"),
    path("groups/<int:pk>/edit/", groups.working_group_edit, name="working-group-edit"),
    path("users/", people.user_list, name="user-list"),
    path("users/new/", people.user_create_view, name="user-create"),
    path("users/<int:pk>/", people.user_detail, name="user-detail"),
    path("users/<int:pk>/edit/", people.user_edit, name="user-edit"),
    path("memberships/new/", people.membership_grant_view, name="membership-grant"),
    path("memberships/<int:pk>/edit/", people.membership_edit, name="membership-edit"),
    path("memberships/<int:pk>/revoke/", people.membership_revoke_view, name="membership-revoke"),
    # Sign-off chains are configured per office; the pages live in the signoff app.
    path("signoff/", include("saohei.signoff.urls")),
]
