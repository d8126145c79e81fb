"""Date-led indexes for the partial months of the outcome figures on PostgreSQL (ADR 0007).

With monthly tallies, the rows are read only for the stretches of a period shorter than a month at
its ends. At the national root every row matches the path, so the path-led indexes of 0002 do not
narrow those reads; these lead with each counted date, so a stretch of days is an index range.
PostgreSQL only, created outside the model state (they change plans, not results).
"""

from django.db import migrations

CASE_DATES = ("filed_on", "destroyed_on", "solved_on", "indicted_on", "first_judgment_on", "effective_judgment_on")
SUSPECT_DATES = ("detained_on", "arrested_on", "indicted_on", "judged_on")

INDEXES = {
    **{f"case_{d}_figures": f"cases_case ({d}) INCLUDE (jurisdiction_path) WHERE voided_at IS NULL AND {d} IS NOT NULL"
       for d in CASE_DATES},
    **{f"suspect_{d}_figures": (f"cases_suspect ({d}) INCLUDE (jurisdiction_path) "
                                f"WHERE voided_at IS NULL AND {d} IS NOT NULL") for d in SUSPECT_DATES},
    "asset_secured_on_figures": "cases_asset (secured_on) INCLUDE (jurisdiction_path, amount, state) "
                                "WHERE voided_at IS NULL",
    "clue_signed_at_figures": "clues_clue (signed_at) INCLUDE (jurisdiction_path) WHERE signed_at IS NOT NULL",
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
    dependencies = [("cases", "0002_figures_indexes"), ("clues", "0003_text_search_indexes")]
    operations = [migrations.RunPython(create, drop)]
