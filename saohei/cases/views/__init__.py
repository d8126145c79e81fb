"""The workbench pages of cases: import each module explicitly (no imports here)."""
