from django.urls import include, path

from saohei.intake import views
from saohei.intake.reward_urls import identity_request_patterns, reward_patterns

urlpatterns = [
    path("", views.report_ledger_view, name="report-ledger"),
    path("export.xlsx", views.report_export, name="report-export"),
    path("new/", views.report_create, name="report-create"),
    path("identity-accesses/", views.identity_access_ledger_view, name="identity-access-ledger"),
    path("rewards/", include(reward_patterns)),
    path("identity-requests/", include(identity_request_patterns)),
    path("import/", views.import_upload, name="report-import"),
    path("import/template.xlsx", views.import_template, name="report-import-template"),
    path("import/<int:pk>/", views.import_status, name="report-import-status"),
    path("<int:pk>/", views.report_detail, name="report-detail"),
    path("<int:pk>/identity/", views.report_identity, name="report-identity"),
    path("<int:pk>/void/", views.report_void, name="report-void"),
]
