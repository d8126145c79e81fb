from django.urls import include, path

urlpatterns = [
    # Ledgers, exports and imports.
    path("", include("saohei.cases.ledger_urls")),
    # The case page and the moves made from it.
    path("", include("saohei.cases.case_urls")),
]
