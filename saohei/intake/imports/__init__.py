"""Bulk import of reports from Excel (.xlsx) or CSV: checked whole, then written whole or not at all.

Phase 1 reads every row and collects every error (row, column, message) in the uploader's
language while advancing `ImportBatch.processed_rows`; phase 2 writes all rows in one
transaction through `report_receive`. A file with any error writes nothing.
"""

from saohei.intake.imports.batch import import_batch_create, import_batch_run
from saohei.intake.imports.columns import COLUMNS, ImportFileError
from saohei.intake.imports.reading import file_check
from saohei.intake.imports.template import import_template_xlsx

__all__ = [
    "COLUMNS",
    "ImportFileError",
    "file_check",
    "import_batch_create",
    "import_batch_run",
    "import_template_xlsx",
]
