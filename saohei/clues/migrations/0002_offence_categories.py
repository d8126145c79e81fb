from django.db import migrations


def load(apps, schema_editor):
    from saohei.clues.categories import offence_categories_ensure

    offence_categories_ensure(apps.get_model("clues", "OffenceCategory"))


class Migration(migrations.Migration):
    dependencies = [("clues", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
