#!/bin/sh
# Runs once, when the PostgreSQL volume is first created: the application's own login role.
# Tables are owned by POSTGRES_USER (migrations run as it); `grant_app_role` then gives the app
# role what it needs and no UPDATE, DELETE or TRUNCATE on the audit trail.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE register_app LOGIN PASSWORD '${APP_DB_PASSWORD}';
GRANT CONNECT ON DATABASE ${POSTGRES_DB} TO register_app;
SQL
