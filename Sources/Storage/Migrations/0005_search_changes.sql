-- 0005: announce every change to weather_searches on the channel weather_searches_changed, once
-- per statement (Postgres folds repeats within a transaction into one notification, delivered at
-- commit). FCGIApp's shared listener hears it and drops its cached GET /api/searches pages, so a
-- cached page never outlives a change it does not show.

CREATE FUNCTION weather_searches_announce() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('weather_searches_changed', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER weather_searches_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON weather_searches
    FOR EACH STATEMENT EXECUTE FUNCTION weather_searches_announce();

COMMENT ON FUNCTION weather_searches_announce() IS 'Statement trigger: NOTIFY weather_searches_changed, which keeps the responders'' search page caches exact.';
