"""On PostgreSQL an audit event is appended in one round trip: `register_audit_append` takes
the chain's lock, reads the newest event's hash and inserts the event with its hash, the same
SHA-256 over the previous hash, "|" and the event's payload that `chain_hash` computes (the
payload itself is still made by `event_payload` in Python, so the chain stays exactly as it
was and `audit_verify` checks it unchanged).

The function is VOLATILE: each of its statements takes a fresh snapshot, so the hash it reads
after the lock is the one the previous holder of the lock committed.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION register_audit_append(
    p_at timestamptz, p_actor_id bigint, p_actor_username text, p_organisation_code text,
    p_roles text, p_action text, p_object_type text, p_object_id text, p_object_ref text,
    p_request_id text, p_ip inet, p_result_ids jsonb, p_detail jsonb, p_payload bytea)
RETURNS TABLE (event_id bigint, event_prev_hash text, event_hash text)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    previous text;
BEGIN
    -- The lock of register.services.audit._CHAIN_LOCK ("AUDT"), held to the transaction's end.
    PERFORM pg_advisory_xact_lock(1096107092);
    SELECT e.hash INTO previous FROM register_auditevent e ORDER BY e.id DESC LIMIT 1;
    previous := coalesce(previous, repeat('0', 64));
    RETURN QUERY
    INSERT INTO register_auditevent AS e (
        at, actor_id, actor_username, organisation_code, roles, action, object_type,
        object_id, object_ref, request_id, ip, result_ids, detail, prev_hash, hash)
    VALUES (
        p_at, p_actor_id, p_actor_username, p_organisation_code, p_roles, p_action,
        p_object_type, p_object_id, p_object_ref, p_request_id, p_ip, p_result_ids, p_detail,
        previous,
        encode(sha256(convert_to(previous || '|', 'UTF8') || p_payload), 'hex'))
    RETURNING e.id, e.prev_hash::text, e.hash::text;
END;
$$;
"""

BACKWARD = "DROP FUNCTION IF EXISTS register_audit_append(timestamptz, bigint, text, text, text, " \
           "text, text, text, text, text, inet, jsonb, jsonb, bytea);"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("register", "0013_person_date_of_birth_precision")]
    operations = [migrations.RunPython(forward, backward)]
