from django.db import migrations

# The action plan: at least four multidisciplinary controls a year; Bonaire is by far the
# largest island, Sint Eustatius and Saba get targets of their own. Changeable in the app.
DEFAULTS = {"bonaire": 4, "sint_eustatius": 2, "saba": 2}


def seed(apps, schema_editor):
    ControlTarget = apps.get_model("controls", "ControlTarget")
    for island, target in DEFAULTS.items():
        ControlTarget.objects.get_or_create(island=island, year=0, defaults={"target": target})


class Migration(migrations.Migration):
    dependencies = [("controls", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
