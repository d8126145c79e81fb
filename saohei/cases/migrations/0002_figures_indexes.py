"""Covering indexes for the outcome figures on PostgreSQL (saohei.figures.outcomes).

Each figure counts the rows of a jurisdiction subtree (``jurisdiction_path LIKE 'prefix%'``) with a
date in the period. These partial indexes lead with the path (varchar_pattern_ops, so the LIKE is an
index range) and carry every column the figure queries read, so a province's figures are an
index-only scan of its own rows instead of a scan of the table. Measured with 1,000,000 clues,
100,000 cases and 500,000 suspects in benchmarks/RESULTS.md ("Issue 4").

The two clue indexes serve the case-rate figures (clues concluded in the period, clues referred
by a higher office); they live here because the outcome figures are their only reader.

PostgreSQL only (INCLUDE and partial indexes as written here); SQLite scans instead. Created with
CREATE INDEX IF NOT EXISTS, as clues.0003 does, outside the model state: they change no query's
result, only its plan.
"""

from django.db import migrations

INDEXES = {
    "case_figures": (
        "cases_case (jurisdiction_path varchar_pattern_ops) INCLUDE (id, kind, organization_type, destroyed, "
        "destroyed_on, solved_on, filed_on, indicted_on, first_judgment_on, effective_judgment_on) "
        "WHERE voided_at IS NULL"
    ),
    "suspect_figures": (
        "cases_suspect (jurisdiction_path varchar_pattern_ops) INCLUDE (id, detained_on, arrested_on, indicted_on, "
        "judged_on, surrendered) WHERE voided_at IS NULL"
    ),
    "asset_figures": (
        "cases_asset (jurisdiction_path varchar_pattern_ops, secured_on) INCLUDE (id, amount, state) "
        "WHERE voided_at IS NULL"
    ),
    "clue_signed_figures": (
        "clues_clue (jurisdiction_path varchar_pattern_ops, signed_at) INCLUDE (id) WHERE signed_at IS NOT NULL"
    ),
    "clue_referral_figures": (
        "clues_clue (jurisdiction_path varchar_pattern_ops, created_at) INCLUDE (id, signed_at) "
        "WHERE source = 'higher_referral'"
    ),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial"), ("clues", "0003_text_search_indexes")]
    operations = [migrations.RunPython(create, drop)]
