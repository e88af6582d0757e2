"""The document key of every mention filed before it was derived at intake, so the network
links the signals that name the same identity document from the first day. Computed in
Python with the intake's own normalisation (register.names.digits), in batches; anonymised
mentions have no document number and keep an empty key."""

from django.db import migrations, models

from register.names import digits

BATCH = 2000


def backfill_document_keys(apps, schema_editor):
    SignalPerson = apps.get_model("signals", "SignalPerson")
    rows = (SignalPerson.objects.exclude(document_number="").filter(document_key="")
            .only("pk", "document_number").order_by("pk"))
    batch = []
    for mention in rows.iterator(chunk_size=BATCH):
        mention.document_key = digits(mention.document_number)
        batch.append(mention)
        if len(batch) == BATCH:
            SignalPerson.objects.bulk_update(batch, ["document_key"])
            batch = []
    SignalPerson.objects.bulk_update(batch, ["document_key"])
    if schema_editor.connection.vendor == "postgresql":
        # Fresh statistics for the new column, or the planner takes every mention to hold a
        # key and scans them all to find the few that share one (the network's lookups).
        schema_editor.execute(f"ANALYZE {SignalPerson._meta.db_table}")


class Migration(migrations.Migration):

    dependencies = [
        ('signals', '0010_attachment_text'),
    ]

    operations = [
        migrations.AddField(
            model_name='signalperson',
            name='document_key',
            field=models.CharField(blank=True, db_index=True, max_length=50),
        ),
        migrations.RunPython(backfill_document_keys, migrations.RunPython.noop),
    ]
