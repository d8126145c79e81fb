"""Bulk import of the case registers (cases, suspects, assets, target fugitives, protective umbrellas)
from Excel (.xlsx) or CSV: checked whole, then written whole or not at all.

Phase 1 reads every row and collects every error (row, column, message) in the uploader's language
while advancing the batch's progress; phase 2 writes all rows in one transaction through the services
of saohei.cases.services, each row in a savepoint so that every refusal is reported. A file with any
error writes nothing.
"""

from saohei.cases.imports.batch import batch_register, case_import_batch_create, case_import_batch_run
from saohei.cases.imports.columns import COLUMNS, REGISTERS, ImportFileError
from saohei.cases.imports.reading import file_check
from saohei.cases.imports.template import import_template_xlsx

__all__ = [
    "COLUMNS",
    "REGISTERS",
    "ImportFileError",
    "batch_register",
    "case_import_batch_create",
    "case_import_batch_run",
    "file_check",
    "import_template_xlsx",
]
