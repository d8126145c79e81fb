"""The offence categories (十类黑恶犯罪) are data: loaded from data/offence_categories.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "offence_categories.json"


def offence_categories_ensure(model: Any = None) -> int:
    """Create or update every category from the data file; returns how many there are.

    Migrations pass their historical model; everyone else gets the current one. Tests that flush
    the database (live-server tests) call it to put the categories back.
    """
    if model is None:
        from saohei.clues.models import OffenceCategory as model
    rows = json.loads(DATA.read_text(encoding="utf-8"))
    for order, row in enumerate(rows, start=1):
        model.objects.update_or_create(
            code=row["code"],
            defaults={"name_zh_hans": row["zh_hans"], "name_zh_hant": row["zh_hant"], "name_en": row["en"],
                      "order": order},
        )
    return len(rows)
