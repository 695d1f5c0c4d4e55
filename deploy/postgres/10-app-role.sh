#!/bin/sh
# Runs once, when PostgreSQL first initialises the db volume (docker-entrypoint-initdb.d).
# POSTGRES_USER (scorepipe) owns the database and runs the migrations (the worker's
# DB_MIGRATION_USER). The apps connect as scorepipe_app, which the migrations grant row access
# only: it cannot create, alter or drop a table.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v app_password="$(cat /run/secrets/db_app_password)" <<'SQL'
CREATE ROLE scorepipe_app LOGIN PASSWORD :'app_password';
SQL
