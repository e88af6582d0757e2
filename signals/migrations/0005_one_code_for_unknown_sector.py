"""One code for a sector that is not known.

The web form offered a blank "Not known / not applicable" next to the vocabulary's "unknown",
and the dashboard showed both as bars ("Onbekend" and "onbekend"). Signals filed with a blank
sector, and the reporter's original coding kept when an analyst corrected one, now say
"unknown". Not reversible in meaning: both codes meant the same, so nothing is lost.
"""

from django.db import migrations, models

KEPT, DROPPED = "unknown", ""


def merge_blank_sector(apps, schema_editor):
    Signal = apps.get_model("signals", "Signal")
    Signal.objects.filter(sector=DROPPED).update(sector=KEPT)
    # The history of coding corrections: the reporter's own coding, kept on the signal.
    corrected = Signal.objects.filter(original_coding__isnull=False).only("original_coding")
    for signal in corrected.iterator():
        coding = signal.original_coding
        if isinstance(coding, dict) and coding.get("sector") == DROPPED:
            signal.original_coding = {**coding, "sector": KEPT}
            signal.save(update_fields=["original_coding"])


class Migration(migrations.Migration):

    dependencies = [
        ('signals', '0004_inbox_order_and_registration_index'),
    ]

    operations = [
        migrations.RunPython(merge_blank_sector, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name='signal',
            name='sector',
            field=models.CharField(blank=True, choices=[('construction', 'Construction'), ('hospitality', 'Hospitality (hotels, restaurants, bars)'), ('sex_work', 'Prostitution / sex work'), ('domestic_work', 'Domestic work'), ('agriculture_fishing', 'Agriculture and fishing'), ('retail', 'Retail'), ('other', 'Other sector'), ('unknown', 'Not known / not applicable')], max_length=30, verbose_name='sector'),
        ),
    ]
