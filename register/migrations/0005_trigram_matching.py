"""PostgreSQL: trigram indexes, so name matching stays fast with a million persons.

SQLite (local runs only) has no pg_trgm; matching falls back to word-prefix lookups there.
"""

from django.db import migrations

FORWARD = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS register_personidentifier_value_trgm
    ON register_personidentifier USING gin (value gin_trgm_ops);
"""
BACKWARD = "DROP INDEX IF EXISTS register_personidentifier_value_trgm;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("register", "0004_schedule_audit_verify")]
    operations = [migrations.RunPython(forward, backward)]
