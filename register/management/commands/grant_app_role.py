from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from psycopg import sql

from register.models import AuditEvent


class Command(BaseCommand):
    help = ("PostgreSQL: give ROLE what the application needs, and nothing that could change "
            "the audit trail (no UPDATE, DELETE or TRUNCATE on it). Run after every migrate, as "
            "the owner of the tables; the web, worker and beat then connect as ROLE.")

    def add_arguments(self, parser):
        parser.add_argument("role")

    def handle(self, *args, role, **options):
        if connection.vendor != "postgresql":
            raise CommandError("grant_app_role is for PostgreSQL only.")
        role_id = sql.Identifier(role)
        audit = sql.Identifier(AuditEvent._meta.db_table)
        statements = [
            sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role_id),
            sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}")
            .format(role_id),
            sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(role_id),
            sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(audit, role_id),
        ]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                raise CommandError(f"No database role {role!r}.")
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(f"{role}: application privileges granted; audit trail append-only.")
