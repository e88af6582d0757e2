"""PostgreSQL: trigram indexes for the register search, which looks for a name, business or
vessel anywhere in the words (LIKE '%...%'); without them every search reads every mention.

SQLite (local runs only) scans; its registers are small.
"""

from django.db import migrations

FORWARD = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS signals_signalperson_name_key_trgm
    ON signals_signalperson USING gin (name_key gin_trgm_ops);
CREATE INDEX IF NOT EXISTS signals_signalbusiness_name_key_trgm
    ON signals_signalbusiness USING gin (name_key gin_trgm_ops);
CREATE INDEX IF NOT EXISTS signals_signalvehicle_key_trgm
    ON signals_signalvehicle USING gin (key gin_trgm_ops);
CREATE INDEX IF NOT EXISTS register_dossier_title_trgm
    ON register_dossier USING gin ((UPPER(title)) gin_trgm_ops);
"""
BACKWARD = """
DROP INDEX IF EXISTS signals_signalperson_name_key_trgm;
DROP INDEX IF EXISTS signals_signalbusiness_name_key_trgm;
DROP INDEX IF EXISTS signals_signalvehicle_key_trgm;
DROP INDEX IF EXISTS register_dossier_title_trgm;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("signals", "0002_schedule_upload_purge"),
                    ("register", "0006_restricted_dossier_index")]
    operations = [migrations.RunPython(forward, backward)]
