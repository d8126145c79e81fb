from django.urls import path

from saohei.cases.views import imports, ledgers

urlpatterns = [
    path("", ledgers.case_ledger, name="case-ledger"),
    path("export.xlsx", ledgers.case_export, name="case-export"),
    path("suspects/", ledgers.suspect_ledger, name="suspect-ledger"),
    path("suspects/export.xlsx", ledgers.suspect_export, name="suspect-export"),
    path("umbrellas/", ledgers.umbrella_ledger, name="umbrella-ledger"),
    path("umbrellas/export.xlsx", ledgers.umbrella_export, name="umbrella-export"),
    path("assets/", ledgers.asset_ledger, name="asset-ledger"),
    path("assets/export.xlsx", ledgers.asset_export, name="asset-export"),
    path("fugitives/", ledgers.fugitive_ledger, name="fugitive-ledger"),
    path("fugitives/export.xlsx", ledgers.fugitive_export, name="fugitive-export"),
    path("reviews/", ledgers.review_ledger, name="review-ledger"),
    path("reviews/export.xlsx", ledgers.review_export, name="review-export"),
    # Importing a register from Excel or CSV: the upload form, its template, the batch's progress.
    path("import/<slug:register>/", imports.import_upload, name="case-import"),
    path("import/<slug:register>/template.xlsx", imports.import_template, name="case-import-template"),
    path("import/batch/<int:pk>/", imports.import_status, name="case-import-status"),
]
