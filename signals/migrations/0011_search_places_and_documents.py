"""The search finds places and identity documents: an index on the document number as the
search compares it (upper case, no spaces or dashes: signals.models.document_number_key), and
on PostgreSQL a trigram index on the place as the network compares it (lower(trim(location))),
so a word of a place name (LIKE '%...%') does not read every signal.

SQLite (local runs only) scans for places; its registers are small."""

import django.db.models.functions.text
from django.db import migrations, models

FORWARD = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS signals_signal_place_trgm
    ON signals_signal USING gin ((LOWER(TRIM(location))) gin_trgm_ops);
"""
BACKWARD = "DROP INDEX IF EXISTS signals_signal_place_trgm;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):

    dependencies = [
        ('signals', '0010_attachment_text'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='signalperson',
            index=models.Index(django.db.models.functions.text.Upper(django.db.models.functions.text.Replace(django.db.models.functions.text.Replace('document_number', models.Value(' ')), models.Value('-'))), condition=models.Q(('document_number', ''), _negated=True), name='signals_document_key'),
        ),
        migrations.RunPython(forward, backward),
    ]
