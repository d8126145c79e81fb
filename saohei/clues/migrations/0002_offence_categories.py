import json
from pathlib import Path

from django.db import migrations


def load(apps, schema_editor):
    OffenceCategory = apps.get_model("clues", "OffenceCategory")
    data = json.loads((Path(__file__).resolve().parent.parent / "data" / "offence_categories.json").read_text("utf-8"))
    for order, row in enumerate(data, start=1):
        OffenceCategory.objects.update_or_create(
            code=row["code"],
            defaults={"name_zh_hans": row["zh_hans"], "name_zh_hant": row["zh_hant"], "name_en": row["en"],
                      "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("clues", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
