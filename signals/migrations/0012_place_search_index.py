"""The search finds places: on PostgreSQL a trigram index on the place as the network compares
it (lower(trim(location))), so a word of a place name (LIKE '%...%') does not read every
signal. (Identity documents are found through SignalPerson.document_key, 0011.)

SQLite (local runs only) scans for places; its registers are small."""

from django.db import migrations

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
        ('signals', '0011_mention_document_key'),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
