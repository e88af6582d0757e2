"""One code for a sector that is not known: a control's blank sector becomes "unknown", as
the signals' do (signals 0005)."""

from django.db import migrations, models

KEPT, DROPPED = "unknown", ""


def merge_blank_sector(apps, schema_editor):
    Control = apps.get_model("controls", "Control")
    Control.objects.filter(sector=DROPPED).update(sector=KEPT)


class Migration(migrations.Migration):

    dependencies = [
        ('controls', '0003_default_targets'),
    ]

    operations = [
        migrations.RunPython(merge_blank_sector, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name='control',
            name='sector',
            field=models.CharField(choices=[('construction', 'Construction'), ('hospitality', 'Hospitality (hotels, restaurants, bars)'), ('sex_work', 'Prostitution / sex work'), ('domestic_work', 'Domestic work'), ('agriculture_fishing', 'Agriculture and fishing'), ('retail', 'Retail'), ('other', 'Other sector'), ('unknown', 'Not known / not applicable')], max_length=30, verbose_name='sector'),
        ),
    ]
