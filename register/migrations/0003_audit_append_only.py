"""On PostgreSQL the audit table refuses UPDATE, DELETE and TRUNCATE, whoever asks.

The trigger guards against the table owner's mistakes too; `grant_app_role` additionally takes
those privileges away from the role the application connects with.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION register_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: %% refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER register_auditevent_append_only
    BEFORE UPDATE OR DELETE ON register_auditevent
    FOR EACH ROW EXECUTE FUNCTION register_audit_append_only();
CREATE TRIGGER register_auditevent_no_truncate
    BEFORE TRUNCATE ON register_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION register_audit_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON register_auditevent FROM PUBLIC;
"""

BACKWARD = """
DROP TRIGGER IF EXISTS register_auditevent_append_only ON register_auditevent;
DROP TRIGGER IF EXISTS register_auditevent_no_truncate ON register_auditevent;
DROP FUNCTION IF EXISTS register_audit_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("register", "0002_seed_organisations")]
    operations = [migrations.RunPython(forward, backward)]
