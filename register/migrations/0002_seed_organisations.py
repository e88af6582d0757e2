from django.db import migrations

from register.seed import seed_organisations


def seed(apps, schema_editor):
    seed_organisations(apps.get_model("register", "Organisation"))


class Migration(migrations.Migration):
    dependencies = [("register", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
