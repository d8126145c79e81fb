"""Staff-side intake pages: the report ledger, recording, the report page, identity reads, imports."""

from saohei.intake.views.detail import report_detail, report_identity, report_void
from saohei.intake.views.importing import import_status, import_template, import_upload
from saohei.intake.views.ledger import identity_access_ledger_view, report_export, report_ledger_view
from saohei.intake.views.record import report_create

__all__ = [
    "identity_access_ledger_view",
    "import_status",
    "import_template",
    "import_upload",
    "report_create",
    "report_detail",
    "report_export",
    "report_identity",
    "report_ledger_view",
    "report_void",
]
