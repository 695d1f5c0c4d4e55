-- Runs after every migrate (a Flyway callback, not a versioned migration), so tables added by
-- later migrations are covered too. When migrations run as a role of their own
-- (DB_MIGRATION_USER), the apps' role (DATABASE_URL's user, the placeholder app_role) may read and
-- write rows but may not create, alter or drop anything: that stays with the schema's owner.
-- When both are the same role there is nothing to grant.
DO $$
DECLARE
    app_role text := '${app_role}';
BEGIN
    IF app_role <> '' AND app_role <> current_user THEN
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), app_role);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO %I', current_schema(), app_role);
        EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %I TO %I', current_schema(), app_role);
    END IF;
END
$$;
