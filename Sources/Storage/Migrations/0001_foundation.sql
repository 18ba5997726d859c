-- 0001: foundation shared by every later table.

-- Keeps an `updated_at` column current on every UPDATE of a row.
CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

COMMENT ON FUNCTION set_updated_at() IS 'Trigger function: sets updated_at to now() on UPDATE.';
COMMENT ON TABLE schema_migrations IS 'One row per applied migration file (TaskRunner migrate).';
