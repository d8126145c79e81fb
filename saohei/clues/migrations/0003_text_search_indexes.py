"""Trigram indexes for the ledger's text filter on PostgreSQL (pg_trgm handles Chinese under UTF-8).

The expressions match what `icontains` generates (UPPER(col::text) LIKE UPPER(...)); SQLite has no
such index type and scans instead.
"""

from django.db import migrations

COLUMNS = ("number", "title", "summary")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS clue_{column}_trgm ON clues_clue USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS clue_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("clues", "0002_offence_categories")]
    operations = [migrations.RunPython(create, drop)]
