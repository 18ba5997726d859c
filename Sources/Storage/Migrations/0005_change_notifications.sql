-- 0005: announce changes that FCGIApp caches follow, once per statement (Postgres folds repeats
-- within a transaction into one notification, delivered at commit). The responder's shared
-- listener hears them and drops what it cached, so a cached value never outlives a change.
--   weather_searches_changed: any change to weather_searches (the GET /api/searches page cache);
--   api_tokens_changed: a token revoked, changed or deleted (the bearer-token cache).

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

CREATE FUNCTION api_tokens_announce() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('api_tokens_changed', '');
    RETURN NULL;
END;
$$;

-- Only what changes whether a token is accepted: a new token needs no announcement (only tokens
-- found live are cached), and the once-a-minute last_used_at touch must not flush the cache.
CREATE TRIGGER api_tokens_changed
    AFTER UPDATE OF revoked_at, token_hash, name ON api_tokens
    FOR EACH ROW EXECUTE FUNCTION api_tokens_announce();

CREATE TRIGGER api_tokens_deleted
    AFTER DELETE ON api_tokens
    FOR EACH ROW EXECUTE FUNCTION api_tokens_announce();

CREATE TRIGGER api_tokens_truncated
    AFTER TRUNCATE ON api_tokens
    FOR EACH STATEMENT EXECUTE FUNCTION api_tokens_announce();

COMMENT ON FUNCTION api_tokens_announce() IS 'Trigger: NOTIFY api_tokens_changed, so a revoked token stops working in every responder at once.';
